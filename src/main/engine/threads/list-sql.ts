// The SQL of one thread/list page: filters as WHERE terms, the keyset anchor as a row-value
// comparison on (key, id), and ORDER BY (key, id) in the page's direction. Every sort key has
// ordered indexes with each single-value filter as a prefix (migrations 0001, 0015), so the planner
// walks an index range and stops after limit + 1 rows. A client asks for few shapes, so each one's
// statement is prepared once (db/prepared.ts): a short page's SQL takes longer to prepare than to run.
import type { Db } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import type { ListCursor, SortDirection } from '../../../shared/protocol/index.ts';
import type { SearchPlan } from './search-plan.ts';
import { THREAD_COLUMNS, type ThreadRow } from './thread-row.ts';

export type ListKey = 'created_at' | 'updated_at' | 'recency_at';

export const KEY_COLUMNS: Record<ListKey, 'created_at_ms' | 'updated_at_ms' | 'recency_at_ms'> = {
  created_at: 'created_at_ms',
  updated_at: 'updated_at_ms',
  recency_at: 'recency_at_ms',
};

export interface ListQuery {
  key: ListKey;
  direction: SortDirection;
  archived: boolean;
  /** Page size; the query fetches one more row to know whether another page exists. */
  limit: number;
  cursor: ListCursor | null;
  /** Direct children (`parent`) or all descendants (`ancestor`) of a thread, via spawn edges. */
  relation: { kind: 'parent' | 'ancestor'; id: string } | null;
  /** null: any provider. */
  providers: string[] | null;
  /** Stored source kinds; null: any source. */
  kinds: string[] | null;
  /** Normalized cwds; null: any cwd; [] matches nothing (codex: `AND 1 = 0`). */
  cwds: string[] | null;
  searchTerm: string | null;
  /** How to find searchTerm (planSearch); walking in key order when absent. */
  search?: SearchPlan;
  /**
   * Walk at most about this many threads past the cursor (of the archived or active ones, in key
   * order): the page is then right only if it came back full, since the threads walked are a prefix
   * of the order. A search tries this before it pays for planning a rare phrase.
   */
  scanBound?: number;
  includeEmptyPreview: boolean;
  excluded: string[];
  createdAfterMs: number | null;
  createdBeforeMs: number | null;
}

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/**
 * `col = ?` for one value, which an index can serve in key order. For several values the column is
 * written `+col`, which keeps SQLite from using it as an index prefix: an IN list over a prefix
 * column yields several ranges, and merging them back into key order takes a sort of every match
 * (a temp B-tree), where walking the key index and filtering stops after limit + 1 rows.
 */
function oneOf(col: string, n: number): string {
  return n === 1 ? `${col} = ?` : `+${col} IN (${marks(n)})`;
}

/**
 * Kind sets with partial indexes (migration 0016), written exactly as the indexes' conditions: a
 * partial index serves only a query that repeats its condition, with literals.
 */
const INDEXED_KIND_SETS = new Map<string, string>([
  ['cli,vscode', "t.source_kind IN ('cli', 'vscode')"],
  [
    'subAgentCompact,subAgentMemory,subAgentOther,subAgentReview,subAgentThreadSpawn',
    "t.source_kind IN ('subAgentCompact', 'subAgentMemory', 'subAgentOther', 'subAgentReview', 'subAgentThreadSpawn')",
  ],
]);

/** The anchor of a page: rows after the cursor in the page's direction (none without a cursor). */
function anchorSql(q: ListQuery, keyCol: string, idCol: string): { sql: string; args: unknown[] } {
  const op = q.direction === 'desc' ? '<' : '>';
  if (!q.cursor) return { sql: '', args: [] };
  // A backwards cursor: the key alone, so every row sharing the anchor's millisecond is in.
  if (q.cursor.id === null) return { sql: `${keyCol} ${op} ?`, args: [q.cursor.ms] };
  return { sql: `(${keyCol}, ${idCol}) ${op} (?, ?)`, args: [q.cursor.ms, q.cursor.id] };
}

/**
 * The key of the n-th thread past the anchor (archived or active ones, in the page's order): a
 * row when more than n threads lie past it (see scanBound).
 */
export function boundSql(q: ListQuery, n: number): { sql: string; args: unknown[] } {
  const k = KEY_COLUMNS[q.key];
  const dir = q.direction === 'desc' ? 'DESC' : 'ASC';
  const b = anchorSql(q, `b.${k}`, 'b.id');
  return {
    sql: `SELECT b.${k} FROM threads AS b WHERE b.archived = ?${b.sql ? ` AND ${b.sql}` : ''} ORDER BY b.${k} ${dir}, b.id ${dir} LIMIT 1 OFFSET ?`,
    args: [q.archived ? 1 : 0, ...b.args, n],
  };
}

export function buildListSql(q: ListQuery): { sql: string; args: unknown[] } {
  const col = `t.${KEY_COLUMNS[q.key]}`;
  const where: string[] = ['t.archived = ?'];
  const args: unknown[] = [q.archived ? 1 : 0];
  let cte = '';
  const cteArgs: unknown[] = [];

  // A relation listing starts from the few related threads (CROSS JOIN fixes SQLite's join order)
  // and sorts them, rather than walking every thread in key order looking for them.
  let from = 'threads AS t';
  const fromArgs: unknown[] = [];
  if (q.relation === null && q.search?.kind === 'index') {
    // A rare search term: start from the threads the trigram index names (a superset; the exact
    // substring test below decides), then sort those few.
    from = `(SELECT i.id AS id FROM thread_search AS s JOIN thread_search_ids AS i ON i.rowid = s.rowid WHERE thread_search MATCH ?) AS r
      CROSS JOIN threads AS t ON t.id = r.id`;
    fromArgs.push(q.search.match);
  } else if (q.relation?.kind === 'parent') {
    from = 'spawn_edges AS r CROSS JOIN threads AS t ON t.id = r.child_id';
    where.push('r.parent_id = ?');
    args.push(q.relation.id);
  } else if (q.relation?.kind === 'ancestor') {
    // UNION (not UNION ALL) stops on a cycle a corrupt home could contain.
    cte = `WITH RECURSIVE subtree(id) AS (
        SELECT child_id FROM spawn_edges WHERE parent_id = ?
        UNION SELECT s.child_id FROM spawn_edges AS s JOIN subtree ON s.parent_id = subtree.id) `;
    cteArgs.push(q.relation.id);
    from = 'subtree AS r CROSS JOIN threads AS t ON t.id = r.id';
  }
  if (q.providers !== null) {
    where.push(oneOf('t.model_provider', q.providers.length));
    args.push(...q.providers);
  }
  if (q.kinds !== null) {
    const indexed = INDEXED_KIND_SETS.get([...q.kinds].sort().join(','));
    if (indexed) where.push(indexed);
    else {
      where.push(oneOf('t.source_kind', q.kinds.length));
      args.push(...q.kinds);
    }
  }
  if (q.cwds !== null) {
    if (q.cwds.length === 0) where.push('1 = 0');
    else {
      where.push(oneOf('t.cwd', q.cwds.length));
      args.push(...q.cwds);
    }
  }
  if (q.search?.kind === 'none') where.push('1 = 0');
  if (q.searchTerm !== null) {
    // Codex: a case-sensitive substring of the name, the title or the preview.
    // The title is nearly always the preview (Spool's titles are previews): comparing the two is
    // cheaper than searching the same text twice, a third of a walk's time per thread.
    where.push("(instr(t.preview, ?) > 0 OR instr(coalesce(t.name, ''), ?) > 0 OR (t.title <> t.preview AND instr(t.title, ?) > 0))");
    args.push(q.searchTerm, q.searchTerm, q.searchTerm);
  }
  // Codex's active listing skips threads without a preview (e.g. no user message yet).
  if (!q.includeEmptyPreview) where.push("t.preview <> ''");
  if (q.excluded.length > 0) {
    where.push(`t.id NOT IN (${marks(q.excluded.length)})`);
    args.push(...q.excluded);
  }
  if (q.createdAfterMs !== null) {
    where.push('t.created_at_ms >= ?');
    args.push(q.createdAfterMs);
  }
  if (q.createdBeforeMs !== null) {
    where.push('t.created_at_ms <= ?');
    args.push(q.createdBeforeMs);
  }

  const a = anchorSql(q, col, 't.id');
  if (a.sql) {
    where.push(a.sql);
    args.push(...a.args);
  }
  const dir = q.direction === 'desc' ? 'DESC' : 'ASC';
  if (q.scanBound !== undefined) {
    // The key of the scanBound-th thread past the anchor; every thread with a key up to it (ties
    // included) is a prefix of the order. Fewer threads than that: no bound.
    const edge = q.direction === 'desc' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
    const bound = boundSql(q, q.scanBound);
    where.push(`${col} ${q.direction === 'desc' ? '>=' : '<='} coalesce((${bound.sql}), ?)`);
    args.push(...bound.args, edge);
  }
  const sql = `${cte}SELECT ${THREAD_COLUMNS} FROM ${from} LEFT JOIN spawn_edges AS e ON e.child_id = t.id
    WHERE ${where.join(' AND ')} ORDER BY ${col} ${dir}, t.id ${dir} LIMIT ?`;
  return { sql, args: [...cteArgs, ...fromArgs, ...args, q.limit + 1] };
}

/** The rows of one page (limit + 1 of them at most: the last says another page follows). */
export function listRows(db: Db, q: ListQuery): ThreadRow[] {
  const { sql, args } = buildListSql(q);
  return prepared(db, sql).all(...args) as ThreadRow[];
}

/** Whether more than `n` threads (of the archived or active ones) lie past the query's cursor. */
export function morePastCursor(db: Db, q: ListQuery, n: number): boolean {
  const probe = boundSql(q, n);
  return prepared(db, probe.sql).get(...probe.args) !== undefined;
}
