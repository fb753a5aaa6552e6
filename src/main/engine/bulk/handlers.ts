// spool/threads/bulk.
import type { EngineContext, EngineHandlers } from '../context.ts';
import { runBulk, type CallMethod } from './bulk.ts';

export function bulkHandlers(ctx: EngineContext, call: CallMethod): EngineHandlers {
  return {
    'spool/threads/bulk': (p) => runBulk({ db: ctx.db, events: ctx.events, call }, p),
  };
}
