// The backfill lease (codex-format.md §7.2): one process at a time runs the full backfill of a
// data folder; a crashed owner's lease expires; progress is checkpointed with a watermark.
import crypto from 'node:crypto';
import type { Db } from '../db/database.ts';

export const LEASE_SECONDS = 900;

export class BackfillLease {
  private readonly db: Db;
  readonly owner = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;

  constructor(db: Db) {
    this.db = db;
  }

  status(): { status: string; lastWatermark: string | null; owner: string | null; updatedAt: number } {
    const r = this.db.prepare('SELECT status, last_watermark, owner, updated_at FROM backfill_state WHERE id = 1').get() as {
      status: string;
      last_watermark: string | null;
      owner: string | null;
      updated_at: number;
    };
    return { status: r.status, lastWatermark: r.last_watermark, owner: r.owner, updatedAt: r.updated_at };
  }

  /** Claims the lease unless the backfill is complete or another live owner holds it. */
  claim(now = Math.floor(Date.now() / 1000), leaseSeconds = LEASE_SECONDS): boolean {
    const r = this.db
      .prepare(`UPDATE backfill_state SET status = 'running', owner = ?, updated_at = ?
        WHERE id = 1 AND status != 'complete' AND (status != 'running' OR owner = ? OR updated_at <= ?)`)
      .run(this.owner, now, this.owner, now - leaseSeconds);
    return r.changes === 1;
  }

  checkpoint(watermark: string, now = Math.floor(Date.now() / 1000)): void {
    this.db.prepare("UPDATE backfill_state SET last_watermark = ?, updated_at = ? WHERE id = 1 AND status = 'running' AND owner = ?").run(watermark, now, this.owner);
  }

  complete(now = Math.floor(Date.now() / 1000)): void {
    this.db
      .prepare("UPDATE backfill_state SET status = 'complete', last_success_at = ?, updated_at = ?, owner = NULL WHERE id = 1 AND (owner = ? OR status != 'running')")
      .run(now, now, this.owner);
  }

  /** Forgets completion, so the next start backfills from scratch (used by a rebuild). */
  reset(): void {
    this.db.prepare("UPDATE backfill_state SET status = 'pending', last_watermark = NULL, owner = NULL, updated_at = 0 WHERE id = 1").run();
  }
}
