// thread/list from the index: Codex's params, defaults and errors; keyset pagination on the tuple
// (key ms, id) with row-value comparisons; never a scan of the rollout files.
import type { Db } from '../db/database.ts';
import type { CodexHome } from '../home.ts';
import { storedKindsFor } from '../rollout/source.ts';
import { normalizeCwd } from '../rollout/text.ts';
import { invalidParams, invalidRequest } from '../../../shared/jsonrpc.ts';
import {
  INTERACTIVE_SOURCE_KINDS,
  clampLimit,
  formatBackwardsCursor,
  formatNextCursor,
  isUuid,
  parseListCursor,
  type ThreadListParams,
  type ThreadListResult,
  type ThreadSortKey,
} from '../../../shared/protocol/index.ts';
import { rowToThread, THREAD_COLUMNS, THREAD_FROM, type ThreadRow } from './thread-row.ts';

const SORT_COLUMNS: Record<Exclude<ThreadSortKey, 'section_position'>, string> = {
  created_at: 't.created_at_ms',
  updated_at: 't.updated_at_ms',
  recency_at: 't.recency_at_ms',
};
const MAX_EXCLUDED = 100;

export interface ListContext {
  db: Db;
  home: CodexHome;
  defaultProvider: () => string;
}

interface Sql {
  where: string[];
  args: unknown[];
  ctes: string[];
}

export function listThreads(ctx: ListContext, params: ThreadListParams): ThreadListResult {
  const limit = clampLimit(params.limit);
  const direction = params.sortDirection ?? 'desc';
  const sortKey = params.sortKey ?? 'created_at';
  if (params.parentThreadId != null && params.ancestorThreadId != null) {
    throw invalidRequest('parentThreadId and ancestorThreadId are mutually exclusive');
  }
  if (sortKey === 'section_position' && params.sectionId == null) {
    throw invalidRequest('section-position sorting requires a section filter');
  }
  if (params.originators && params.originators.length > 0) {
    throw invalidParams('originator filtering is not supported by the local app-server');
  }
  const excluded = params.excludedThreadIds ?? [];
  if (excluded.length > MAX_EXCLUDED) throw invalidParams(`excludedThreadIds must contain at most ${MAX_EXCLUDED} entries`);
  for (const id of excluded) if (!isUuid(id)) throw invalidParams(`invalid excluded thread id: ${id}`);
  const relation = params.parentThreadId ?? params.ancestorThreadId ?? null;
  if (relation !== null && !isUuid(relation)) throw invalidRequest(`invalid parent thread id: ${relation}`);

  let cursor = null;
  if (params.cursor != null) {
    cursor = parseListCursor(params.cursor);
    if (!cursor) throw invalidRequest(`invalid cursor: ${params.cursor}`);
  }

  // Spool has no sections: every thread is unsectioned.
  if (params.sectionId != null) return { data: [], nextCursor: null, backwardsCursor: null };
  const col = SORT_COLUMNS[sortKey === 'section_position' ? 'created_at' : sortKey];

  const sql: Sql = { where: [], args: [], ctes: [] };
  sql.where.push('t.archived = ?');
  sql.args.push(params.archived === true ? 1 : 0);

  if (relation !== null) {
    if (params.parentThreadId != null) {
      sql.where.push('e.parent_id = ?');
      sql.args.push(relation.toLowerCase());
    } else {
      sql.ctes.push(`subtree(id, depth) AS (
        SELECT child_id, 1 FROM spawn_edges WHERE parent_id = ?
        UNION SELECT s.child_id, subtree.depth + 1 FROM spawn_edges AS s JOIN subtree ON s.parent_id = subtree.id WHERE subtree.depth < 10000)`);
      sql.args.unshift(relation.toLowerCase());
      sql.where.push('t.id IN (SELECT id FROM subtree)');
    }
  }

  const providers = params.modelProviders;
  if (providers == null) {
    if (relation === null) {
      sql.where.push('t.model_provider = ?');
      sql.args.push(ctx.defaultProvider());
    }
  } else if (providers.length > 0) {
    sql.where.push(`t.model_provider IN (${providers.map(() => '?').join(',')})`);
    sql.args.push(...providers);
  }

  const kinds = params.sourceKinds == null || params.sourceKinds.length === 0 ? (relation !== null && params.sourceKinds == null ? null : INTERACTIVE_SOURCE_KINDS) : params.sourceKinds;
  if (kinds !== null) {
    const stored = [...new Set(kinds.flatMap(storedKindsFor))];
    sql.where.push(`t.source_kind IN (${stored.map(() => '?').join(',')})`);
    sql.args.push(...stored);
  }

  if (params.cwd != null) {
    const cwds = (Array.isArray(params.cwd) ? params.cwd : [params.cwd]).map((c) => normalizeCwd(c));
    if (cwds.length === 0) sql.where.push('1 = 0');
    else {
      sql.where.push(`t.cwd IN (${cwds.map(() => '?').join(',')})`);
      sql.args.push(...cwds);
    }
  }

  if (params.searchTerm != null && params.searchTerm !== '') {
    // Codex: case-sensitive substring over the name, title and preview.
    sql.where.push("(instr(coalesce(t.name, ''), ?) > 0 OR instr(t.title, ?) > 0 OR instr(t.preview, ?) > 0)");
    sql.args.push(params.searchTerm, params.searchTerm, params.searchTerm);
  }

  if (params.includeEmptyPreview !== true) sql.where.push("t.preview <> ''");
  if (excluded.length > 0) {
    sql.where.push(`t.id NOT IN (${excluded.map(() => '?').join(',')})`);
    sql.args.push(...excluded.map((id) => id.toLowerCase()));
  }
  if (params.createdAfterMs != null) {
    sql.where.push('t.created_at_ms >= ?');
    sql.args.push(params.createdAfterMs);
  }
  if (params.createdBeforeMs != null) {
    sql.where.push('t.created_at_ms <= ?');
    sql.args.push(params.createdBeforeMs);
  }

  const op = direction === 'desc' ? '<' : '>';
  if (cursor) {
    if (cursor.id === null) {
      sql.where.push(`${col} ${op} ?`);
      sql.args.push(cursor.ms);
    } else {
      sql.where.push(`(${col}, t.id) ${op} (?, ?)`);
      sql.args.push(cursor.ms, cursor.id);
    }
  }

  const dir = direction === 'desc' ? 'DESC' : 'ASC';
  const text = `${sql.ctes.length ? `WITH RECURSIVE ${sql.ctes.join(', ')} ` : ''}SELECT ${THREAD_COLUMNS} FROM ${THREAD_FROM}
    WHERE ${sql.where.join(' AND ')} ORDER BY ${col} ${dir}, t.id ${dir} LIMIT ?`;
  const rows = ctx.db.prepare(text).all(...sql.args, limit + 1) as ThreadRow[];
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const keyOf = (r: ThreadRow): number => (sortKey === 'updated_at' ? r.updated_at_ms : sortKey === 'recency_at' ? r.recency_at_ms : r.created_at_ms);
  const last = page[page.length - 1];
  const first = page[0];
  return {
    data: page.map((r) => rowToThread(r, ctx.home, relation !== null ? { parentFromEdge: r.spawn_parent_id } : {})),
    nextCursor: more && last ? formatNextCursor(keyOf(last), last.id) : null,
    backwardsCursor: first ? formatBackwardsCursor(keyOf(first), direction) : null,
  };
}
