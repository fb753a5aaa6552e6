// The parse-and-write pipeline. Jobs (files to parse, in priority order) are sent to the parse
// pool in batches with a bounded number in flight; results come back out of order and are
// written in batched transactions on the engine thread, yielding to the event loop between
// batches so requests are answered while a backfill runs. A file is never parsed twice at once:
// a job for a file already in flight is deferred until the first one is written.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { ParseJob, ParseResult } from '../rollout/parse-file.ts';
import type { ParsePool } from './parse-pool.ts';
import type { ScannedFile } from './scan.ts';

export interface Job {
  file: ScannedFile;
  /** Continue from the stored parse state (a known file that changed) rather than from byte 0. */
  resume: boolean;
  /** 'backfill' jobs come from a backfill; the rest from catching up with live changes. */
  origin: 'backfill' | 'live';
  group?: JobGroup;
  /** Set by the runner: the mutation count when the job was sent to be parsed. */
  generation?: number;
}

/** Tracks a set of jobs so a caller can await them and read what they cost. */
export class JobGroup {
  parsed = 0;
  bytes = 0;
  private open = 0;
  private sealed = false;
  private readonly waiters: (() => void)[] = [];

  add(): void {
    this.open++;
  }

  settle(r: ParseResult | null): void {
    if (r) {
      this.parsed++;
      this.bytes += r.bytesRead;
    }
    this.open--;
    this.check();
  }

  /** No more jobs will be added; `done()` resolves once the ones added are settled. */
  seal(): void {
    this.sealed = true;
    this.check();
  }

  done(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.check();
    });
  }

  private check(): void {
    if (!this.sealed || this.open > 0) return;
    for (const w of this.waiters.splice(0)) w();
  }
}

export interface RunnerHooks {
  /** The stored resume point of a file, or null (a full parse). */
  loadResume(relPath: string): ParseJob['resume'];
  /**
   * Writes results in one transaction and returns the paths to look at again (stale or raced).
   * `mutatedSince` tells whether a mutation (archive, rename…) ran while the job was parsed.
   */
  write(batch: { job: Job; result: ParseResult; mutatedSince: boolean }[]): string[];
  /** Re-checks a file after a stale result or a change during its parse. */
  recheck(relPath: string): void;
  onParsed(job: Job, result: ParseResult): void;
  onError(err: unknown): void;
  /** Nothing is queued, parsing or waiting to be written any more. */
  onIdle(): void;
}

/** About how much file a batch sent to a worker should hold. */
const BATCH_BYTES = 2 * 1024 * 1024;
const BATCH_FILES = 64;
/**
 * Results written per transaction, and the longest a backfill result waits to be written: big
 * transactions amortise the commit (and FTS5's segment flush) over many files. A live change is
 * written as soon as nothing else is being parsed.
 */
const WRITE_FILES = 256;
const WRITE_WAIT_MS = 100;

export class JobRunner {
  private readonly pool: ParsePool;
  private readonly hooks: RunnerHooks;
  private readonly queue: Job[] = [];
  private queueHead = 0;
  private readonly queued = new Set<string>();
  private readonly inFlightPaths = new Set<string>();
  /** Paths asked for again while in flight: rechecked once their current job is written. */
  private readonly again = new Set<string>();
  private inFlight = 0;
  private pending: { job: Job; result: ParseResult }[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private writing = false;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private paused = 0;
  private closed = false;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(pool: ParsePool, hooks: RunnerHooks) {
    this.pool = pool;
    this.hooks = hooks;
  }

  get busy(): boolean {
    return this.queueLength() > 0 || this.inFlight > 0 || this.pending.length > 0 || this.writing;
  }

  private queueLength(): number {
    return this.queue.length - this.queueHead;
  }

  /** Adds jobs at the back (backfill order) or, with `urgent`, at the front (live changes). */
  enqueue(jobs: Job[], urgent = false): void {
    const fresh: Job[] = [];
    for (const j of jobs) {
      const p = j.file.relPath;
      if (this.inFlightPaths.has(p)) {
        this.again.add(p);
        j.group?.settle(null);
        continue;
      }
      if (this.queued.has(p)) {
        j.group?.settle(null);
        continue;
      }
      this.queued.add(p);
      fresh.push(j);
    }
    if (fresh.length === 0) return;
    if (urgent) {
      this.compact();
      this.queue.unshift(...fresh);
    } else this.queue.push(...fresh);
    this.pump();
  }

  private compact(): void {
    if (this.queueHead > 0) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
  }

  /** Holds writes (parsing goes on) while `fn` runs: a mutation never interleaves with a batch. */
  async withWritesPaused<T>(fn: () => T | Promise<T>): Promise<T> {
    this.paused++;
    while (this.writing) await yieldToLoop();
    try {
      return await fn();
    } finally {
      this.generation++;
      this.paused--;
      this.scheduleFlush();
    }
  }

  /** Mutations run so far: a result parsed before one may describe a file that has since moved. */
  private generation = 0;

  /** Resolves when nothing is queued, parsing or waiting to be written. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** The producer has enqueued everything it will: write what remains without waiting for more. */
  private drainRequested = false;
  endOfInput(): void {
    this.drainRequested = true;
    this.scheduleFlush();
  }

  close(): void {
    this.closed = true;
    for (const j of this.queue.slice(this.queueHead)) j.group?.settle(null);
    this.queue.length = 0;
    this.queueHead = 0;
    this.queued.clear();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    for (const p of this.pending) p.job.group?.settle(null);
    this.pending = [];
    this.notifyIdle();
  }

  /**
   * Batches sent to parse and not yet back. Several per worker, so that a worker always has the
   * next batch waiting while this thread spends a hundred milliseconds writing a transaction.
   */
  private maxInFlight(): number {
    return Math.max(1, this.pool.size) * 8;
  }

  private takeBatch(): Job[] {
    const batch: Job[] = [];
    let bytes = 0;
    while (this.queueLength() > 0 && batch.length < BATCH_FILES && (batch.length === 0 || bytes < BATCH_BYTES)) {
      const j = this.queue[this.queueHead++]!;
      j.generation = this.generation;
      this.queued.delete(j.file.relPath);
      this.inFlightPaths.add(j.file.relPath);
      batch.push(j);
      bytes += j.file.size;
    }
    if (this.queueHead > 4096 && this.queueHead * 2 > this.queue.length) this.compact();
    return batch;
  }

  private pump(): void {
    while (!this.closed && this.inFlight < this.maxInFlight() && this.queueLength() > 0) {
      const batch = this.takeBatch();
      const jobs: ParseJob[] = batch.map((j) => ({
        absPath: j.file.absPath,
        relPath: j.file.relPath,
        archived: j.file.archived,
        filenameId: j.file.filenameId,
        resume: j.resume ? this.hooks.loadResume(j.file.relPath) : null,
      }));
      this.inFlight++;
      this.pool.parseBatch(jobs).then(
        (results) => {
          this.inFlight--;
          if (this.closed) {
            for (const j of batch) j.group?.settle(null);
            return;
          }
          results.forEach((r, i) => {
            this.hooks.onParsed(batch[i]!, r);
            this.pending.push({ job: batch[i]!, result: r });
          });
          this.scheduleFlush();
          this.pump();
        },
        (err: unknown) => {
          this.inFlight--;
          for (const j of batch) {
            this.inFlightPaths.delete(j.file.relPath);
            j.group?.settle(null);
          }
          if (!this.closed) this.hooks.onError(err);
          this.pump();
          this.notifyIdle();
        },
      );
    }
    this.notifyIdle();
  }

  /** A full batch is ready, or nothing more is coming soon (a live change, or the end of a pass). */
  private shouldWriteNow(): boolean {
    if (this.pending.length >= WRITE_FILES) return true;
    const nothingElse = this.inFlight === 0 && this.queueLength() === 0;
    return nothingElse && (this.drainRequested || this.pending.every((p) => p.job.origin === 'live'));
  }

  private scheduleFlush(): void {
    if (this.closed || this.pending.length === 0 || this.paused > 0 || this.writing) return;
    if (this.shouldWriteNow()) {
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.flushTimer = null;
      void this.flush();
    } else if (!this.flushTimer) {
      // Results wait for company at most WRITE_WAIT_MS after the last write, so the very first
      // ones (the newest threads: the first page) are written at once.
      const wait = Math.max(0, WRITE_WAIT_MS - (performance.now() - this.lastWriteAt));
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        void this.flush();
      }, wait);
    }
  }

  private async flush(): Promise<void> {
    if (this.writing || this.paused > 0 || this.closed) return;
    this.writing = true;
    try {
      let first = true;
      while (this.pending.length > 0 && this.paused === 0 && !this.closed && (first || this.shouldWriteNow())) {
        first = false;
        const batch = this.pending.splice(0, WRITE_FILES);
        let retry: string[] = [];
        try {
          retry = this.hooks.write(batch.map((b) => ({ ...b, mutatedSince: b.job.generation !== this.generation })));
        } catch (err) {
          this.hooks.onError(err);
        }
        for (const { job, result } of batch) {
          this.inFlightPaths.delete(job.file.relPath);
          job.group?.settle(result);
        }
        const recheck = new Set(retry);
        for (const { job } of batch) {
          if (this.again.delete(job.file.relPath)) recheck.add(job.file.relPath);
        }
        for (const p of recheck) this.hooks.recheck(p);
        this.lastWriteAt = performance.now();
        // Let requests in between two transactions.
        await yieldToLoop();
      }
    } finally {
      this.writing = false;
    }
    if (this.pending.length > 0) this.scheduleFlush();
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.busy) return;
    this.drainRequested = false;
    for (const w of this.idleWaiters.splice(0)) w();
    if (!this.closed) this.hooks.onIdle();
  }
}
