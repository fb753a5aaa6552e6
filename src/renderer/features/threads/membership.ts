// When a thread moves between the active and the archived collection (archive / unarchive, one
// notification per thread), the list that shows one collection drops it or takes it in at its
// sorted place — without refetching the list.
import type { Thread, ThreadListParams } from '../../../shared/protocol/index.ts';

const keyOf = (t: Thread, sortKey: ThreadListParams['sortKey']): number => {
  const x = t.extra?.spool;
  if (sortKey === 'updated_at') return x?.updatedAtMs ?? t.updatedAt * 1000;
  if (sortKey === 'recency_at') return x?.recencyAtMs ?? (t.recencyAt ?? t.updatedAt) * 1000;
  return x?.createdAtMs ?? t.createdAt * 1000;
};

/** -1 when a sorts before b in the list's order (key, then id, both in the list's direction). */
export function compareForList(a: Thread, b: Thread, filters: Pick<ThreadListParams, 'sortKey' | 'sortDirection'>): number {
  const ka = keyOf(a, filters.sortKey);
  const kb = keyOf(b, filters.sortKey);
  const asc = filters.sortDirection === 'asc';
  const c = ka !== kb ? (ka < kb ? -1 : 1) : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  return asc ? c : -c;
}

/**
 * Removes `leaving` and inserts `arriving` in order. An arriving thread that sorts after the last
 * loaded row is left for a later page when more pages exist (`complete` false).
 */
export function applyMembership(
  threads: Thread[],
  leaving: ReadonlySet<string>,
  arriving: Thread[],
  filters: Pick<ThreadListParams, 'sortKey' | 'sortDirection'>,
  complete: boolean,
): Thread[] {
  const incoming = new Map(arriving.map((t) => [t.id, t]));
  let out = threads.filter((t) => !leaving.has(t.id) && !incoming.has(t.id));
  if (incoming.size === 0) return out.length === threads.length ? threads : out;
  const last = out[out.length - 1];
  const fits = [...incoming.values()].filter((t) => complete || !last || compareForList(t, last, filters) < 0).sort((a, b) => compareForList(a, b, filters));
  if (fits.length === 0) return out;
  const merged: Thread[] = [];
  let i = 0;
  for (const t of out) {
    while (i < fits.length && compareForList(fits[i]!, t, filters) < 0) merged.push(fits[i++]!);
    merged.push(t);
  }
  while (i < fits.length) merged.push(fits[i++]!);
  out = merged;
  return out;
}
