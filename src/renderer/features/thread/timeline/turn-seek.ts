// Finding a turn by id for a deep link (a search hit). Codex's cursors name turns by position, so
// the turn is found by paging without items (MAX_LIMIT at a time), then a cursor right above it is
// made by asking for the turns before it: a page asked for from there starts at the turn.
import type { ThreadTurnsListResult } from '../../../../shared/protocol/index.ts';
import { MAX_LIMIT, type ListTurns } from './turn-pages.ts';

/** Where a (desc) page that starts at the turn begins (null: at the newest turn), or why there is none. */
export type TurnSeek = { cursor: string | null } | 'missing' | 'stale';

/** Seeks `turnId` in the thread; 'stale' as soon as `current()` says the answer is no longer wanted. */
export async function seekTurn(listTurns: ListTurns, threadId: string, turnId: string, current: () => boolean): Promise<TurnSeek> {
  let cursor: string | null = null;
  for (;;) {
    const scan: ThreadTurnsListResult = await listTurns({
      threadId,
      limit: MAX_LIMIT,
      itemsView: 'notLoaded',
      ...(cursor ? { cursor } : {}),
    });
    if (!current()) return 'stale';
    const k = scan.data.findIndex((t) => t.id === turnId);
    if (k < 0) {
      if (!scan.nextCursor) return 'missing';
      cursor = scan.nextCursor;
      continue;
    }
    if (k === 0) return { cursor };
    // The k turns above it: their nextCursor continues at the turn itself.
    const above: ThreadTurnsListResult = await listTurns({
      threadId,
      limit: k,
      itemsView: 'notLoaded',
      ...(cursor ? { cursor } : {}),
    });
    if (!current()) return 'stale';
    return above.nextCursor ? { cursor: above.nextCursor } : 'missing';
  }
}
