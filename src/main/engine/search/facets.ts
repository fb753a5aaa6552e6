// spool/facets: what the index holds under the current filters, with counts, for the project
// picker and the filter menus. Each facet is counted under every filter except its own, so a
// picker shows what choosing another value would give.
//
// One scan of a covering index (migration 0025) counts every (provider, source kind, cwd) group
// under the filters they share (collection, dates), and says per group whether it passes each
// dimension's own filter; the facets are sums over those groups. A scan per facet costs ~4× as
// much on a large index, and the page asks again after every index change. Threads without a
// preview, which thread/list leaves out unless asked, are counted the same way through a small
// partial index and subtracted.
import type { Db } from '../db/database.ts';
import { apiKindOf } from '../rollout/source.ts';
import type { FacetCount, FacetsParams, FacetsResult, ThreadSourceKind } from '../../../shared/protocol/index.ts';
import { facetGroups, type FacetGroup } from './search-sql.ts';

const DEFAULT_CWD_LIMIT = 200;
const MAX_CWD_LIMIT = 2000;

const key = (g: FacetGroup): string => `${g.archived}\u0000${g.provider}\u0000${g.kind}\u0000${g.cwd}`;

function add<K>(m: Map<K, number>, k: K, n: number): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

const sorted = <K extends string>(m: Map<K, number>): FacetCount<K>[] =>
  [...m]
    .filter(([, count]) => count > 0)
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));

export function facets(db: Db, p: FacetsParams): FacetsResult {
  const cwdLimit = Math.min(MAX_CWD_LIMIT, Math.max(1, p.cwdLimit ?? DEFAULT_CWD_LIMIT));
  const all = facetGroups(db, p, false);
  if (p.includeEmptyPreview !== true) {
    const empty = new Map(facetGroups(db, p, true).map((g) => [key(g), g.n]));
    if (empty.size > 0) for (const g of all) g.n -= empty.get(key(g)) ?? 0;
  }
  const cwds = new Map<string, number>();
  const providers = new Map<string, number>();
  const kinds = new Map<ThreadSourceKind, number>();
  let total = 0;
  for (const g of all) {
    if (g.providerOk && g.kindOk && g.textOk) add(cwds, g.cwd, g.n);
    if (g.cwdOk && g.kindOk) add(providers, g.provider, g.n);
    if (g.cwdOk && g.providerOk) add(kinds, apiKindOf(g.kind), g.n);
    if (g.cwdOk && g.providerOk && g.kindOk) total += g.n;
  }
  const allCwds = sorted(cwds);
  return { cwds: allCwds.slice(0, cwdLimit), cwdCount: allCwds.length, providers: sorted(providers), sourceKinds: sorted(kinds), total };
}
