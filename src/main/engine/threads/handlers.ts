// thread/* methods answered from the index, and the mutations that write the home the way codex
// does (names, git info, archive moves).
import type { EngineContext, HandlersOf } from '../context.ts';
import { archiveThread, unarchiveThread } from './archive.ts';
import { listThreads } from './list.ts';
import { listFamilies } from './families.ts';
import { updateThreadMetadata } from './metadata.ts';
import { recoverInterruptedMove } from './move-file.ts';
import { setThreadName } from './name.ts';
import { readThread } from './read.ts';
import { listTurns } from './turns.ts';
import { listItems } from './items.ts';
import { readItemText } from './item-text.ts';
import { LiveThreads } from './live.ts';

export function threadHandlers(
  ctx: EngineContext,
): HandlersOf<
  | 'thread/list'
  | 'spool/thread/families'
  | 'thread/read'
  | 'thread/turns/list'
  | 'thread/items/list'
  | 'spool/item/text'
  | 'thread/name/set'
  | 'thread/metadata/update'
  | 'thread/archive'
  | 'thread/unarchive'
> {
  // A cross-device archive move that a crash interrupted is settled before anything reads the
  // home, so the first reconcile indexes exactly one copy of that rollout.
  recoverInterruptedMove(ctx.dataDir);
  const turns = { db: ctx.db, home: ctx.home, indexer: ctx.indexer, live: new LiveThreads(ctx.home) };
  return {
    'thread/list': (p) => listThreads(ctx, p),
    'spool/thread/families': (p) => listFamilies(ctx, p),
    'thread/read': (p) => readThread(turns, p),
    'thread/turns/list': (p) => listTurns(turns, p),
    'thread/items/list': (p) => listItems(turns, p),
    'spool/item/text': (p) => readItemText(turns, p),
    'thread/name/set': (p) => setThreadName(ctx, p),
    'thread/metadata/update': (p) => updateThreadMetadata(ctx, p),
    'thread/archive': (p) => archiveThread(ctx, p.threadId),
    'thread/unarchive': (p) => unarchiveThread(ctx, p.threadId),
  };
}
