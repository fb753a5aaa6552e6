// Writes parse results into the index, and keeps it whole when files move or go: a result is
// checked against its file's row, then the file, thread, turn, search and edge rows follow it.
// Callers batch many results into one transaction. The SQL is the tables' own modules'.
import type { ParseResult } from '../rollout/parse-file.ts';
import { recomputeEdgeStatus, recordAgentCloses } from '../user/edge-status.ts';
import type { Db } from '../db/database.ts';
import type { FileRows, FileState } from './file-rows.ts';
import { createdCandidateOf, threadRowOf, type ExistingThread, type ThreadRows } from './thread-rows.ts';
import { SearchRows, type MessageOrder } from './search-rows.ts';
import { TurnStore } from './turn-store.ts';

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

export type ApplyOutcome = 'applied' | 'same' | 'stale' | 'vanished';

/** What the writer works with besides the database. */
export interface WriterStores {
  files: FileRows;
  threads: ThreadRows;
  /** The name session_index.jsonl gives a thread (session-index.ts). */
  sessionNames: { nameOf(threadId: string): string | null };
}

export class IndexWriter {
  private readonly db: Db;
  private readonly files: FileRows;
  private readonly threads: ThreadRows;
  private readonly sessionNames: WriterStores['sessionNames'];
  private readonly turns: TurnStore;
  private readonly search: SearchRows;
  /** Parents touched since the last endBatch. */
  private readonly pendingParents = new Set<string>();
  defaultProvider: string;

  constructor(db: Db, defaultProvider: string, stores: WriterStores) {
    this.db = db;
    this.defaultProvider = defaultProvider;
    this.files = stores.files;
    this.threads = stores.threads;
    this.sessionNames = stores.sessionNames;
    this.turns = new TurnStore(db);
    this.search = new SearchRows(db);
  }

  /**
   * Stores one parse result. The result is checked against the file's row first, so that two
   * Spool processes indexing the same data folder (or a parse that raced a newer one) never apply
   * the same bytes twice: an incremental result must start where the stored parse stopped.
   */
  apply(r: ParseResult, fx: WriteEffects, order: MessageOrder = 'newer'): ApplyOutcome {
    const prev = this.files.state(r.relPath);
    if (r.status === 'ok' && !r.reset && (!prev || prev.parsed_bytes !== r.fromOffset || prev.head_hash !== r.headHash)) return 'stale';
    if (prev && isSameParse(prev, r)) return 'same';
    // Gone between the walk and the parse: the file is simply no longer part of the home.
    if (r.status === 'error' && r.problem === 'vanished') {
      this.forgetFile(r.relPath, fx);
      return 'vanished';
    }
    const threadId = r.status === 'ok' ? r.threadId : null;
    this.files.store(r, threadId);
    if (prev?.thread_id && prev.thread_id !== threadId) this.detachFile(prev.thread_id, r.relPath, fx);
    if (!threadId) return 'applied';

    const existing = this.threads.byId(threadId);
    if (existing && existing.rel_path !== r.relPath && this.isLiveFile(existing.rel_path)) {
      // Another file already holds this thread (a copy, or a half-finished move): keep the one we
      // have unless this one is the active copy and the other is archived.
      const keepExisting = !(existing.rel_path.startsWith('archived_sessions/') && !r.archived);
      if (keepExisting) {
        this.files.setStatus(r.relPath, 'duplicate');
        return 'applied';
      }
    }
    this.search.settle(threadId);
    // A thread seen for the first time has no rows to clear (the common case of a backfill).
    if (r.reset && (existing !== undefined || prev?.thread_id === threadId)) {
      this.turns.clear(threadId);
      this.search.clearMessages(threadId);
    }
    this.turns.apply(threadId, r.turnOps);
    for (const op of r.turnOps) {
      // A rollback dropped turns: their messages leave the search index too.
      if (op.op === 'truncate') this.search.truncateMessages(threadId, op.fromSeq);
    }
    this.search.addMessages(threadId, r.fts, order, r.archived);
    this.upsertThread(threadId, r, existing);
    if (!existing) fx.added++;
    // Sub-agents this thread closed: their edges' status may change (docs/FORMAT.md §5.2).
    for (const child of recordAgentCloses(this.db, threadId, r.agentCloses, r.reset)) fx.upserted.add(child);
    fx.upserted.add(threadId);
    fx.removed.delete(threadId);
    return 'applied';
  }

  private isLiveFile(relPath: string): boolean {
    return this.files.state(relPath)?.status === 'ok';
  }

  private upsertThread(id: string, r: ParseResult, existing: ExistingThread | undefined): void {
    const createdCandidate = createdCandidateOf(r);
    const created =
      existing && existing.created_at_ms - createdCandidate >= 0 && existing.created_at_ms - createdCandidate < 1000
        ? existing.created_at_ms
        : this.threads.uniqueMs('created', createdCandidate, id);
    const updated =
      existing && existing.updated_at_ms === r.mtimeMs
        ? existing.updated_at_ms
        : this.threads.uniqueMs('updated', Math.max(r.mtimeMs, created), id);
    const row = threadRowOf(id, r, {
      createdAtMs: created,
      updatedAtMs: updated,
      sessionName: this.sessionNames.nameOf(id),
      defaultProvider: this.defaultProvider,
      existing,
    });
    if (existing) this.threads.update(row);
    else {
      this.threads.insert(row);
      // Its search entry follows with the batch's.
      this.search.addThread(row);
    }
    const spawnParent = row.spawn_parent_id;
    const prevParent = this.threads.parentOf(id);
    if (spawnParent !== null) {
      this.threads.linkParent(id, spawnParent);
      recomputeEdgeStatus(this.db, [id]);
      this.pendingParents.add(spawnParent);
    } else if (prevParent) {
      this.threads.unlinkParent(id);
    }
    if (prevParent && prevParent !== spawnParent) this.pendingParents.add(prevParent);
  }

  /** The end of a batch: writes its buffered search entries and recomputes the child counts of the parents it touched. */
  endBatch(fx: WriteEffects): void {
    this.search.flush();
    for (const id of this.pendingParents) {
      this.threads.recountChildren(id);
      fx.parents.add(id);
    }
    this.pendingParents.clear();
  }

  /** A file that held `threadId` is gone or no longer holds it: move the thread or drop it. */
  detachFile(threadId: string, relPath: string, fx: WriteEffects): void {
    const t = this.threads.byId(threadId);
    if (!t || t.rel_path !== relPath) return;
    const other = this.files.otherOkFile(threadId, relPath);
    if (other !== undefined) {
      // Read-repair: point the thread at the file that still holds it.
      this.files.setStatus(other, 'ok');
      this.search.settle(threadId); // buffered search rows carry the archived flag they were read with
      this.threads.setFile(threadId, other, other.startsWith('archived_sessions/'));
      fx.upserted.add(threadId);
      return;
    }
    this.removeThread(threadId, fx);
  }

  removeThread(threadId: string, fx: WriteEffects): void {
    this.search.settle(threadId);
    const parent = this.threads.parentOf(threadId);
    this.threads.delete(threadId);
    this.turns.clear(threadId);
    this.search.clearMessages(threadId);
    this.threads.unlinkParent(threadId);
    for (const child of recordAgentCloses(this.db, threadId, [], true)) fx.upserted.add(child);
    if (parent) this.pendingParents.add(parent);
    fx.dropped++;
    fx.removed.add(threadId);
    fx.upserted.delete(threadId);
  }

  /** A known file moved (codex archive/unarchive, or a user's mv): the same bytes, a new path. */
  renameFile(fromRel: string, to: { relPath: string; archived: boolean; mtimeMs: number }, fx: WriteEffects): void {
    this.files.rename(fromRel, to.relPath, to.archived);
    const t = this.threads.byFile(fromRel);
    if (!t) return;
    // Codex: an archived thread without archived_at gets the file's mtime; an active one has none.
    const archivedAt = to.archived ? (t.archived_at ?? Math.floor(to.mtimeMs / 1000)) : null;
    this.search.settle(t.id);
    this.threads.setFileArchived(t.id, to.relPath, to.archived, archivedAt);
    fx.upserted.add(t.id);
  }

  /**
   * A thread whose row points at a file that is not its own: point it at a file that holds it, or
   * drop it when none does. Returns a path to re-sync (the file the row pointed at), if any.
   */
  repointThread(threadId: string, onDisk: (rel: string) => boolean, fx: WriteEffects): string | null {
    const t = this.threads.byId(threadId);
    if (!t) return null;
    const own = this.files.filesOfThread(threadId).find((rel) => rel !== t.rel_path && onDisk(rel));
    if (own !== undefined) {
      this.files.setStatus(own, 'ok');
      this.search.settle(threadId);
      this.threads.setFile(threadId, own, own.startsWith('archived_sessions/'));
      fx.upserted.add(threadId);
      return null;
    }
    this.removeThread(threadId, fx);
    return t.rel_path;
  }

  /** The file is gone from disk. */
  forgetFile(relPath: string, fx: WriteEffects): void {
    const prev = this.files.state(relPath);
    this.files.delete(relPath);
    if (prev?.thread_id) this.detachFile(prev.thread_id, relPath, fx);
  }
}

/** The stored row already describes exactly this parse (another process, or an earlier job, wrote it). */
const isSameParse = (f: FileState, r: ParseResult): boolean =>
  f.size === r.size &&
  f.mtime_ms === r.mtimeMs &&
  f.head_hash === r.headHash &&
  f.parsed_bytes === r.parsedBytes &&
  f.status === r.status &&
  f.tail_bytes === r.tailBytes;
