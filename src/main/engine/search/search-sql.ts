// The queries of spool/search and spool/facets, with the rows they return: matches ranked along
// messages_fts's doclist, the owners of matches that pass the thread filters (fts_rows), the
// matched messages and their turns, and the facet groups of threads. A search's statements are
// cached per connection (db/prepared.ts): a search runs on every keystroke.
import type { Db } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import type { StoredSourceKind } from '../rollout/source.ts';
import type { FacetsParams } from '../../../shared/protocol/index.ts';
import { threadFilterSql, type FilterSql } from './thread-filter.ts';

const RANK_SQL = 'SELECT rowid, bm25(messages_fts) FROM messages_fts WHERE messages_fts MATCH ? AND rowid >= ? ORDER BY rowid LIMIT ?';

/** Up to `n` matches of `match` from rowid `from` on, in rowid order, as [rowid, bm25 rank] pairs. */
export function rankRows(db: Db, match: string, from: number, n: number): [number, number][] {
  return prepared(db, RANK_SQL).raw().all(match, from, n) as [number, number][];
}

/** A match's owner: its thread, and the position of its turn (null outside a turn). */
export interface MatchOwner {
  rowid: number;
  threadId: string;
  turnSeq: number | null;
}

/**
 * The check of candidate matches against thread filters: the owners of those that pass. The owner
 * comes from fts_rows, not messages_fts, which would read every candidate's text. A filter on the
 * collection alone reads nothing else; any other joins the thread (CROSS JOIN: matches first; the
 * planner would otherwise walk every thread the filter admits).
 */
export function matchFilter(db: Db, filter: FilterSql): (rowids: ArrayLike<number>) => MatchOwner[] {
  const check = prepared(
    db,
    `SELECT r.rowid AS rowid, r.thread_id AS threadId, r.turn_seq AS turnSeq
      FROM fts_rows AS r${filter.readsThread ? ' CROSS JOIN threads AS t ON t.id = r.thread_id' : ''}
      WHERE r.rowid IN (SELECT value FROM json_each(?)) AND ${filter.where}`,
  );
  return (rowids) => check.all(JSON.stringify(Array.from(rowids)), ...filter.args) as MatchOwner[];
}

export interface MessageRow {
  rowid: number;
  text: string;
  role: string;
}

/** The matched messages' texts and roles. */
export function messagesByRowid(db: Db, rowids: readonly number[]): MessageRow[] {
  return prepared(db, 'SELECT rowid, text, role FROM messages_fts WHERE rowid IN (SELECT value FROM json_each(?))').all(
    JSON.stringify(rowids),
  ) as MessageRow[];
}

/** The id of a thread's turn at a position. */
export function turnIdAt(db: Db): (threadId: string, seq: number) => string | null {
  const turnOf = prepared(db, 'SELECT turn_id FROM turns WHERE thread_id = ? AND seq = ?').pluck();
  return (threadId, seq) => (turnOf.get(threadId, seq) as string | undefined) ?? null;
}

// ---------------------------------------------------------------------------------------------
// facets

/** Threads counted by (collection, provider, source kind, cwd), with whether the group passes each dimension's own filter. */
export interface FacetGroup {
  archived: 0 | 1;
  provider: string;
  kind: StoredSourceKind;
  cwd: string;
  /** Whether the group passes the cwd, provider and kind filters, and the picker's text. */
  cwdOk: 0 | 1;
  providerOk: 0 | 1;
  kindOk: 0 | 1;
  textOk: 0 | 1;
  n: number;
}

/** The groups under the shared filters, through one index: all threads, or only preview-less ones. */
export function facetGroups(db: Db, p: FacetsParams, onlyEmptyPreview: boolean): FacetGroup[] {
  const cwd = threadFilterSql({ cwd: p.cwd ?? null });
  const provider = threadFilterSql({ modelProviders: p.modelProviders ?? null });
  const kind = threadFilterSql({ sourceKinds: p.sourceKinds ?? null });
  const text = p.cwdQuery ? { where: 'instr(lower(t.cwd), lower(?)) > 0', args: [p.cwdQuery] } : { where: '1', args: [] };
  const shared = threadFilterSql({
    archived: p.archived ?? null,
    createdAfterMs: p.createdAfterMs ?? null,
    createdBeforeMs: p.createdBeforeMs ?? null,
  });
  const index = onlyEmptyPreview ? "threads_facets_no_preview WHERE t.preview = '' AND" : 'threads_facets WHERE';
  const sql =
    `SELECT t.archived AS archived, t.model_provider AS provider, t.source_kind AS kind, t.cwd AS cwd, ` +
    `(${cwd.where}) AS cwdOk, (${provider.where}) AS providerOk, (${kind.where}) AS kindOk, (${text.where}) AS textOk, count(*) AS n ` +
    `FROM threads AS t INDEXED BY ${index} ${shared.where} GROUP BY t.archived, t.model_provider, t.source_kind, t.cwd`;
  // As many shapes as filter combinations: prepared here, not cached, so they never crowd the cache.
  return db.prepare(sql).all(...cwd.args, ...provider.args, ...kind.args, ...text.args, ...shared.args) as FacetGroup[];
}
