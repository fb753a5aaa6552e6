// Applies the user journal onto the index: loads it into the overlay tables at start, records new
// entries (journal first, then the index), and re-applies the overlay to threads and edges that
// the indexer has just rewritten from their rollouts.
import type { Db } from '../db/database.ts';
import { UserJournal } from './journal.ts';
import { applyGitTo, applyGitToAll, clearOverlay, gitRecordOf, putEdgeStatus, putGit } from './overlay-sql.ts';
import { mergeGit, type JournalRecord } from './records.ts';
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
        clearOverlay(this.db);
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
        applyGitTo(
          this.db,
          records.flatMap((r) => (r.type === 'git' ? [r.threadId] : [])),
        );
      })
      .immediate();
  }

  private store(r: JournalRecord): void {
    if (r.type === 'edge') putEdgeStatus(this.db, r);
    else putGit(this.db, mergeGit(gitRecordOf(this.db, r.threadId), r));
  }

  /** Re-applies the overlay to these threads (after the indexer rewrote them). Call in a transaction. */
  applyTo(threadIds: Iterable<string>): void {
    const ids = [...threadIds];
    // An edge's status merges the journal with codex's own closes (edge-status.ts).
    recomputeEdgeStatus(this.db, ids);
    applyGitTo(this.db, ids);
  }

  private applyAll(): void {
    recomputeAllEdgeStatus(this.db);
    applyGitToAll(this.db);
  }
}
