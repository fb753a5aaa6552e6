// spool/facets for the filter menus and the thread count, refreshed when the index changes
// (at most every few hundred milliseconds while it is busy).
import { useEffect, useState } from 'react';
import { getBridge } from '../../bridge/index.ts';
import type { FacetsParams, FacetsResult } from '../../../shared/protocol/index.ts';

const THROTTLE_MS = 400;

/** `enabled` false holds the request back (the list's first page goes first: counts are secondary). */
export function useFacets(params: FacetsParams, enabled = true): { facets: FacetsResult | null; error: string | null } {
  const key = JSON.stringify(params);
  const [state, setState] = useState<{ key: string; facets: FacetsResult | null; error: string | null }>({
    key: '',
    facets: null,
    error: null,
  });
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const load = (): void => {
      timer = null;
      last = Date.now();
      getBridge()
        .request('spool/facets', JSON.parse(key) as FacetsParams)
        .then((facets) => live && setState({ key, facets, error: null }))
        .catch((e: unknown) => live && setState((s) => ({ key, facets: s.facets, error: e instanceof Error ? e.message : String(e) })));
    };
    load();
    const off = getBridge().subscribe((n) => {
      if (n.method !== 'spool/index/changed' && n.method !== 'thread/archived' && n.method !== 'thread/unarchived') return;
      if (timer) return;
      timer = setTimeout(load, Math.max(0, THROTTLE_MS - (Date.now() - last)));
    });
    return () => {
      live = false;
      off();
      if (timer) clearTimeout(timer);
    };
  }, [key, enabled]);
  // Counts of the previous filters stay up while the new ones load (no flicker to empty).
  return { facets: state.facets, error: state.error };
}
