// The order thread/list returns threads in — the tuple (sort key in ms, id), both in the list's
// direction — and the cursors that continue it from any row. Cursors are built from rows, not
// kept from responses, so that a window whose ends were evicted or merged can still page on.
import {
  formatBackwardsCursor,
  formatNextCursor,
  formatRfc3339Millis,
  type SortDirection,
  type Thread,
  type ThreadSortKey,
} from '../../../shared/protocol/index.ts';

export interface ListOrder {
  sortKey: Exclude<ThreadSortKey, 'section_position'>;
  direction: SortDirection;
}

export const opposite = (d: SortDirection): SortDirection => (d === 'asc' ? 'desc' : 'asc');

/** The sort key of a thread in unix ms (Spool's extra has the exact ms; a plain Codex thread has seconds). */
export function keyOf(t: Thread, sortKey: ListOrder['sortKey']): number {
  const x = t.extra?.spool;
  if (sortKey === 'updated_at') return x?.updatedAtMs ?? t.updatedAt * 1000;
  if (sortKey === 'recency_at') return x?.recencyAtMs ?? (t.recencyAt ?? t.updatedAt) * 1000;
  return x?.createdAtMs ?? t.createdAt * 1000;
}

/** Negative when `a` comes before `b` in the list. */
export function compare(a: Thread, b: Thread, o: ListOrder): number {
  const ka = keyOf(a, o.sortKey);
  const kb = keyOf(b, o.sortKey);
  const c = ka !== kb ? (ka < kb ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  return o.direction === 'asc' ? c : -c;
}

/** Continues the list after `t` (exclusive), in the list's direction. */
export const cursorAfter = (t: Thread, o: ListOrder): string => formatNextCursor(keyOf(t, o.sortKey), t.id);

/** With the opposite direction: the rows before `t` (exclusive), nearest first. */
export const cursorBefore = cursorAfter;

/**
 * With the opposite direction: `t`, every row sharing its millisecond, and everything before it —
 * codex's backwardsCursor, the catch-up from the top of a list.
 */
export const backwardsCursor = (t: Thread, o: ListOrder): string => formatBackwardsCursor(keyOf(t, o.sortKey), o.direction);

/** In the list's own direction: `t`, every row sharing its millisecond, and everything after it. */
export const cursorFrom = (t: Thread, o: ListOrder): string => formatRfc3339Millis(keyOf(t, o.sortKey) + (o.direction === 'desc' ? 1 : -1));
