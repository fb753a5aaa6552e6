// spool/threads/bulk.
import type { EngineContext, HandlersOf } from '../context.ts';
import { runBulk, type CallMethod } from './bulk.ts';

export function bulkHandlers(ctx: EngineContext, call: CallMethod): HandlersOf<'spool/threads/bulk'> {
  return {
    'spool/threads/bulk': (p) => runBulk({ db: ctx.db, events: ctx.events, call }, p),
  };
}
