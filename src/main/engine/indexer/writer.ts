// Writes parse results into the index. Callers batch many results into one transaction.
import path from 'node:path';
import type { Db } from '../db/database.ts';
import type { ParseResult } from '../rollout/parse-file.ts';
import type { TurnOp, TurnRecord } from '../rollout/parser.ts';
import { decodeSource } from '../rollout/source.ts';
import { normalizeCwd, sanitizeOriginUrl } from '../rollout/text.ts';
import { parseFilenameTimestamp } from '../../../shared/protocol/list.ts';
import { parseRolloutFilename } from '../home.ts';
import { recomputeEdgeStatus, recordAgentCloses } from '../graph/edge-status.ts';

export interface WriteEffects {
  /** Threads inserted or changed. */
  upserted: Set<string>;
  /** Threads that no longer exist in the index. */
  removed: Set<string>;
  /** Parents whose child counts must be recomputed. */
  parents: Set<string>;
}

export const newEffects = (): WriteEffects => ({ upserted: new Set(), removed: new Set(), parents: new Set() });

export class IndexWriter {
  private readonly db: Db;
  private readonly stmt;
  defaultProvider: string;

  constructor(db: Db, defaultProvider: string) {
    this.db = db;
    this.defaultProvider = defaultProvider;
    this.stmt = {
      getFile: db.prepare('SELECT rel_path, thread_id, status FROM files WHERE rel_path = ?'),
      upsertFile: db.prepare(`
        INSERT INTO files (rel_path, thread_id, archived, size, mtime_ms, parsed_bytes, parsed_lines, head_hash, parse_state, status, error,
                           bad_lines, invalid_utf8_lines, huge_lines, unknown_items, indexed_at_ms)
        VALUES (@rel_path, @thread_id, @archived, @size, @mtime_ms, @parsed_bytes, @parsed_lines, @head_hash, @parse_state, @status, @error,
                @bad_lines, @invalid_utf8_lines, @huge_lines, @unknown_items, @indexed_at_ms)
        ON CONFLICT(rel_path) DO UPDATE SET thread_id = excluded.thread_id, archived = excluded.archived, size = excluded.size,
          mtime_ms = excluded.mtime_ms, parsed_bytes = excluded.parsed_bytes, parsed_lines = excluded.parsed_lines,
          head_hash = excluded.head_hash, parse_state = excluded.parse_state, status = excluded.status, error = excluded.error,
          bad_lines = excluded.bad_lines, invalid_utf8_lines = excluded.invalid_utf8_lines, huge_lines = excluded.huge_lines,
          unknown_items = excluded.unknown_items, indexed_at_ms = excluded.indexed_at_ms`),
      deleteFile: db.prepare('DELETE FROM files WHERE rel_path = ?'),
      threadById: db.prepare('SELECT id, rel_path, created_at_ms, updated_at_ms, recency_at_ms, git_sha, git_branch, git_origin_url, archived_at FROM threads WHERE id = ?'),
      fileForThread: db.prepare("SELECT rel_path FROM files WHERE thread_id = ? AND status = 'ok' AND rel_path <> ? ORDER BY archived, mtime_ms DESC LIMIT 1"),
      msTaken: db.prepare('SELECT 1 FROM threads WHERE archived IN (0, 1) AND created_at_ms = ? AND id <> ? LIMIT 1'),
      updTaken: db.prepare('SELECT 1 FROM threads WHERE archived IN (0, 1) AND updated_at_ms = ? AND id <> ? LIMIT 1'),
      sessionName: db.prepare('SELECT name FROM session_names WHERE thread_id = ?'),
      upsertThread: db.prepare(`
        INSERT INTO threads (id, rel_path, created_at_ms, updated_at_ms, recency_at_ms, source, source_kind, model_provider, model,
          reasoning_effort, cwd, title, name, preview, first_user_message, cli_version, originator, thread_source, session_id,
          agent_nickname, agent_role, agent_path, spawn_parent_id, spawn_depth, meta_parent_id, forked_from_id, archived, archived_at,
          git_sha, git_branch, git_origin_url, tokens_used, history_mode, memory_mode, format, sandbox_policy, approval_mode,
          size_bytes, turn_count)
        VALUES (@id, @rel_path, @created_at_ms, @updated_at_ms, @recency_at_ms, @source, @source_kind, @model_provider, @model,
          @reasoning_effort, @cwd, @title, @name, @preview, @first_user_message, @cli_version, @originator, @thread_source, @session_id,
          @agent_nickname, @agent_role, @agent_path, @spawn_parent_id, @spawn_depth, @meta_parent_id, @forked_from_id, @archived, @archived_at,
          @git_sha, @git_branch, @git_origin_url, @tokens_used, @history_mode, @memory_mode, @format, @sandbox_policy, @approval_mode,
          @size_bytes, @turn_count)
        ON CONFLICT(id) DO UPDATE SET rel_path = excluded.rel_path, created_at_ms = excluded.created_at_ms,
          updated_at_ms = excluded.updated_at_ms, recency_at_ms = MAX(threads.recency_at_ms, excluded.recency_at_ms),
          source = excluded.source, source_kind = excluded.source_kind, model_provider = excluded.model_provider, model = excluded.model,
          reasoning_effort = excluded.reasoning_effort, cwd = excluded.cwd, title = excluded.title, name = excluded.name,
          preview = excluded.preview, first_user_message = excluded.first_user_message, cli_version = excluded.cli_version,
          originator = excluded.originator, thread_source = excluded.thread_source, session_id = excluded.session_id,
          agent_nickname = excluded.agent_nickname, agent_role = excluded.agent_role, agent_path = excluded.agent_path,
          spawn_parent_id = excluded.spawn_parent_id, spawn_depth = excluded.spawn_depth, meta_parent_id = excluded.meta_parent_id,
          forked_from_id = excluded.forked_from_id, archived = excluded.archived, archived_at = excluded.archived_at,
          git_sha = excluded.git_sha, git_branch = excluded.git_branch, git_origin_url = excluded.git_origin_url,
          tokens_used = excluded.tokens_used, history_mode = excluded.history_mode, memory_mode = excluded.memory_mode,
          format = excluded.format, sandbox_policy = excluded.sandbox_policy, approval_mode = excluded.approval_mode,
          size_bytes = excluded.size_bytes, turn_count = excluded.turn_count`),
      deleteThread: db.prepare('DELETE FROM threads WHERE id = ?'),
      deleteTurns: db.prepare('DELETE FROM turns WHERE thread_id = ?'),
      deleteTurn: db.prepare('DELETE FROM turns WHERE thread_id = ? AND seq = ?'),
      truncateTurns: db.prepare('DELETE FROM turns WHERE thread_id = ? AND seq >= ?'),
      patchTurn: db.prepare(`UPDATE turns SET status = CASE WHEN @status IS NULL THEN status
            WHEN @status = 'completed' AND status IN ('failed', 'interrupted') THEN status ELSE @status END,
          completed_at_ms = COALESCE(@completed_at_ms, completed_at_ms), duration_ms = COALESCE(@duration_ms, duration_ms)
        WHERE thread_id = @thread_id AND turn_id = @turn_id`),
      upsertTurn: db.prepare(`
        INSERT OR REPLACE INTO turns (thread_id, seq, turn_id, root_turn_id, status, error, started_at_ms, completed_at_ms, duration_ms,
          start_offset, end_offset, start_line, end_line, rollout_ordinal, first_item_index, item_count, explicit, user_preview, agent_preview)
        VALUES (@thread_id, @seq, @turn_id, @root_turn_id, @status, @error, @started_at_ms, @completed_at_ms, @duration_ms,
          @start_offset, @end_offset, @start_line, @end_line, @rollout_ordinal, @first_item_index, @item_count, @explicit, @user_preview, @agent_preview)`),
      deleteFts: db.prepare('DELETE FROM messages_fts WHERE thread_id = ?'),
      insertFts: db.prepare('INSERT INTO messages_fts (text, thread_id, turn_seq, role) VALUES (?, ?, ?, ?)'),
      upsertEdge: db.prepare(`INSERT INTO spawn_edges (child_id, parent_id, status) VALUES (?, ?, 'open')
        ON CONFLICT(child_id) DO UPDATE SET parent_id = excluded.parent_id`),
      deleteEdge: db.prepare('DELETE FROM spawn_edges WHERE child_id = ?'),
      childCount: db.prepare('UPDATE threads SET child_count = (SELECT count(*) FROM spawn_edges WHERE parent_id = @id) WHERE id = @id'),
      edgeOf: db.prepare('SELECT parent_id FROM spawn_edges WHERE child_id = ?'),
    };
  }

  /** A unique millisecond for a key column (codex keeps created/updated ms unique, §3.4). */
  private uniqueMs(which: 'created' | 'updated', candidate: number, id: string): number {
    const taken = which === 'created' ? this.stmt.msTaken : this.stmt.updTaken;
    let ms = candidate;
    while (taken.get(ms, id)) ms += 1;
    return ms;
  }

  apply(r: ParseResult, fx: WriteEffects): void {
    const prev = this.stmt.getFile.get(r.relPath) as { thread_id: string | null } | undefined;
    const threadId = r.status === 'ok' ? r.threadId : null;
    this.stmt.upsertFile.run({
      rel_path: r.relPath,
      thread_id: threadId,
      archived: r.archived ? 1 : 0,
      size: r.size,
      mtime_ms: r.mtimeMs,
      parsed_bytes: r.parsedBytes,
      parsed_lines: r.parsedLines,
      head_hash: r.headHash,
      parse_state: r.status === 'ok' ? JSON.stringify(r.state) : null,
      status: r.status,
      error: r.error,
      bad_lines: r.counts.badJson,
      invalid_utf8_lines: r.counts.invalidUtf8,
      huge_lines: r.oversizedLines,
      unknown_items: r.counts.unknownTypes,
      indexed_at_ms: Date.now(),
    });
    if (prev?.thread_id && prev.thread_id !== threadId) this.detachFile(prev.thread_id, r.relPath, fx);
    if (!threadId) return;

    const existing = this.stmt.threadById.get(threadId) as ExistingThread | undefined;
    if (existing && existing.rel_path !== r.relPath && this.isLiveFile(existing.rel_path)) {
      // Another file already holds this thread (a copy, or a half-finished move): keep the one we
      // have unless this one is the active copy and the other is archived.
      const keepExisting = !(existing.rel_path.startsWith('archived_sessions/') && !r.archived);
      if (keepExisting) {
        this.db.prepare("UPDATE files SET status = 'duplicate' WHERE rel_path = ?").run(r.relPath);
        return;
      }
    }
    if (r.reset) {
      this.stmt.deleteTurns.run(threadId);
      this.stmt.deleteFts.run(threadId);
    }
    this.applyTurnOps(threadId, r.turnOps);
    for (const f of r.fts) this.stmt.insertFts.run(f.text, threadId, f.turnSeq, f.role);
    this.upsertThread(threadId, r, existing);
    // Sub-agents this thread closed: their edges' status may change (codex-format.md §5.2).
    for (const child of recordAgentCloses(this.db, threadId, r.agentCloses, r.reset)) fx.upserted.add(child);
    fx.upserted.add(threadId);
    fx.removed.delete(threadId);
  }

  private isLiveFile(relPath: string): boolean {
    const row = this.stmt.getFile.get(relPath) as { status: string } | undefined;
    return row !== undefined && row.status === 'ok';
  }

  private applyTurnOps(threadId: string, ops: TurnOp[]): void {
    for (const op of ops) {
      switch (op.op) {
        case 'upsert':
          this.stmt.upsertTurn.run(turnRow(threadId, op.turn));
          break;
        case 'delete':
          this.stmt.deleteTurn.run(threadId, op.seq);
          break;
        case 'truncate':
          this.stmt.truncateTurns.run(threadId, op.fromSeq);
          this.db.prepare('DELETE FROM messages_fts WHERE thread_id = ? AND turn_seq >= ?').run(threadId, op.fromSeq);
          break;
        case 'patchById':
          this.stmt.patchTurn.run({
            thread_id: threadId,
            turn_id: op.turnId,
            status: op.patch.status ?? null,
            completed_at_ms: op.patch.completedAtMs ?? null,
            duration_ms: op.patch.durationMs ?? null,
          });
          break;
      }
    }
  }

  private upsertThread(id: string, r: ParseResult, existing: ExistingThread | undefined): void {
    const m = r.meta;
    const src = decodeSource(m.source ?? (r.format === 'bare' ? 'cli' : null));
    const fileName = path.basename(r.relPath);
    const nameTs = parseRolloutFilename(fileName);
    const createdCandidate = m.createdAtMs ?? (nameTs ? parseFilenameTimestamp(nameTs.timestamp) : null) ?? r.mtimeMs;
    const created =
      existing && existing.created_at_ms - createdCandidate >= 0 && existing.created_at_ms - createdCandidate < 1000
        ? existing.created_at_ms
        : this.uniqueMs('created', createdCandidate, id);
    const updated = existing && existing.updated_at_ms === r.mtimeMs ? existing.updated_at_ms : this.uniqueMs('updated', Math.max(r.mtimeMs, created), id);
    const sessionName = (this.stmt.sessionName.get(id) as { name: string } | undefined)?.name ?? null;
    // Codex keeps non-null git values already in its DB over rollout values (§6.1); Spool's
    // authoritative git edits are overlaid from the user journal after every write.
    const git = m.git;
    const preview = m.preview;
    const spawn = src.spawn;
    this.stmt.upsertThread.run({
      id,
      rel_path: r.relPath,
      created_at_ms: created,
      updated_at_ms: updated,
      recency_at_ms: updated,
      source: src.stored,
      source_kind: src.kind,
      model_provider: m.modelProvider ?? this.defaultProvider,
      model: m.model,
      reasoning_effort: m.reasoningEffort,
      cwd: normalizeCwd(m.cwd),
      title: preview,
      name: sessionName ?? m.name,
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
      archived_at: r.archived ? (existing?.archived_at ?? Math.floor(r.mtimeMs / 1000)) : null,
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
    });
    const prevParent = (this.stmt.edgeOf.get(id) as { parent_id: string } | undefined)?.parent_id;
    if (spawn) {
      this.stmt.upsertEdge.run(id, spawn.parent_thread_id);
      recomputeEdgeStatus(this.db, [id]);
      this.touchParent(spawn.parent_thread_id);
    } else if (prevParent) {
      this.stmt.deleteEdge.run(id);
    }
    if (prevParent && prevParent !== spawn?.parent_thread_id) this.touchParent(prevParent);
  }

  private pendingParents = new Set<string>();
  private touchParent(id: string): void {
    this.pendingParents.add(id);
  }

  /** Recomputes child counts of parents touched since the last call (end of a batch). */
  flushParents(fx: WriteEffects): void {
    for (const id of this.pendingParents) {
      this.stmt.childCount.run({ id });
      fx.parents.add(id);
    }
    this.pendingParents.clear();
  }

  /** A file that held `threadId` is gone or no longer holds it: move the thread or drop it. */
  detachFile(threadId: string, relPath: string, fx: WriteEffects): void {
    const t = this.stmt.threadById.get(threadId) as ExistingThread | undefined;
    if (!t || t.rel_path !== relPath) return;
    const other = this.stmt.fileForThread.get(threadId, relPath) as { rel_path: string } | undefined;
    if (other) {
      // Read-repair: point the thread at the file that still holds it.
      const archived = other.rel_path.startsWith('archived_sessions/') ? 1 : 0;
      this.db.prepare("UPDATE files SET status = 'ok' WHERE rel_path = ?").run(other.rel_path);
      this.db.prepare('UPDATE threads SET rel_path = ?, archived = ? WHERE id = ?').run(other.rel_path, archived, threadId);
      fx.upserted.add(threadId);
      return;
    }
    this.removeThread(threadId, fx);
  }

  removeThread(threadId: string, fx: WriteEffects): void {
    const parent = (this.stmt.edgeOf.get(threadId) as { parent_id: string } | undefined)?.parent_id;
    this.stmt.deleteThread.run(threadId);
    this.stmt.deleteTurns.run(threadId);
    this.stmt.deleteFts.run(threadId);
    this.stmt.deleteEdge.run(threadId);
    for (const child of recordAgentCloses(this.db, threadId, [], true)) fx.upserted.add(child);
    if (parent) this.touchParent(parent);
    fx.removed.add(threadId);
    fx.upserted.delete(threadId);
  }

  /** The file is gone from disk. */
  forgetFile(relPath: string, fx: WriteEffects): void {
    const prev = this.stmt.getFile.get(relPath) as { thread_id: string | null } | undefined;
    this.stmt.deleteFile.run(relPath);
    if (prev?.thread_id) this.detachFile(prev.thread_id, relPath, fx);
  }
}

interface ExistingThread {
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

function turnRow(threadId: string, t: TurnRecord): Record<string, unknown> {
  return {
    thread_id: threadId,
    seq: t.seq,
    turn_id: t.turnId,
    root_turn_id: t.rootTurnId,
    status: t.status,
    error: t.error ? JSON.stringify(t.error) : null,
    started_at_ms: t.startedAtMs,
    completed_at_ms: t.completedAtMs,
    duration_ms: t.durationMs,
    start_offset: t.startOffset,
    end_offset: t.endOffset,
    start_line: t.startLine,
    end_line: t.endLine,
    rollout_ordinal: t.rolloutOrdinal,
    first_item_index: t.firstItemIndex,
    item_count: t.itemCount,
    explicit: t.explicit ? 1 : 0,
    user_preview: t.userPreview,
    agent_preview: t.agentPreview,
  };
}
