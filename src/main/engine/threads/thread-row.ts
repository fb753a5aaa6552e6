// The threads table's rows: their type, the queries that read them, and the mapping of a row to a
// Codex v2 `Thread` (field set and order as codex 0.169 writes them), with Spool's additions under
// `extra.spool`. Statements are cached per connection (db/prepared.ts): thread/read, the turn
// requests and every mutation look a thread up first.
import path from 'node:path';
import type { Db } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import type { CodexHome } from '../home.ts';
import { decodeStoredSource } from '../rollout/source.ts';
import type { Thread } from '../../../shared/protocol/index.ts';

export interface ThreadRow {
  id: string;
  rel_path: string;
  created_at_ms: number;
  updated_at_ms: number;
  recency_at_ms: number;
  source: string;
  source_kind: string;
  model_provider: string;
  model: string | null;
  reasoning_effort: string | null;
  cwd: string;
  title: string;
  name: string | null;
  preview: string;
  first_user_message: string;
  cli_version: string;
  originator: string | null;
  thread_source: string | null;
  session_id: string | null;
  agent_nickname: string | null;
  agent_role: string | null;
  agent_path: string | null;
  spawn_parent_id: string | null;
  spawn_depth: number | null;
  meta_parent_id: string | null;
  forked_from_id: string | null;
  archived: number;
  archived_at: number | null;
  git_sha: string | null;
  git_branch: string | null;
  git_origin_url: string | null;
  tokens_used: number;
  history_mode: string;
  memory_mode: string | null;
  format: string;
  size_bytes: number;
  turn_count: number;
  child_count: number;
  /** Joined from spawn_edges when selected with THREAD_COLUMNS. */
  edge_status?: string | null;
}

/** The select list every thread query uses (`t` is threads, `e` the thread's incoming spawn edge). */
export const THREAD_COLUMNS = 't.*, e.status AS edge_status';
export const THREAD_FROM = 'threads AS t LEFT JOIN spawn_edges AS e ON e.child_id = t.id';

/** One thread's row, or undefined when it is not indexed. */
export function getThreadRow(db: Db, id: string): ThreadRow | undefined {
  return prepared(db, `SELECT ${THREAD_COLUMNS} FROM ${THREAD_FROM} WHERE t.id = ?`).get(id) as ThreadRow | undefined;
}

/** The rows of these threads (those indexed), in no particular order. */
export function getThreadRows(db: Db, ids: readonly string[]): ThreadRow[] {
  return prepared(db, `SELECT ${THREAD_COLUMNS} FROM ${THREAD_FROM} WHERE t.id IN (SELECT value FROM json_each(?))`).all(
    JSON.stringify(ids),
  ) as ThreadRow[];
}

/** Where a thread's rollout is and which collection holds it: what a move or a name needs. */
export interface ThreadLocation {
  id: string;
  rel_path: string;
  archived: number;
}

export function locateThread(db: Db, id: string): ThreadLocation | undefined {
  return prepared(db, 'SELECT id, rel_path, archived FROM threads WHERE id = ?').get(id) as ThreadLocation | undefined;
}

/** A thread's name: null when it has none, undefined when it is not indexed. */
export function threadNameOf(db: Db, id: string): string | null | undefined {
  return (prepared(db, 'SELECT name FROM threads WHERE id = ?').get(id) as { name: string | null } | undefined)?.name;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * The absolute path of an indexed rollout. Index paths come from the scanner's directory listings
 * (never `..`), so this skips CodexHome.abs()'s containment check, which would cost a page of 100
 * threads a third of its time.
 */
const absPath = (home: CodexHome, rel: string): string =>
  path.sep === '/' ? `${home.root}/${rel}` : path.join(home.root, ...rel.split('/'));

export function rowToThread(row: ThreadRow, home: CodexHome, opts: { parentFromEdge?: string | null } = {}): Thread {
  const src = decodeStoredSource(row.source);
  const git =
    row.git_sha === null && row.git_branch === null && row.git_origin_url === null
      ? null
      : { sha: row.git_sha, branch: row.git_branch, originUrl: row.git_origin_url };
  const format = row.format === 'bare' || row.format === 'paginated' ? row.format : 'legacy';
  return {
    id: row.id,
    environments: null,
    extra: {
      spool: {
        archived: row.archived === 1,
        archivedAt: row.archived_at,
        createdAtMs: row.created_at_ms,
        updatedAtMs: row.updated_at_ms,
        recencyAtMs: row.recency_at_ms,
        tokensUsed: row.tokens_used,
        sizeBytes: row.size_bytes,
        agentPath: row.agent_path,
        spawnParentId: row.spawn_parent_id,
        spawnDepth: row.spawn_depth,
        childCount: row.child_count,
        turnCount: row.turn_count,
        format,
        firstUserMessage: row.first_user_message,
        edgeStatus: row.edge_status === 'open' || row.edge_status === 'closed' ? row.edge_status : null,
      },
    },
    sessionId: row.id,
    forkedFromId: row.forked_from_id,
    attachedToThreadId: null,
    parentThreadId: opts.parentFromEdge !== undefined ? opts.parentFromEdge : row.meta_parent_id,
    preview: row.preview,
    ephemeral: false,
    section: null,
    sectionEnteredAt: null,
    projectId: null,
    historyMode: row.history_mode === 'paginated' ? 'paginated' : 'legacy',
    modelProvider: row.model_provider,
    model: row.model,
    reasoningEffort: row.reasoning_effort,
    createdAt: seconds(row.created_at_ms),
    updatedAt: seconds(row.updated_at_ms),
    recencyAt: seconds(row.recency_at_ms),
    status: { type: 'notLoaded' },
    path: absPath(home, row.rel_path),
    cwd: row.cwd,
    cliVersion: row.cli_version,
    originator: row.originator,
    source: src.api,
    canAcceptDirectInput: null,
    threadSource: row.thread_source,
    agentNickname: row.agent_nickname,
    agentRole: row.agent_role,
    gitInfo: git,
    name: row.name,
    daybreakEnabled: null,
    turns: [],
  };
}
