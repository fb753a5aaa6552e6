// The backfill lease as the index stores it (docs/FORMAT.md §7.2, the backfill_state row): one
// process at a time runs the full backfill of a data folder; the owner checkpoints a watermark and
// its progress after every batch and renews the lease with a heartbeat; a crashed owner's lease
// expires (at once when its process is gone from this machine), and another process takes over
// where it stopped. How this process holds it (or waits for another's) is lease.ts's.
import crypto from 'node:crypto';
import os from 'node:os';
import type { Db } from '../db/database.ts';

/** A lease not renewed for this long is free: the owner heartbeats far more often. */
export const LEASE_SECONDS = 30;
export const HEARTBEAT_MS = 5_000;

export interface BackfillRow {
  status: 'pending' | 'running' | 'complete';
  lastWatermark: string | null;
  lastSuccessAt: number | null;
  owner: string | null;
  updatedAt: number;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  startedAtMs: number | null;
}

export interface BackfillProgress {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  startedAtMs: number | null;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Whether the process named in an owner string may still be alive (only knowable on this machine). */
export function ownerMayBeAlive(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  if (host !== os.hostname()) return true;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return !(err instanceof Error && 'code' in err && (err as { code: unknown }).code === 'ESRCH');
  }
}

/** The backfill_state row as stored (one row, id 1). */
interface StateRow {
  status: BackfillRow['status'];
  last_watermark: string | null;
  last_success_at: number | null;
  owner: string | null;
  updated_at: number;
  files_done: number;
  files_total: number;
  bytes_done: number;
  bytes_total: number;
  started_at_ms: number | null;
}

const rowOf = (r: StateRow): BackfillRow => ({
  status: r.status,
  lastWatermark: r.last_watermark ?? null,
  lastSuccessAt: r.last_success_at ?? null,
  owner: r.owner ?? null,
  updatedAt: r.updated_at,
  filesDone: r.files_done,
  filesTotal: r.files_total,
  bytesDone: r.bytes_done,
  bytesTotal: r.bytes_total,
  startedAtMs: r.started_at_ms ?? null,
});

function prepare(db: Db) {
  return {
    state: db.prepare<[], StateRow>('SELECT * FROM backfill_state WHERE id = 1'),
    claim: db.prepare<[string, number, number]>(
      "UPDATE backfill_state SET status = 'running', owner = ?, updated_at = ?, started_at_ms = coalesce(started_at_ms, ?) WHERE id = 1",
    ),
    checkpoint: db.prepare<[string | null, number, number, number, number, number, string]>(
      `UPDATE backfill_state SET last_watermark = coalesce(?, last_watermark), updated_at = ?, files_done = ?, files_total = ?,
          bytes_done = ?, bytes_total = ? WHERE id = 1 AND status = 'running' AND owner = ?`,
    ),
    complete: db.prepare<[number, number, string]>(
      "UPDATE backfill_state SET status = 'complete', last_success_at = ?, updated_at = ?, owner = NULL WHERE id = 1 AND status = 'running' AND owner = ?",
    ),
    release: db.prepare<[string]>(
      "UPDATE backfill_state SET status = 'pending', owner = NULL WHERE id = 1 AND status = 'running' AND owner = ?",
    ),
    reset: db.prepare<[]>(
      `UPDATE backfill_state SET status = 'pending', last_watermark = NULL, owner = NULL, updated_at = 0, files_done = 0, files_total = 0,
          bytes_done = 0, bytes_total = 0, started_at_ms = NULL WHERE id = 1`,
    ),
  };
}

export class BackfillLease {
  private readonly db: Db;
  private readonly stmt: ReturnType<typeof prepare>;
  private readonly leaseSeconds: number;
  /** host:pid:random — the host and pid let a successor on this machine see that the owner died. */
  readonly owner = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;

  constructor(db: Db, leaseSeconds = LEASE_SECONDS) {
    this.db = db;
    this.stmt = prepare(db);
    this.leaseSeconds = leaseSeconds;
  }

  state(): BackfillRow {
    return rowOf(this.stmt.state.get()!);
  }

  isComplete(): boolean {
    return this.state().status === 'complete';
  }

  /** Whether a running backfill's owner has let its lease lapse (or died on this machine). */
  isAbandoned(row: BackfillRow, now = nowSeconds()): boolean {
    if (row.status !== 'running' || row.owner === null || row.owner === this.owner) return row.status !== 'complete';
    return row.updatedAt <= now - this.leaseSeconds || !ownerMayBeAlive(row.owner);
  }

  /** Claims the lease unless the backfill is complete or another live owner holds it. */
  claim(now = nowSeconds()): boolean {
    return this.db
      .transaction(() => {
        const row = this.state();
        if (row.status === 'complete') return false;
        if (row.status === 'running' && row.owner !== this.owner && !this.isAbandoned(row, now)) return false;
        this.stmt.claim.run(this.owner, now, Date.now());
        return true;
      })
      .immediate();
  }

  /**
   * Records progress (and renews the lease) if we still own it; false when the lease was lost (we
   * stalled past it and another process took over). Call inside the batch's transaction.
   */
  checkpoint(watermark: string | null, p: BackfillProgress, now = nowSeconds()): boolean {
    return this.stmt.checkpoint.run(watermark, now, p.filesDone, p.filesTotal, p.bytesDone, p.bytesTotal, this.owner).changes === 1;
  }

  complete(now = nowSeconds()): void {
    this.stmt.complete.run(now, now, this.owner);
  }

  /** Gives the lease back unfinished (a clean shutdown mid-backfill), so a successor need not wait. */
  release(): void {
    this.stmt.release.run(this.owner);
  }

  /** Forgets completion, so the next pass backfills from scratch. */
  reset(): void {
    this.stmt.reset.run();
  }
}
