// A write to the home that must not leave it: the path, checked on disk (home.writable), or a
// -32600 error a client can read. Nothing is written when it is refused.
import { invalidRequest } from '../../../shared/jsonrpc.ts';
import type { EngineContext } from '../context.ts';
import { PathEscapeError } from '../home.ts';

export function writableOrRefuse(ctx: Pick<EngineContext, 'home'>, rel: string): string {
  try {
    return ctx.home.writable(rel);
  } catch (err) {
    if (err instanceof PathEscapeError) throw invalidRequest(err.message);
    throw err;
  }
}
