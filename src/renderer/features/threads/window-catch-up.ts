// What a thread window's catch-up is asked to do and what it did (window.ts runs it), and its one
// request loop that stands alone: listing the window's own range again, when threads may have
// joined or left it anywhere.
import type { Thread, ThreadListResult } from '../../../shared/protocol/index.ts';
import { compare, cursorFrom, type ListOrder } from './order.ts';
import type { WindowRange } from './window-rows.ts';

export interface CatchUpRequest {
  /** Threads the index reported as inserted or changed. */
  changed?: Iterable<string>;
  /** Threads the index no longer has. */
  removed?: Iterable<string>;
  /** Threads may have joined or left this list anywhere (archive, unarchive, moves, focus regained): list the window's range again. */
  membership?: boolean;
}

export interface CatchUpResult {
  added: number;
  updated: number;
  removed: number;
  requests: number;
  /** Time spent waiting for thread/list answers (the rest of a catch-up is merging). */
  requestMs: number;
  /** The window started over (too much had changed). */
  restarted: boolean;
}

/**
 * The window's range listed again (current rows, joined and left threads), page by page. A
 * window open at its end stops after a bounded number of rows and is no longer at the end.
 */
export async function listRange(
  fetchForward: (cursor: string | null) => Promise<ThreadListResult>,
  order: ListOrder,
  range: WindowRange,
  cap: number,
): Promise<{ rows: Thread[]; requests: number; atEnd: boolean }> {
  const out: Thread[] = [];
  let requests = 0;
  let cursor: string | null = range.first === null ? null : cursorFrom(range.first, order);
  for (;;) {
    const r = await fetchForward(cursor);
    requests++;
    let past = false;
    for (const t of r.data) {
      if (range.last !== null && compare(t, range.last, order) > 0) {
        past = true;
        break;
      }
      if (range.first === null || compare(t, range.first, order) >= 0) out.push(t);
    }
    if (past || r.nextCursor === null) return { rows: out, requests, atEnd: range.last === null && !past };
    if (out.length >= cap) return { rows: out, requests, atEnd: false };
    cursor = r.nextCursor;
  }
}
