// thread/* methods answered from the index.
import type { EngineContext, EngineHandlers } from '../context.ts';
import { listThreads } from './list.ts';
import { readThread } from './read.ts';
import { listTurns } from './turns.ts';
import { listItems } from './items.ts';
import { readItemText } from './item-text.ts';
import { LiveThreads } from './live.ts';

export function threadHandlers(ctx: EngineContext): EngineHandlers {
  const turns = { db: ctx.db, home: ctx.home, indexer: ctx.indexer, live: new LiveThreads(ctx.home) };
  return {
    'thread/list': (p) => listThreads(ctx, p),
    'thread/read': (p) => readThread(turns, p),
    'thread/turns/list': (p) => listTurns(turns, p),
    'thread/items/list': (p) => listItems(turns, p),
    'spool/item/text': (p) => readItemText(turns, p),
  };
}
