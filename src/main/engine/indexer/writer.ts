// Writes parse results into the index. Callers batch many results into one transaction.
import path from 'node:path';
import type { Db } from '../db/database.ts';
import type { ParseResult } from '../rollout/parse-file.ts';
import { TurnStore } from './turn-store.ts';
import { decodeSource } from '../rollout/source.ts';
import { sanitizeOriginUrl } from '../rollout/text.ts';
import { parseFilenameTimestamp } from '../../../shared/protocol/list.ts';
import { parseRolloutFilename } from '../home.ts';
import { recomputeEdgeStatus, recordAgentCloses } from '../user/edge-status.ts';

export interface WriteEffects {
  /** Threads inserted or changed. */
  upserted: Set<string>;
  /** Threads that no longer exist in the index. */
  removed: Set<string>;
  /** Parents whose child counts must be recomputed. */
  parents: Set<string>;
  /** Threads added to and dropped from the index (keeps a running count without count(*)). */
  added: number;
  dropped: number;
}

export const newEffects = (): WriteEffects => ({ upserted: new Set(), removed: new Set(), parents: new Set(), added: 0, dropped: 0 });

export class IndexWriter {
  private readonly db: Db;
  private readonly stmt;
  private readonly turns: TurnStore;
  defaultProvider: string;

  constructor(db: Db, defaultProvider: string) {
    this.db = db;
    this.defaultProvider = defaultProvider;
    this.turns = new TurnStore(db);
    this.stmt = {
      getFile: db.prepare(
        'SELECT rel_path, thread_id, status, size, mtime_ms, parsed_bytes, head_hash, tail_bytes FROM files WHERE rel_path = ?',
      ),
      upsertFile: db.prepare(`
        INSERT INTO files (rel_path, thread_id, archived, size, mtime_ms, parsed_bytes, parsed_lines, head_hash, edge_hash, parse_state, status, error,
                           bad_lines, invalid_utf8_lines, huge_lines, unknown_items, tail_bytes, long_lines, indexed_at_ms)
        VALUES (@rel_path, @thread_id, @archived, @size, @mtime_ms, @parsed_bytes, @parsed_lines, @head_hash, @edge_hash, @parse_state, @status, @error,
                @bad_lines, @invalid_utf8_lines, @huge_lines, @unknown_items, @tail_bytes, @long_lines, @indexed_at_ms)
        ON CONFLICT(rel_path) DO UPDATE SET thread_id = excluded.thread_id, archived = excluded.archived, size = excluded.size,
          mtime_ms = excluded.mtime_ms, parsed_bytes = excluded.parsed_bytes, parsed_lines = excluded.parsed_lines,
          head_hash = excluded.head_hash, edge_hash = excluded.edge_hash, parse_state = excluded.parse_state, status = excluded.status, error = excluded.error,
          bad_lines = excluded.bad_lines, invalid_utf8_lines = excluded.invalid_utf8_lines, huge_lines = excluded.huge_lines,
          unknown_items = excluded.unknown_items, tail_bytes = excluded.tail_bytes, long_lines = excluded.long_lines, indexed_at_ms = excluded.indexed_at_ms`),
      deleteFile: db.prepare('DELETE FROM files WHERE rel_path = ?'),
      threadById: db.prepare(
        'SELECT id, rel_path, created_at_ms, updated_at_ms, recency_at_ms, git_sha, git_branch, git_origin_url, archived_at FROM threads WHERE id = ?',
      ),
      fileForThread: db.prepare(
        "SELECT rel_path FROM files WHERE thread_id = ? AND status = 'ok' AND rel_path <> ? ORDER BY archived, mtime_ms DESC LIMIT 1",
      ),
      msTaken: db.prepare('SELECT 1 FROM threads WHERE archived IN (0, 1) AND created_at_ms = ? AND id <> ? LIMIT 1'),
      updTaken: db.prepare('SELECT 1 FROM threads WHERE archived IN (0, 1) AND updated_at_ms = ? AND id <> ? LIMIT 1'),
      sessionName: db.prepare('SELECT name FROM session_names WHERE thread_id = ?'),
      // child_count of a new row counts the edges already there: a parent indexed after its
      // sub-agents (backfill goes newest first, and batches finish in any order) starts with them.
      // A plain INSERT (no upsert, no trigger) needs no statement journal: see migration 0030.
      insertThread: db.prepare(`
        INSERT INTO threads (${THREAD_COLUMNS.join(', ')}, child_count)
        VALUES (${THREAD_COLUMNS.map((c) => `@${c}`).join(', ')}, (SELECT count(*) FROM spawn_edges WHERE parent_id = @id))`),
      updateThread: db.prepare(`
        UPDATE threads SET ${THREAD_COLUMNS.filter((c) => c !== 'id')
          .map((c) => (c === 'recency_at_ms' ? 'recency_at_ms = MAX(recency_at_ms, @recency_at_ms)' : `${c} = @${c}`))
          .join(', ')}
        WHERE id = @id`),
      searchId: db.prepare('INSERT OR IGNORE INTO thread_search_ids (id) VALUES (?)'),
      searchRowid: db.prepare('SELECT rowid FROM thread_search_ids WHERE id = ?').pluck(),
      insertSearch: db.prepare('INSERT INTO thread_search (rowid, name, preview, title) VALUES (?, ?, ?, ?)'),
      deleteThread: db.prepare('DELETE FROM threads WHERE id = ?'),
      // messages_fts.thread_id is UNINDEXED: rows are found through fts_rows, never by scanning.
      deleteFts: db.prepare('DELETE FROM messages_fts WHERE rowid IN (SELECT rowid FROM fts_rows WHERE thread_id = ?)'),
      deleteFtsRows: db.prepare('DELETE FROM fts_rows WHERE thread_id = ?'),
      truncateFts: db.prepare('DELETE FROM messages_fts WHERE rowid IN (SELECT rowid FROM fts_rows WHERE thread_id = ? AND turn_seq >= ?)'),
      truncateFtsRows: db.prepare('DELETE FROM fts_rows WHERE thread_id = ? AND turn_seq >= ?'),
      insertFtsRow: db.prepare('INSERT INTO fts_rows (thread_id, turn_seq, archived) VALUES (?, ?, ?)'),
      insertFtsRowAt: db.prepare('INSERT INTO fts_rows (rowid, thread_id, turn_seq, archived) VALUES (?, ?, ?, ?)'),
      lowestFtsRow: db.prepare('SELECT min(rowid) FROM fts_rows').pluck(),
      insertFts: db.prepare('INSERT INTO messages_fts (rowid, text, thread_id, turn_seq, role) VALUES (?, ?, ?, ?, ?)'),
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

  /**
   * Stores one parse result. The result is checked against the file's row first, so that two
   * Spool processes indexing the same data folder (or a parse that raced a newer one) never apply
   * the same bytes twice: an incremental result must start where the stored parse stopped.
   */
  apply(r: ParseResult, fx: WriteEffects, order: MessageOrder = 'newer'): ApplyOutcome {
    const prev = this.stmt.getFile.get(r.relPath) as FileState | undefined;
    if (r.status === 'ok' && !r.reset && (!prev || prev.parsed_bytes !== r.fromOffset || prev.head_hash !== r.headHash)) return 'stale';
    if (prev && isSameParse(prev, r)) return 'same';
    // Gone between the walk and the parse: the file is simply no longer part of the home.
    if (r.status === 'error' && r.problem === 'vanished') {
      this.forgetFile(r.relPath, fx);
      return 'vanished';
    }
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
      edge_hash: r.edgeHash,
      parse_state: r.stateJson,
      status: r.status,
      error: r.error,
      bad_lines: r.counts.badJson,
      invalid_utf8_lines: r.counts.invalidUtf8,
      huge_lines: r.oversizedLines,
      unknown_items: r.counts.unknownTypes,
      tail_bytes: r.tailBytes,
      long_lines: r.counts.longLines ?? 0,
      indexed_at_ms: Date.now(),
    });
    if (prev?.thread_id && prev.thread_id !== threadId) this.detachFile(prev.thread_id, r.relPath, fx);
    if (!threadId) return 'applied';

    const existing = this.stmt.threadById.get(threadId) as ExistingThread | undefined;
    if (existing && existing.rel_path !== r.relPath && this.isLiveFile(existing.rel_path)) {
      // Another file already holds this thread (a copy, or a half-finished move): keep the one we
      // have unless this one is the active copy and the other is archived.
      const keepExisting = !(existing.rel_path.startsWith('archived_sessions/') && !r.archived);
      if (keepExisting) {
        this.db.prepare("UPDATE files SET status = 'duplicate' WHERE rel_path = ?").run(r.relPath);
        return 'applied';
      }
    }
    this.settleSearch(threadId);
    // A thread seen for the first time has no rows to clear (the common case of a backfill).
    if (r.reset && (existing !== undefined || prev?.thread_id === threadId)) {
      this.turns.clear(threadId);
      this.deleteFts(threadId);
    }
    this.turns.apply(threadId, r.turnOps);
    for (const op of r.turnOps) {
      if (op.op !== 'truncate') continue;
      // A rollback dropped turns: their messages leave the search index too.
      this.stmt.truncateFts.run(threadId, op.fromSeq);
      this.stmt.truncateFtsRows.run(threadId, op.fromSeq);
    }
    for (const f of r.fts)
      this.pendingMessages.push({
        threadId,
        turnSeq: f.turnSeq,
        text: f.text,
        role: f.role,
        older: order === 'older',
        archived: r.archived ? 1 : 0,
      });
    if (r.fts.length > 0) this.pendingSearchThreads.add(threadId);
    this.upsertThread(threadId, r, existing);
    if (!existing) fx.added++;
    // Sub-agents this thread closed: their edges' status may change (codex-format.md §5.2).
    for (const child of recordAgentCloses(this.db, threadId, r.agentCloses, r.reset)) fx.upserted.add(child);
    fx.upserted.add(threadId);
    fx.removed.delete(threadId);
    return 'applied';
  }

  private deleteFts(threadId: string): void {
    this.stmt.deleteFts.run(threadId);
    this.stmt.deleteFtsRows.run(threadId);
  }

  private isLiveFile(relPath: string): boolean {
    const row = this.stmt.getFile.get(relPath) as { status: string } | undefined;
    return row !== undefined && row.status === 'ok';
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
    const updated =
      existing && existing.updated_at_ms === r.mtimeMs
        ? existing.updated_at_ms
        : this.uniqueMs('updated', Math.max(r.mtimeMs, created), id);
    const sessionName = (this.stmt.sessionName.get(id) as { name: string } | undefined)?.name ?? null;
    // Codex keeps non-null git values already in its DB over rollout values (§6.1); Spool's
    // authoritative git edits are overlaid from the user journal after every write.
    const git = m.git;
    const preview = m.preview;
    const spawn = src.spawn;
    const row = {
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
      cwd: m.cwd, // canonicalised by the parse worker
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
    } satisfies Record<(typeof THREAD_COLUMNS)[number], unknown>;
    if (existing) this.stmt.updateThread.run(row);
    else this.insertThread(row);
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

  /** A new thread; its search entry (name, preview, and the title where it differs, as 0017's triggers) follows with the batch's. */
  private insertThread(row: { id: string; name: string | null; preview: string; title: string }): void {
    this.stmt.insertThread.run(row);
    this.pendingTitles.push({ id: row.id, name: row.name ?? '', preview: row.preview, title: row.title !== row.preview ? row.title : '' });
    this.pendingSearchThreads.add(row.id);
  }

  // Search entries (both FTS5 tables) are written together at the end of a batch. FTS5 keeps
  // inserts in memory until the transaction ends, but writes them out as a segment whenever a
  // statement opens a savepoint (any multi-row write or trigger does); inserts spread between
  // other writes left one small segment per thread, and merging those cost more than the inserts.
  private pendingTitles: { id: string; name: string; preview: string; title: string }[] = [];
  private pendingMessages: { threadId: string; turnSeq: number | null; text: string; role: string; older: boolean; archived: 0 | 1 }[] = [];
  private readonly pendingSearchThreads = new Set<string>();

  /** Before a statement reads or changes a thread's search rows, its buffered ones are written. */
  private settleSearch(threadId: string): void {
    if (this.pendingSearchThreads.has(threadId)) this.flushSearch();
  }

  /** Writes the buffered search entries. Call at the end of every transaction that applied results. */
  flushSearch(): void {
    for (const t of this.pendingTitles) {
      this.stmt.searchId.run(t.id);
      this.stmt.insertSearch.run(this.stmt.searchRowid.get(t.id) as number, t.name, t.preview, t.title);
    }
    const messages = this.pendingMessages;
    for (let i = 0; i < messages.length;) {
      let end = i + 1;
      while (end < messages.length && messages[end]!.threadId === messages[i]!.threadId && messages[end]!.older === messages[i]!.older)
        end++;
      // A thread's messages take consecutive rowids, its last message the lowest (see MessageOrder):
      // an older thread's above every other message (an append to the tables, as a backfill's
      // bulk of rows should be), a newer one's in a block below them.
      const top = messages[i]!.older ? null : Math.min((this.stmt.lowestFtsRow.get() as number | null) ?? 1, 1) - 1;
      for (let k = end - 1; k >= i; k--) {
        const m = messages[k]!;
        const rowid =
          top === null
            ? this.stmt.insertFtsRow.run(m.threadId, m.turnSeq, m.archived).lastInsertRowid
            : this.stmt.insertFtsRowAt.run(top - (k - i), m.threadId, m.turnSeq, m.archived).lastInsertRowid;
        this.stmt.insertFts.run(rowid, m.text, m.threadId, m.turnSeq, m.role);
      }
      i = end;
    }
    this.pendingTitles = [];
    this.pendingMessages = [];
    this.pendingSearchThreads.clear();
  }

  private pendingParents = new Set<string>();
  private touchParent(id: string): void {
    this.pendingParents.add(id);
  }

  /** Recomputes child counts of parents touched since the last call (end of a batch). */
  flushParents(fx: WriteEffects): void {
    this.flushSearch();
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
      this.settleSearch(threadId); // buffered search rows carry the archived flag they were read with
      this.db.prepare('UPDATE threads SET rel_path = ?, archived = ? WHERE id = ?').run(other.rel_path, archived, threadId);
      fx.upserted.add(threadId);
      return;
    }
    this.removeThread(threadId, fx);
  }

  removeThread(threadId: string, fx: WriteEffects): void {
    this.settleSearch(threadId);
    const parent = (this.stmt.edgeOf.get(threadId) as { parent_id: string } | undefined)?.parent_id;
    this.stmt.deleteThread.run(threadId);
    this.turns.clear(threadId);
    this.deleteFts(threadId);
    this.stmt.deleteEdge.run(threadId);
    for (const child of recordAgentCloses(this.db, threadId, [], true)) fx.upserted.add(child);
    if (parent) this.touchParent(parent);
    fx.dropped++;
    fx.removed.add(threadId);
    fx.upserted.delete(threadId);
  }

  /** A known file moved (codex archive/unarchive, or a user's mv): the same bytes, a new path. */
  renameFile(fromRel: string, to: { relPath: string; archived: boolean; mtimeMs: number }, fx: WriteEffects): void {
    this.db.prepare('UPDATE files SET rel_path = ?, archived = ? WHERE rel_path = ?').run(to.relPath, to.archived ? 1 : 0, fromRel);
    const t = this.db.prepare('SELECT id, archived_at FROM threads WHERE rel_path = ?').get(fromRel) as
      { id: string; archived_at: number | null } | undefined;
    if (!t) return;
    // Codex: an archived thread without archived_at gets the file's mtime; an active one has none.
    const archivedAt = to.archived ? (t.archived_at ?? Math.floor(to.mtimeMs / 1000)) : null;
    this.settleSearch(t.id);
    this.db
      .prepare('UPDATE threads SET rel_path = ?, archived = ?, archived_at = ? WHERE id = ?')
      .run(to.relPath, to.archived ? 1 : 0, archivedAt, t.id);
    fx.upserted.add(t.id);
  }

  /**
   * A thread whose row points at a file that is not its own: point it at a file that holds it, or
   * drop it when none does. Returns a path to re-sync (the file the row pointed at), if any.
   */
  repointThread(threadId: string, onDisk: (rel: string) => boolean, fx: WriteEffects): string | null {
    const t = this.stmt.threadById.get(threadId) as ExistingThread | undefined;
    if (!t) return null;
    const own = (
      this.db
        .prepare("SELECT rel_path FROM files WHERE thread_id = ? AND status IN ('ok', 'duplicate') ORDER BY archived, mtime_ms DESC")
        .all(threadId) as { rel_path: string }[]
    ).find((f) => f.rel_path !== t.rel_path && onDisk(f.rel_path));
    if (own) {
      const archived = own.rel_path.startsWith('archived_sessions/') ? 1 : 0;
      this.db.prepare("UPDATE files SET status = 'ok' WHERE rel_path = ?").run(own.rel_path);
      this.settleSearch(threadId);
      this.db.prepare('UPDATE threads SET rel_path = ?, archived = ? WHERE id = ?').run(own.rel_path, archived, threadId);
      fx.upserted.add(threadId);
      return null;
    }
    this.removeThread(threadId, fx);
    return t.rel_path;
  }

  /** The file is gone from disk. */
  forgetFile(relPath: string, fx: WriteEffects): void {
    const prev = this.stmt.getFile.get(relPath) as { thread_id: string | null } | undefined;
    this.stmt.deleteFile.run(relPath);
    if (prev?.thread_id) this.detachFile(prev.thread_id, relPath, fx);
  }
}

export type ApplyOutcome = 'applied' | 'same' | 'stale' | 'vanished';

/**
 * Where a result's messages sit in rowid order, which full-text search reads as recency: the lower
 * the rowid, the newer the message (it ranks the newest matches first). A backfill walks the home
 * newest first, so each of its threads is older than everything it indexed before: 'older' numbers
 * its messages above all others, the plain append a bulk load wants. Anything indexed later (a new
 * thread, an append) is newer than all of them: 'newer' numbers its messages below.
 */
export type MessageOrder = 'older' | 'newer';

interface FileState {
  thread_id: string | null;
  status: string;
  size: number;
  mtime_ms: number;
  parsed_bytes: number;
  head_hash: string | null;
  tail_bytes: number;
}

/** The stored row already describes exactly this parse (another process, or an earlier job, wrote it). */
const isSameParse = (f: FileState, r: ParseResult): boolean =>
  f.size === r.size &&
  f.mtime_ms === r.mtimeMs &&
  f.head_hash === r.headHash &&
  f.parsed_bytes === r.parsedBytes &&
  f.status === r.status &&
  f.tail_bytes === r.tailBytes;

/** The columns the indexer writes; child_count is kept by flushParents. */
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
