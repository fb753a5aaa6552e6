// thread/* methods answered from the index.
import type { EngineContext, EngineHandlers } from '../context.ts';
import { listThreads } from './list.ts';
import { readThread } from './read.ts';

export function threadHandlers(ctx: EngineContext): EngineHandlers {
  return {
    'thread/list': (p) => listThreads(ctx, p),
    'thread/read': (p) => readThread(ctx, p),
  };
}
