// The indexer's progress as clients see it (`spool/index/status`, `spool/index/progress`): the
// phase, files and bytes done out of those found so far, the rate and the time left, and the
// thread count; plus what each parse cost (kept for diagnostics and tests: what did an append
// cost?). Progress notifications are throttled to ten a second except at the turns of a pass.
import type { IndexProgress } from '../../../shared/protocol/index.ts';
import type { EngineEvents } from '../events.ts';
import type { ParseResult } from '../rollout/parse-file.ts';
import type { BackfillProgress, BackfillRow } from './backfill-state.ts';

/** One parse, as the indexer saw it. */
export interface ParseRecord {
  relPath: string;
  reset: boolean;
  fromOffset: number;
  toOffset: number;
  bytesRead: number;
  at: number;
}

const IDLE_PROGRESS = (): IndexProgress => ({
  phase: 'idle',
  filesDone: 0,
  filesTotal: 0,
  bytesDone: 0,
  bytesTotal: 0,
  rate: 0,
  etaMs: null,
  startedAtMs: null,
  threads: 0,
  scanning: false,
});

/** Progress notifications between two turns of a pass are at least this far apart. */
const EMIT_EVERY_MS = 100;

export class ProgressMeter {
  readonly status: IndexProgress = IDLE_PROGRESS();
  /** Totals since start, and the most recent parses. */
  readonly stats = { filesParsed: 0, bytesParsed: 0, recent: [] as ParseRecord[] };
  private readonly events: EngineEvents;
  private readonly countThreads: () => number;
  private lastEmitAt = 0;
  private stopped = false;

  constructor(events: EngineEvents, countThreads: () => number) {
    this.events = events;
    this.countThreads = countThreads;
    this.status.threads = countThreads();
  }

  get idle(): boolean {
    return this.status.phase === 'idle';
  }

  /** Work begins (a pass, or live changes): a fresh count unless the same kind of work is under way. */
  begin(phase: 'backfill' | 'live', scanning = false): void {
    const p = this.status;
    if (p.phase === 'idle' || (phase === 'backfill' && p.phase !== 'backfill')) {
      Object.assign(p, IDLE_PROGRESS(), { phase, startedAtMs: Date.now(), threads: p.threads });
    }
    if (scanning) p.scanning = true;
    this.emit(true);
  }

  /** A file found that will be parsed: `bytes` of it are new. */
  queued(bytes: number): void {
    this.status.filesTotal += 1;
    this.status.bytesTotal += bytes;
  }

  /** The walk of the home is over: the totals are final, and the time left can be told. */
  scanned(): void {
    this.status.scanning = false;
  }

  parsed(r: ParseResult): void {
    this.stats.filesParsed += 1;
    this.stats.bytesParsed += r.bytesRead;
    this.stats.recent.push({
      relPath: r.relPath,
      reset: r.reset,
      fromOffset: r.fromOffset,
      toOffset: r.parsedBytes,
      bytesRead: r.bytesRead,
      at: Date.now(),
    });
    if (this.stats.recent.length > 1000) this.stats.recent.splice(0, 500);
    this.status.filesDone += 1;
    this.status.bytesDone += r.bytesRead;
    this.emit(false);
  }

  /** Threads added and dropped by a batch (a running count: count(*) over a large index is too slow to run per batch). */
  threadsChanged(delta: number): void {
    this.status.threads += delta;
  }

  /** Nothing is left to do: a last report of the finished work, then idle. */
  finish(): void {
    this.status.threads = this.countThreads();
    this.emit(true);
    Object.assign(this.status, IDLE_PROGRESS(), { threads: this.status.threads });
    this.emit(true);
  }

  /** Another process runs the backfill: this one shows its progress instead. */
  following(): void {
    this.status.phase = 'backfill';
  }

  /** The backfill owner's progress as of its last checkpoint. */
  showOwner(row: BackfillRow): void {
    const p = this.status;
    p.phase = 'backfill';
    p.filesDone = row.filesDone;
    p.filesTotal = row.filesTotal;
    p.bytesDone = row.bytesDone;
    p.bytesTotal = row.bytesTotal;
    p.startedAtMs = row.startedAtMs;
    p.threads = this.countThreads();
    this.emit(true);
  }

  /** What a backfill checkpoint records. */
  backfill(): BackfillProgress {
    const p = this.status;
    return {
      filesDone: p.filesDone,
      filesTotal: p.filesTotal,
      bytesDone: p.bytesDone,
      bytesTotal: p.bytesTotal,
      startedAtMs: p.startedAtMs,
    };
  }

  /** The indexer is closing: no more notifications. */
  stop(): void {
    this.stopped = true;
  }

  /** Notifies the progress (rate and time left brought up to date); unless forced, at most every EMIT_EVERY_MS. */
  emit(force: boolean): void {
    if (this.stopped) return;
    const now = Date.now();
    if (!force && now - this.lastEmitAt < EMIT_EVERY_MS) return;
    this.lastEmitAt = now;
    const p = this.status;
    const elapsed = p.startedAtMs ? (now - p.startedAtMs) / 1000 : 0;
    p.rate = elapsed > 0 ? Math.round(p.bytesDone / elapsed) : 0;
    p.etaMs = p.rate > 0 && !p.scanning && p.bytesTotal > p.bytesDone ? Math.round(((p.bytesTotal - p.bytesDone) / p.rate) * 1000) : null;
    this.events.emit('spool/index/progress', { ...p });
  }
}
