// spool/facets: what the index holds under the current filters, with counts, for the project
// picker and the filter menus. Each facet is counted under every filter except its own, so a
// picker shows what choosing another value would give. Every count is a scan of a covering index
// (migration 0025); threads without a preview, which thread/list leaves out unless asked, are
// counted through a small partial index and subtracted.
import type { Db } from '../db/database.ts';
import { apiKindOf, type StoredSourceKind } from '../rollout/source.ts';
import type { FacetCount, FacetsParams, FacetsResult, ThreadSourceKind } from '../../../shared/protocol/index.ts';
import { threadFilterSql, type ThreadFilter } from './thread-filter.ts';

const DEFAULT_CWD_LIMIT = 200;
const MAX_CWD_LIMIT = 2000;

type Dimension = 'cwd' | 'provider' | 'kind';
const COLUMN: Record<Dimension, string> = { cwd: 't.cwd', provider: 't.model_provider', kind: 't.source_kind' };

/** Counts per value of one column under the filter (without its own dimension), preview-less threads subtracted if asked. */
function countBy(db: Db, f: ThreadFilter, dim: Dimension, extra: { where: string; args: unknown[] } | null): Map<string, number> {
  const base = threadFilterSql({ ...f, includeEmptyPreview: null }, dim);
  const where = extra ? `${base.where} AND ${extra.where}` : base.where;
  const args = extra ? [...base.args, ...extra.args] : base.args;
  const col = COLUMN[dim];
  const counts = new Map<string, number>();
  for (const r of db.prepare(`SELECT ${col} AS v, count(*) AS n FROM threads AS t INDEXED BY threads_facets WHERE ${where} GROUP BY ${col}`).all(...args) as { v: string; n: number }[]) {
    counts.set(r.v, r.n);
  }
  if (f.includeEmptyPreview !== true) {
    for (const r of db
      .prepare(`SELECT ${col} AS v, count(*) AS n FROM threads AS t INDEXED BY threads_facets_no_preview WHERE t.preview = '' AND ${where} GROUP BY ${col}`)
      .all(...args) as { v: string; n: number }[]) {
      const left = (counts.get(r.v) ?? 0) - r.n;
      if (left > 0) counts.set(r.v, left);
      else counts.delete(r.v);
    }
  }
  return counts;
}

const sorted = <K extends string>(m: Map<K, number>): FacetCount<K>[] =>
  [...m].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));

export function facets(db: Db, p: FacetsParams): FacetsResult {
  const cwdLimit = Math.min(MAX_CWD_LIMIT, Math.max(1, p.cwdLimit ?? DEFAULT_CWD_LIMIT));
  const cwdQuery = p.cwdQuery ? { where: 'instr(lower(t.cwd), lower(?)) > 0', args: [p.cwdQuery] } : null;
  const allCwds = sorted(countBy(db, p, 'cwd', cwdQuery));
  const providers = sorted(countBy(db, p, 'provider', null));
  const kinds = new Map<ThreadSourceKind, number>();
  for (const [kind, n] of countBy(db, p, 'kind', null)) {
    const api = apiKindOf(kind as StoredSourceKind);
    kinds.set(api, (kinds.get(api) ?? 0) + n);
  }
  // The total under every filter: the kind counts, restricted to the selected kinds.
  const selected = threadFilterSql({ sourceKinds: p.sourceKinds ?? null });
  const total =
    p.sourceKinds && p.sourceKinds.length > 0
      ? [...countBy(db, p, 'kind', { where: selected.where, args: selected.args }).values()].reduce((a, b) => a + b, 0)
      : [...kinds.values()].reduce((a, b) => a + b, 0);
  return { cwds: allCwds.slice(0, cwdLimit), cwdCount: allCwds.length, providers, sourceKinds: sorted(kinds), total };
}
