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
  /** Whether a condition other than the archived flag reads the thread row (`t`). */
  readsThread: boolean;
}

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(',');

/**
 * SQL for a filter; `omit` leaves one dimension out (a facet counts its values under the other
 * filters). `archivedColumn` names where the archived flag is read: full-text rows carry their
 * thread's (migration 0032), so a filter on the collection alone needs no thread row.
 */
export function threadFilterSql(
  f: ThreadFilter,
  omit: 'cwd' | 'provider' | 'kind' | null = null,
  archivedColumn = 't.archived',
): FilterSql {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.archived != null) {
    where.push(`${archivedColumn} = ?`);
    args.push(f.archived ? 1 : 0);
  }
  const onArchived = where.length;
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
  return { where: where.length > 0 ? where.join(' AND ') : '1', args, readsThread: where.length > onArchived };
}
