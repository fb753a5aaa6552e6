// Applies the user journal onto the index: loads it into the overlay tables at start, records new
// entries (journal first, then the index), and re-applies the overlay to threads and edges that
// the indexer has just rewritten from their rollouts.
import type { Db } from '../db/database.ts';
import { UserJournal } from './journal.ts';
import { mergeGit, type GitRecord, type JournalRecord } from './records.ts';
import { recomputeAllEdgeStatus, recomputeEdgeStatus } from './edge-status.ts';

export class UserOverlay {
  readonly journal: UserJournal;
  private readonly db: Db;
  badLines = 0;

  constructor(db: Db, dataDir: string) {
    this.db = db;
    this.journal = new UserJournal(dataDir);
  }

  /** Replaces the overlay tables with the journal's content and applies them to every row. */
  reload(): void {
    // Under the index's write lock: another Spool process on this data folder appends only while
    // holding it, so a compaction here cannot lose its record.
    this.db
      .transaction(() => {
        const { records, badLines } = this.journal.compactIfWorthwhile(this.journal.load());
        this.badLines = badLines;
        this.db.prepare('DELETE FROM user_edge_status').run();
        this.db.prepare('DELETE FROM user_git').run();
        for (const r of records) this.store(r);
        this.applyAll();
      })
      .immediate();
  }

  /** Durably records user edits (journal first), then applies them to the index. */
  record(records: JournalRecord[]): void {
    this.db
      .transaction(() => {
        // The journal is the durable source: appended first (a failed append rolls the index back),
        // inside the index's write lock so that a compaction in another process waits for it.
        this.journal.append(records);
        for (const r of records) this.store(r);
        // Only what the records touch: a cascade of edge records needs no git pass.
        recomputeEdgeStatus(
          this.db,
          records.flatMap((r) => (r.type === 'edge' ? [r.childId] : [])),
        );
        this.applyGit(records.flatMap((r) => (r.type === 'git' ? [r.threadId] : [])));
      })
      .immediate();
  }

  private store(r: JournalRecord): void {
    if (r.type === 'edge') {
      this.db
        .prepare(
          'INSERT INTO user_edge_status (child_id, status, at) VALUES (?, ?, ?) ON CONFLICT(child_id) DO UPDATE SET status = excluded.status, at = excluded.at',
        )
        .run(r.childId, r.status, r.at);
      return;
    }
    const prev = this.gitOf(r.threadId);
    const m = mergeGit(prev, r);
    this.db
      .prepare(
        `INSERT INTO user_git (thread_id, sha, sha_set, branch, branch_set, origin_url, origin_url_set, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(thread_id) DO UPDATE SET sha = excluded.sha, sha_set = excluded.sha_set, branch = excluded.branch, branch_set = excluded.branch_set,
          origin_url = excluded.origin_url, origin_url_set = excluded.origin_url_set, at = excluded.at`,
      )
      .run(
        r.threadId,
        m.sha ?? null,
        m.sha !== undefined ? 1 : 0,
        m.branch ?? null,
        m.branch !== undefined ? 1 : 0,
        m.originUrl ?? null,
        m.originUrl !== undefined ? 1 : 0,
        m.at,
      );
  }

  private gitOf(threadId: string): GitRecord | undefined {
    const row = this.db.prepare('SELECT * FROM user_git WHERE thread_id = ?').get(threadId) as
      | {
          sha: string | null;
          sha_set: number;
          branch: string | null;
          branch_set: number;
          origin_url: string | null;
          origin_url_set: number;
          at: string;
        }
      | undefined;
    if (!row) return undefined;
    return {
      v: 1,
      type: 'git',
      threadId,
      at: row.at,
      ...(row.sha_set ? { sha: row.sha } : {}),
      ...(row.branch_set ? { branch: row.branch } : {}),
      ...(row.origin_url_set ? { originUrl: row.origin_url } : {}),
    };
  }

  /** Re-applies the overlay to these threads (after the indexer rewrote them). Call in a transaction. */
  applyTo(threadIds: Iterable<string>): void {
    const ids = [...threadIds];
    // An edge's status merges the journal with codex's own closes (edge-status.ts).
    recomputeEdgeStatus(this.db, ids);
    this.applyGit(ids);
  }

  private applyGit(ids: string[]): void {
    if (ids.length === 0) return;
    const git = this.db.prepare(`UPDATE threads SET
        git_sha = CASE WHEN u.sha_set THEN u.sha ELSE threads.git_sha END,
        git_branch = CASE WHEN u.branch_set THEN u.branch ELSE threads.git_branch END,
        git_origin_url = CASE WHEN u.origin_url_set THEN u.origin_url ELSE threads.git_origin_url END
      FROM (SELECT * FROM user_git WHERE thread_id = ?) AS u WHERE threads.id = u.thread_id`);
    for (const id of ids) git.run(id);
  }

  private applyAll(): void {
    recomputeAllEdgeStatus(this.db);
    this.db
      .prepare(
        `UPDATE threads SET
        git_sha = CASE WHEN u.sha_set THEN u.sha ELSE threads.git_sha END,
        git_branch = CASE WHEN u.branch_set THEN u.branch ELSE threads.git_branch END,
        git_origin_url = CASE WHEN u.origin_url_set THEN u.origin_url ELSE threads.git_origin_url END
      FROM user_git AS u WHERE threads.id = u.thread_id`,
      )
      .run();
  }
}
