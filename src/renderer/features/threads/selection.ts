// Which threads are selected for a bulk action: some ids (ctrl/cmd-click, shift-click ranges,
// space), or every thread the current filter matches minus a few — the latter never lists the
// threads in the renderer: the engine enumerates them when the action runs.
export type Selection =
  { kind: 'ids'; ids: ReadonlySet<string>; anchor: string | null } | { kind: 'all'; excluded: ReadonlySet<string>; anchor: string | null };

export const EMPTY_SELECTION: Selection = { kind: 'ids', ids: new Set(), anchor: null };

export const isSelected = (s: Selection, id: string): boolean => (s.kind === 'ids' ? s.ids.has(id) : !s.excluded.has(id));

export const isEmpty = (s: Selection, total: number | null): boolean =>
  s.kind === 'ids' ? s.ids.size === 0 : total !== null && s.excluded.size >= total;

/** How many threads are selected (`total`: how many the filter matches, when known). */
export const selectedCount = (s: Selection, total: number | null): number | null =>
  s.kind === 'ids' ? s.ids.size : total === null ? null : Math.max(0, total - s.excluded.size);

export function toggle(s: Selection, id: string): Selection {
  if (s.kind === 'ids') {
    const ids = new Set(s.ids);
    if (!ids.delete(id)) ids.add(id);
    return { kind: 'ids', ids, anchor: id };
  }
  const excluded = new Set(s.excluded);
  if (!excluded.delete(id)) excluded.add(id);
  return { kind: 'all', excluded, anchor: id };
}

/**
 * Shift-click: selects the rows between the anchor and `id` in the order shown (`ordered`, the
 * rows the view holds). Without an anchor in view it selects just `id`.
 */
export function extendTo(s: Selection, ordered: readonly string[], id: string): Selection {
  const a = s.anchor !== null ? ordered.indexOf(s.anchor) : -1;
  const b = ordered.indexOf(id);
  if (a < 0 || b < 0) return toggle(s.kind === 'ids' ? s : EMPTY_SELECTION, id);
  const range = ordered.slice(Math.min(a, b), Math.max(a, b) + 1);
  if (s.kind === 'ids') {
    const ids = new Set(s.ids);
    for (const r of range) ids.add(r);
    return { kind: 'ids', ids, anchor: s.anchor };
  }
  const excluded = new Set(s.excluded);
  for (const r of range) excluded.delete(r);
  return { kind: 'all', excluded, anchor: s.anchor };
}

export const selectAll = (): Selection => ({ kind: 'all', excluded: new Set(), anchor: null });
