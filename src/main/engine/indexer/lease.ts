// This process's side of the backfill lease (the row itself is backfill-state.ts's). Before a
// backfill it claims the lease, or waits while another Spool process on the data folder holds it
// and shows that owner's progress; while it runs the backfill it renews the lease with a heartbeat
// and checkpoints it with every batch, and notices when a stall let another process take it over;
// at the end it completes the lease, or gives it back when it stops early.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/database.ts';
import { BackfillLease, HEARTBEAT_MS, LEASE_SECONDS, type BackfillProgress, type BackfillRow } from './backfill-state.ts';

/** What the holder tells while it waits for another process's backfill. */
export interface OwnerWatch {
  /** Another process holds the lease: this one waits. */
  waiting(): void;
  /** The owner's progress as of its last checkpoint; `advanced` when it wrote more since the last look. */
  owner(row: BackfillRow, advanced: boolean): void;
}

export interface LeaseOptions {
  /** Lease length (tests shorten it). */
  leaseSeconds?: number;
  /** How often a process that does not own the backfill looks at the owner's progress. */
  followPollMs?: number;
  /** The progress a checkpoint records. */
  progress: () => BackfillProgress;
  onError: (err: unknown) => void;
}

export class LeaseHolder {
  readonly lease: BackfillLease;
  /** This process runs the backfill now (it holds the lease and has not lost it). */
  active = false;
  private readonly pollMs: number;
  private readonly progress: () => BackfillProgress;
  private readonly onError: (err: unknown) => void;
  private heartbeat: NodeJS.Timeout | null = null;
  /** The last file of the last batch written: where a successor resumes. */
  private watermark: string | null = null;

  constructor(db: Db, opts: LeaseOptions) {
    this.lease = new BackfillLease(db, opts.leaseSeconds ?? LEASE_SECONDS);
    this.pollMs = opts.followPollMs ?? 500;
    this.progress = opts.progress;
    this.onError = opts.onError;
  }

  /**
   * Whether this pass is the backfill: none was completed, and this process holds the lease now
   * (after waiting for another owner as long as it ran). `followed`: it waited for one.
   */
  async acquire(closed: () => boolean, watch: OwnerWatch): Promise<{ backfill: boolean; followed: boolean }> {
    let followed = false;
    let backfill = !this.lease.isComplete();
    if (backfill) {
      while (!closed() && !this.lease.claim()) {
        followed = true;
        await this.follow(closed, watch);
        if (this.lease.isComplete()) break;
      }
      backfill = !this.lease.isComplete() && !closed();
    }
    return { backfill, followed };
  }

  /** While another process runs the backfill: show its progress; return when it ends or lapses. */
  private async follow(closed: () => boolean, watch: OwnerWatch): Promise<void> {
    let lastDone = -1;
    watch.waiting();
    for (;;) {
      if (closed()) return;
      const row = this.lease.state();
      if (row.status === 'complete' || row.status === 'pending' || this.lease.isAbandoned(row)) return;
      watch.owner(row, row.filesDone !== lastDone);
      lastDone = row.filesDone;
      await sleep(this.pollMs);
    }
  }

  /** The backfill starts here: renew the lease until it ends. */
  begin(): void {
    this.active = true;
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => {
      try {
        this.lease.checkpoint(null, this.progress());
      } catch (err) {
        this.onError(err);
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * A batch written up to `watermark` (inside its transaction). False when the lease was lost: we
   * stalled past it and another process took the backfill over.
   */
  checkpoint(watermark: string): boolean {
    if (!this.active) return true;
    this.watermark = watermark;
    if (this.lease.checkpoint(this.watermark, this.progress())) return true;
    this.active = false;
    return false;
  }

  /** The walk and every write are done: the backfill is complete (if it is still ours). */
  complete(): void {
    if (!this.active) return;
    this.lease.checkpoint(this.watermark, this.progress());
    this.lease.complete();
  }

  /** The pass is over, complete or not. */
  end(): void {
    this.stopHeartbeat();
    this.active = false;
  }

  /** Stops: a clean stop mid-backfill gives the lease back so another process can continue at once. */
  close(): void {
    const wasOwner = this.active;
    this.stopHeartbeat();
    if (wasOwner) this.lease.release();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}
