// The thread filters Spool's own queries share (full-text search, facets): thread/list's filters by
// name, as SQL over `threads AS t`. Unlike thread/list (Codex's semantics), an omitted or empty
// list means "no restriction", and `archived` omitted means both active and archived threads.
import { storedKindsFor } from '../rollout/source.ts';
import { normalizeCwd } from '../rollout/text.ts';
import type { ThreadSourceKind } from '../../../shared/protocol/index.ts';

export interface ThreadFilter {
  archived?: boolean | null;
  cwd?: string[] | null;
  modelProviders?: string[] | null;
  sourceKinds?: ThreadSourceKind[] | null;
  createdAfterMs?: number | null;
  createdBeforeMs?: number | null;
  includeEmptyPreview?: boolean | null;
}

export interface FilterSql {
  /** Conditions to AND together (never empty: `1` when there is none). */
  where: string;
  args: unknown[];
}

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(',');

/** SQL for a filter; `omit` leaves one dimension out (a facet counts its values under the other filters). */
export function threadFilterSql(f: ThreadFilter, omit: 'cwd' | 'provider' | 'kind' | null = null): FilterSql {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.archived != null) {
    where.push('t.archived = ?');
    args.push(f.archived ? 1 : 0);
  }
  if (omit !== 'cwd' && f.cwd && f.cwd.length > 0) {
    const cwds = [...new Set(f.cwd.map((c) => normalizeCwd(c)))];
    where.push(`t.cwd IN (${marks(cwds.length)})`);
    args.push(...cwds);
  }
  if (omit !== 'provider' && f.modelProviders && f.modelProviders.length > 0) {
    where.push(`t.model_provider IN (${marks(f.modelProviders.length)})`);
    args.push(...f.modelProviders);
  }
  if (omit !== 'kind' && f.sourceKinds && f.sourceKinds.length > 0) {
    const stored = [...new Set(f.sourceKinds.flatMap(storedKindsFor))];
    where.push(`t.source_kind IN (${marks(stored.length)})`);
    args.push(...stored);
  }
  if (f.createdAfterMs != null) {
    where.push('t.created_at_ms >= ?');
    args.push(f.createdAfterMs);
  }
  if (f.createdBeforeMs != null) {
    where.push('t.created_at_ms <= ?');
    args.push(f.createdBeforeMs);
  }
  if (f.includeEmptyPreview === false) where.push("t.preview <> ''");
  return { where: where.length > 0 ? where.join(' AND ') : '1', args };
}

/**
 * When a filter restricts nothing but the collection, which one (null: both); undefined when it
 * restricts more. Full-text rows carry their thread's archived flag (migration 0032), so such a
 * filter needs no thread lookups.
 */
export function collectionOnly(f: ThreadFilter): boolean | null | undefined {
  const more =
    (f.cwd?.length ?? 0) > 0 || (f.modelProviders?.length ?? 0) > 0 || (f.sourceKinds?.length ?? 0) > 0 || f.createdAfterMs != null || f.createdBeforeMs != null || f.includeEmptyPreview === false;
  return more ? undefined : (f.archived ?? null);
}
