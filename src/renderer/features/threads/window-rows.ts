// The thread window's rows as plain arrays: merging fresh rows into the held ones in the list's
// order, choosing which rows to keep around the viewport, and keeping the objects of threads that
// did not change. Pure functions of their arguments, used by the window (window.ts).
import type { Thread } from '../../../shared/protocol/index.ts';
import { compare, type ListOrder } from './order.ts';

/** The part of the list a window covers, as the rows at its ends (null: open to that end of the list). */
export interface WindowRange {
  first: Thread | null;
  last: Thread | null;
}

/**
 * Upserts `fresh` into `rows` by id, sorts by the list's order and keeps what falls inside
 * `range` (rows that moved outside the window belong to parts of the list it does not hold).
 */
export function mergeRows(rows: readonly Thread[], fresh: readonly Thread[], order: ListOrder, range: WindowRange): Thread[] {
  const byId = new Map<string, Thread>();
  for (const r of rows) byId.set(r.id, r);
  for (const t of fresh) byId.set(t.id, t);
  return [...byId.values()]
    .sort((a, b) => compare(a, b, order))
    .filter(
      (r) => (range.first === null || compare(r, range.first, order) >= 0) && (range.last === null || compare(r, range.last, order) <= 0),
    );
}

/** The rows to keep around a viewport showing rows [first, last] so that at most `max` remain. */
export function trimBounds(length: number, first: number, last: number, max: number, minMargin: number): { from: number; to: number } {
  if (length <= max) return { from: 0, to: length };
  const visible = Math.max(0, last - first + 1);
  const margin = Math.max(minMargin, Math.floor((max - visible) / 2));
  let from = Math.max(0, first - margin);
  let to = Math.min(length, last + 1 + margin);
  // Spend what one side does not need on the other.
  if (from === 0) to = Math.min(length, Math.max(to, max));
  if (to === length) from = Math.max(0, Math.min(from, length - max));
  return { from, to };
}

/** Threads are plain JSON from the engine: equal text, equal thread. */
const sameThread = (a: Thread, b: Thread): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * `rows` with every thread unchanged since `before` replaced by its old object (so a renderer
 * redraws only the rows that changed), and how many rows were added and updated.
 */
export function reuseUnchanged(
  rows: readonly Thread[],
  before: ReadonlyMap<string, Thread>,
): { rows: Thread[]; added: number; updated: number } {
  let added = 0;
  let updated = 0;
  const out = rows.map((t) => {
    const old = before.get(t.id);
    if (!old) added++;
    else if (old === t || sameThread(old, t)) return old;
    else updated++;
    return t;
  });
  return { rows: out, added, updated };
}
