// The `threads` table as the indexer writes it: a thread's row built from its parse result, kept
// unique in created/updated milliseconds as codex keeps them, moved with its file, and linked to its
// parent by its spawn edge (whose parent's child count follows). Every query the indexer runs on
// threads and spawn_edges lives here; statements are prepared once (they run for every file written).
import path from 'node:path';
import type { Db } from '../db/database.ts';
import type { ParseResult } from '../rollout/parse-file.ts';
import { decodeSource } from '../rollout/source.ts';
import { sanitizeOriginUrl } from '../rollout/text.ts';
import { parseFilenameTimestamp } from '../../../shared/protocol/list.ts';
import { parseRolloutFilename } from '../home.ts';

/** The columns the indexer writes; child_count is kept by recountChildren. */
const THREAD_COLUMNS = [
  'id',
  'rel_path',
  'created_at_ms',
  'updated_at_ms',
  'recency_at_ms',
  'source',
  'source_kind',
  'model_provider',
  'model',
  'reasoning_effort',
  'cwd',
  'title',
  'name',
  'preview',
  'first_user_message',
  'cli_version',
  'originator',
  'thread_source',
  'session_id',
  'agent_nickname',
  'agent_role',
  'agent_path',
  'spawn_parent_id',
  'spawn_depth',
  'meta_parent_id',
  'forked_from_id',
  'archived',
  'archived_at',
  'git_sha',
  'git_branch',
  'git_origin_url',
  'tokens_used',
  'history_mode',
  'memory_mode',
  'format',
  'sandbox_policy',
  'approval_mode',
  'size_bytes',
  'turn_count',
] as const;

/** A thread's row as the indexer writes it. */
export type ThreadRowValues = Record<(typeof THREAD_COLUMNS)[number], unknown> & {
  id: string;
  name: string | null;
  preview: string;
  title: string;
  spawn_parent_id: string | null;
};

/** What the writer needs of a thread's current row. */
export interface ExistingThread {
  id: string;
  rel_path: string;
  created_at_ms: number;
  updated_at_ms: number;
  recency_at_ms: number;
  git_sha: string | null;
  git_branch: string | null;
  git_origin_url: string | null;
  archived_at: number | null;
}

function prepare(db: Db) {
  return {
    byId: db.prepare<[string], ExistingThread>(
      'SELECT id, rel_path, created_at_ms, updated_at_ms, recency_at_ms, git_sha, git_branch, git_origin_url, archived_at FROM threads WHERE id = ?',
    ),
    byFile: db.prepare<[string], { id: string; archived_at: number | null }>('SELECT id, archived_at FROM threads WHERE rel_path = ?'),
    exists: db.prepare<[string], number>('SELECT 1 FROM threads WHERE id = ?').pluck(),
    count: db.prepare<[], number>('SELECT count(*) FROM threads').pluck(),
    createdTaken: db.prepare<[number, string]>('SELECT 1 FROM threads WHERE archived IN (0, 1) AND created_at_ms = ? AND id <> ? LIMIT 1'),
    updatedTaken: db.prepare<[number, string]>('SELECT 1 FROM threads WHERE archived IN (0, 1) AND updated_at_ms = ? AND id <> ? LIMIT 1'),
    // child_count of a new row counts the edges already there: a parent indexed after its
    // sub-agents (backfill goes newest first, and batches finish in any order) starts with them.
    // A plain INSERT (no upsert, no trigger) needs no statement journal: see migration 0030.
    insert: db.prepare<[ThreadRowValues]>(`
        INSERT INTO threads (${THREAD_COLUMNS.join(', ')}, child_count)
        VALUES (${THREAD_COLUMNS.map((c) => `@${c}`).join(', ')}, (SELECT count(*) FROM spawn_edges WHERE parent_id = @id))`),
    update: db.prepare<[ThreadRowValues]>(`
        UPDATE threads SET ${THREAD_COLUMNS.filter((c) => c !== 'id')
          .map((c) => (c === 'recency_at_ms' ? 'recency_at_ms = MAX(recency_at_ms, @recency_at_ms)' : `${c} = @${c}`))
          .join(', ')}
        WHERE id = @id`),
    delete: db.prepare<[string]>('DELETE FROM threads WHERE id = ?'),
    setFile: db.prepare<[string, number, string]>('UPDATE threads SET rel_path = ?, archived = ? WHERE id = ?'),
    setFileArchived: db.prepare<[string, number, number | null, string]>(
      'UPDATE threads SET rel_path = ?, archived = ?, archived_at = ? WHERE id = ?',
    ),
    parentOf: db.prepare<[string], string>('SELECT parent_id FROM spawn_edges WHERE child_id = ?').pluck(),
    linkParent: db.prepare<[string, string]>(`INSERT INTO spawn_edges (child_id, parent_id, status) VALUES (?, ?, 'open')
        ON CONFLICT(child_id) DO UPDATE SET parent_id = excluded.parent_id`),
    unlinkParent: db.prepare<[string]>('DELETE FROM spawn_edges WHERE child_id = ?'),
    recountChildren: db.prepare<[{ id: string }]>(
      'UPDATE threads SET child_count = (SELECT count(*) FROM spawn_edges WHERE parent_id = @id) WHERE id = @id',
    ),
  };
}

export class ThreadRows {
  private readonly stmt: ReturnType<typeof prepare>;

  constructor(db: Db) {
    this.stmt = prepare(db);
  }

  byId(id: string): ExistingThread | undefined {
    return this.stmt.byId.get(id);
  }

  /** The thread whose row points at this file. */
  byFile(relPath: string): { id: string; archived_at: number | null } | undefined {
    return this.stmt.byFile.get(relPath);
  }

  exists(id: string): boolean {
    return this.stmt.exists.get(id) !== undefined;
  }

  count(): number {
    return this.stmt.count.get()!;
  }

  /** A unique millisecond for a key column (codex keeps created/updated ms unique, §3.4). */
  uniqueMs(which: 'created' | 'updated', candidate: number, id: string): number {
    const taken = which === 'created' ? this.stmt.createdTaken : this.stmt.updatedTaken;
    let ms = candidate;
    while (taken.get(ms, id)) ms += 1;
    return ms;
  }

  insert(row: ThreadRowValues): void {
    this.stmt.insert.run(row);
  }

  update(row: ThreadRowValues): void {
    this.stmt.update.run(row);
  }

  delete(id: string): void {
    this.stmt.delete.run(id);
  }

  /** Points the thread at another file that holds it. */
  setFile(id: string, relPath: string, archived: boolean): void {
    this.stmt.setFile.run(relPath, archived ? 1 : 0, id);
  }

  /** The thread's file moved (archive, unarchive): its path, archived flag and archived_at follow. */
  setFileArchived(id: string, relPath: string, archived: boolean, archivedAt: number | null): void {
    this.stmt.setFileArchived.run(relPath, archived ? 1 : 0, archivedAt, id);
  }

  // -------------------------------------------------------------------------------------------
  // the spawn edge to the thread's parent

  parentOf(childId: string): string | undefined {
    return this.stmt.parentOf.get(childId);
  }

  linkParent(childId: string, parentId: string): void {
    this.stmt.linkParent.run(childId, parentId);
  }

  unlinkParent(childId: string): void {
    this.stmt.unlinkParent.run(childId);
  }

  recountChildren(parentId: string): void {
    this.stmt.recountChildren.run({ id: parentId });
  }
}

/** What a thread's row takes besides its parse result. */
export interface RowContext {
  createdAtMs: number;
  updatedAtMs: number;
  /** The name session_index.jsonl gives the thread, which wins over the rollout's. */
  sessionName: string | null;
  defaultProvider: string;
  existing: ExistingThread | undefined;
}

/** The row of thread `id` from its parse result. */
export function threadRowOf(id: string, r: ParseResult, c: RowContext): ThreadRowValues {
  const m = r.meta;
  const src = decodeSource(m.source ?? (r.format === 'bare' ? 'cli' : null));
  // Codex keeps non-null git values already in its DB over rollout values (§6.1); Spool's
  // authoritative git edits are overlaid from the user journal after every write.
  const git = m.git;
  const preview = m.preview;
  const spawn = src.spawn;
  return {
    id,
    rel_path: r.relPath,
    created_at_ms: c.createdAtMs,
    updated_at_ms: c.updatedAtMs,
    recency_at_ms: c.updatedAtMs,
    source: src.stored,
    source_kind: src.kind,
    model_provider: m.modelProvider ?? c.defaultProvider,
    model: m.model,
    reasoning_effort: m.reasoningEffort,
    cwd: m.cwd, // canonicalised by the parse worker
    title: preview,
    name: c.sessionName ?? m.name,
    preview,
    first_user_message: m.firstUserMessage,
    cli_version: m.cliVersion,
    originator: m.originator,
    thread_source: m.threadSource,
    session_id: m.sessionId ?? id,
    agent_nickname: m.agentNickname ?? spawn?.agent_nickname ?? null,
    agent_role: m.agentRole ?? spawn?.agent_role ?? null,
    agent_path: m.agentPath ?? spawn?.agent_path ?? null,
    spawn_parent_id: spawn?.parent_thread_id ?? null,
    spawn_depth: spawn?.depth ?? null,
    meta_parent_id: m.metaParentId,
    forked_from_id: m.forkedFromId,
    archived: r.archived ? 1 : 0,
    archived_at: r.archived ? (c.existing?.archived_at ?? Math.floor(r.mtimeMs / 1000)) : null,
    git_sha: git?.sha ?? null,
    git_branch: git?.branch ?? null,
    git_origin_url: git?.originUrl ? sanitizeOriginUrl(git.originUrl) : null,
    tokens_used: m.tokensUsed,
    history_mode: m.historyMode,
    memory_mode: m.memoryMode,
    format: r.format ?? 'legacy',
    sandbox_policy: m.sandboxPolicy,
    approval_mode: m.approvalMode,
    size_bytes: r.size,
    turn_count: r.turnCount,
  };
}

/** When a thread was created (ms): its meta's timestamp, else its file name's, else the file's mtime. */
export function createdCandidateOf(r: ParseResult): number {
  const nameTs = parseRolloutFilename(path.basename(r.relPath));
  return r.meta.createdAtMs ?? (nameTs ? parseFilenameTimestamp(nameTs.timestamp) : null) ?? r.mtimeMs;
}
