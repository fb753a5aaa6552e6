// Keeps the index equal to the home. A full pass walks the home newest first and compares each
// file's size and mtime with the index, so new, grown, rewritten, moved and deleted rollouts are
// found without reading them; only changed bytes are parsed (in the worker pool) and written in
// batched transactions. The first pass over a data folder is the backfill: resumable,
// checkpointed, and leased to one process at a time.
//
// This is the coordinator: it decides what to parse, write, move or forget, and in which order.
// What changed is diff.ts's to find; the lease (lease.ts), names (names.ts), progress
// (progress.ts), notifications (announce.ts), structural writes (moves.ts), parse results
// (writer.ts and the rows' modules) and the parse pipeline (runner.ts) are their own modules.
import fs from 'node:fs';
import type { Db } from '../db/database.ts';
import type { CodexHome } from '../home.ts';
import type { ParseResult } from '../rollout/parse-file.ts';
import type { EngineEvents } from '../events.ts';
import type { IndexProgress, IndexReportResult } from '../../../shared/protocol/index.ts';
import type { ParsePool } from './parse-pool.ts';
import { walkHome, type ScanProblem } from './scan.ts';
import { KnownStates } from './known-states.ts';
import { IndexWriter, newEffects } from './writer.ts';
import { diffPaths, PassDiff, type Rename } from './diff.ts';
import { Moves } from './moves.ts';
import { FileRows, type FileRow } from './file-rows.ts';
import { ThreadRows } from './thread-rows.ts';
import { SessionIndex, type NamesSync } from './session-index.ts';
import { Names } from './names.ts';
import type { BackfillLease } from './backfill-state.ts';
import { LeaseHolder } from './lease.ts';
import { ProgressMeter, type ParseRecord } from './progress.ts';
import { Announcer } from './announce.ts';
import { IndexProblems } from './problems.ts';
import { OverlayGate, type Overlay } from './overlay-gate.ts';
import { JobGroup, JobRunner, type Job } from './runner.ts';

/** WAL pages between automatic checkpoints: while backfilling (64 MB), and otherwise (SQLite's default). */
const BACKFILL_CHECKPOINT_PAGES = 16_384;
const LIVE_CHECKPOINT_PAGES = 1000;
/** File rows read per slice when a pass loads them all. */
const FILE_ROWS_PER_SLICE = 5000;

export interface IndexerDeps {
  db: Db;
  home: CodexHome;
  pool: ParsePool;
  events: EngineEvents;
  /** Re-applies Spool-authored state (the user journal) to rows the indexer just rewrote, in the same transaction. */
  overlay?: Overlay;
  /** Backfill lease length (tests shorten it). */
  leaseSeconds?: number;
  /** How often a process that does not own the backfill looks at the owner's progress. */
  followPollMs?: number;
}

export interface ReconcileSummary {
  scanned: number;
  parsed: number;
  removed: number;
  moved: number;
  bytesParsed: number;
  ms: number;
  /** True when this process ran (or resumed) the backfill; false for a catch-up pass. */
  backfill: boolean;
  /** Another process owned the backfill and this one waited for it. */
  followed: boolean;
}

const exists = (abs: string): boolean => fs.existsSync(abs);

export class Indexer {
  readonly writer: IndexWriter;
  private readonly deps: IndexerDeps;
  private readonly files: FileRows;
  private readonly threads: ThreadRows;
  private readonly names: Names;
  private readonly holder: LeaseHolder;
  private readonly meter: ProgressMeter;
  private readonly announce: Announcer;
  private readonly problems = new IndexProblems();
  private readonly overlay: OverlayGate;
  private readonly moves: Moves;
  private readonly runner: JobRunner;
  /** Serialises the short structural steps (moves, removals, names, mutations). */
  private chain: Promise<unknown> = Promise.resolve();
  private fullRun: Promise<ReconcileSummary> | null = null;
  private fullAgain = false;
  private walking = false;
  private closed = false;
  /** What this process wrote or announced, to tell another Spool process's indexing from old news. */
  private readonly known = new KnownStates();

  constructor(deps: IndexerDeps) {
    const { db, home, events } = deps;
    this.deps = deps;
    this.files = FileRows.of(db);
    this.threads = new ThreadRows(db);
    const sessionIndex = new SessionIndex(db, home);
    this.writer = new IndexWriter(db, home.defaultProvider(), { files: this.files, threads: this.threads, sessionNames: sessionIndex });
    this.holder = new LeaseHolder(db, {
      ...(deps.leaseSeconds !== undefined ? { leaseSeconds: deps.leaseSeconds } : {}),
      ...(deps.followPollMs !== undefined ? { followPollMs: deps.followPollMs } : {}),
      progress: () => this.meter.backfill(),
      onError: (err) => this.problems.error(err),
    });
    this.names = new Names(db, sessionIndex, events);
    this.meter = new ProgressMeter(events, () => this.threads.count());
    this.announce = new Announcer(events, this.threads);
    this.overlay = new OverlayGate(db, deps.overlay);
    this.moves = new Moves({ db, writer: this.writer, known: this.known, overlay: this.overlay, announce: this.announce });
    this.runner = new JobRunner(deps.pool, {
      loadResume: (rel) => this.files.resumeOf(rel),
      write: (batch) => this.writeBatch(batch),
      recheck: (rel) => this.recheckPath(rel),
      onParsed: (_job, r) => this.meter.parsed(r),
      onError: (err) => this.problems.error(err),
      onIdle: () => this.finishActivity(),
    });
  }

  /** What `spool/index/status` answers; notifications carry copies of it. */
  get progress(): IndexProgress {
    return this.meter.status;
  }

  /** Totals since start, and the most recent parses. */
  get stats(): { filesParsed: number; bytesParsed: number; recent: ParseRecord[] } {
    return this.meter.stats;
  }

  /** The backfill lease as stored. */
  get lease(): BackfillLease {
    return this.holder.lease;
  }

  /** Parse worker threads (0: parsing runs on the engine's thread). */
  get poolSize(): number {
    return this.deps.pool.size;
  }

  // ---------------------------------------------------------------------------------------------
  // entry points

  /**
   * A full pass over the home: the backfill when the data folder has none yet, else a cheap
   * stat-based catch-up. Calls made while a pass runs share it (and ask for one more after it).
   */
  reconcile(): Promise<ReconcileSummary> {
    if (this.fullRun) {
      this.fullAgain = true;
      return this.fullRun;
    }
    const run = (async (): Promise<ReconcileSummary> => {
      try {
        let s = await this.fullPass();
        while (this.fullAgain && !this.closed) {
          this.fullAgain = false;
          s = await this.fullPass();
        }
        return s;
      } finally {
        this.fullRun = null;
      }
    })();
    this.fullRun = run;
    return run;
  }

  /** Re-checks only these home-relative paths (from the watcher, or a read that found a stale row). */
  async syncPaths(relPaths: Iterable<string>): Promise<ReconcileSummary> {
    const t0 = performance.now();
    const group = new JobGroup();
    const counts = { moved: 0, removed: 0 };
    await this.critical(() => this.syncPathsNow([...new Set(relPaths)], group, counts));
    group.seal();
    await group.done();
    return {
      scanned: 0,
      parsed: group.parsed,
      removed: counts.removed,
      moved: counts.moved,
      bytesParsed: group.bytes,
      ms: performance.now() - t0,
      backfill: false,
      followed: false,
    };
  }

  /** Read-repair: re-syncs stale files and points mis-pointed threads back at their own file. */
  async repair(stale: { paths: string[]; threads: string[] }): Promise<void> {
    if (stale.threads.length > 0) {
      const paths = await this.critical(() => this.moves.repoint(stale.threads, (rel) => exists(this.deps.home.abs(rel))));
      stale.paths.push(...paths);
    }
    if (stale.paths.length > 0) await this.syncPaths(stale.paths);
  }

  /**
   * Runs `fn` with the index quiet: no batch is written while it runs. Mutations that move or
   * append to rollouts (archive, rename, git edits) run here, so the index never sees half of one.
   */
  exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.critical(() => this.runner.withWritesPaused(fn));
  }

  /** Re-reads appended session_index.jsonl lines. */
  syncNames(): Promise<string[]> {
    return this.critical(() => this.names.sync());
  }

  /**
   * Reads session_index.jsonl's new entries into the index (in its own transaction), including
   * those another Spool process applied first. The caller announces them. Run it inside
   * `critical` or `exclusive`.
   */
  applyNames(): NamesSync {
    return this.names.apply();
  }

  /** Resolves when no parse or write is pending (after a reconcile, every file it found is written). */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  /** Stops indexing; resolves once nothing touches the database any more. */
  async close(): Promise<void> {
    this.closed = true;
    this.meter.stop();
    this.runner.close();
    // A clean stop mid-backfill gives the lease back so another process can continue at once.
    this.holder.close();
    await this.fullRun?.catch(() => undefined);
  }

  /** A move this process's engine wrote to the index itself (an archive or unarchive). */
  noteOwnWrite(fromRel: string, toRel: string, stat: { size: number; mtimeMs: number }): void {
    this.known.note(fromRel);
    this.known.note(toRel, stat);
  }

  report(limit = 200): IndexReportResult {
    return this.problems.report(this.files, this.deps.home, this.threads.count(), limit);
  }

  private critical<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  // ---------------------------------------------------------------------------------------------
  // the full pass

  private async fullPass(): Promise<ReconcileSummary> {
    const t0 = performance.now();
    const { backfill, followed } = await this.holder.acquire(() => this.closed, {
      waiting: () => this.meter.following(),
      owner: (row, advanced) => {
        this.meter.showOwner(row);
        // The owner's writes are visible here: clients should re-read what they show.
        if (advanced) this.announce.everything('backfill');
      },
    });
    if (this.closed) return { scanned: 0, parsed: 0, removed: 0, moved: 0, bytesParsed: 0, ms: 0, backfill: false, followed };

    // A backfill writes the whole index at once: checkpointing the WAL every 4 MB (SQLite's
    // default) costs an fsync each time, a third of the backfill at 100k threads. Afterwards the
    // default returns, so that live writes never leave a large WAL to checkpoint in one go.
    if (backfill) this.deps.db.pragma(`wal_autocheckpoint = ${BACKFILL_CHECKPOINT_PAGES}`);
    if (backfill) {
      this.holder.begin();
      this.announce.everything('rebuild');
    }
    try {
      const s = await this.walkAndIndex(backfill);
      if (backfill && !this.closed) this.holder.complete();
      return { ...s, ms: performance.now() - t0, backfill, followed };
    } finally {
      this.holder.end();
      if (backfill && !this.closed) this.deps.db.pragma(`wal_autocheckpoint = ${LIVE_CHECKPOINT_PAGES}`);
      this.finishActivity();
    }
  }

  private async walkAndIndex(backfill: boolean): Promise<Omit<ReconcileSummary, 'ms' | 'backfill' | 'followed'>> {
    const { home } = this.deps;
    // Names first: threads are then written with their names already known.
    await this.syncNames();

    const group = new JobGroup();
    const diff = new PassDiff(home, await this.loadFileRows(), backfill ? 'backfill' : 'live', group);
    const scanProblems: ScanProblem[] = [];
    let scanned = 0;
    let moved = 0;
    this.walking = true;
    this.meter.begin(backfill ? 'backfill' : 'live', true);
    try {
      for (const chunk of walkHome(home, scanProblems)) {
        if (this.closed) break;
        scanned += chunk.files.length;
        const { jobs, renames } = diff.chunk(chunk.files);
        if (renames.length > 0) {
          moved += renames.length;
          await this.critical(() => this.applyRenames(renames, jobs, group, backfill));
        }
        for (const j of jobs) {
          group.add();
          this.meter.queued(diff.newBytes(j));
        }
        this.runner.enqueue(jobs);
        this.meter.emit(false);
        // Between directories the engine answers requests and writes what the workers parsed.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.walking = false;
      this.meter.scanned();
    }
    this.problems.walked(scanProblems);
    this.meter.emit(true);

    // Rows whose file is gone leave the index.
    let removed = 0;
    if (!this.closed) {
      const gone = diff.gone(scanProblems);
      if (gone.length > 0) {
        removed = gone.length;
        await this.critical(() => this.moves.remove(gone));
      }
    }
    group.seal();
    this.runner.endOfInput();
    await group.done();
    await this.runner.idle();
    return { scanned, parsed: group.parsed, removed, moved, bytesParsed: group.bytes };
  }

  /**
   * Every file row, read in slices with a turn of the event loop between them: at 100k files one
   * read took a third of a second, and requests waited behind it at every periodic pass.
   */
  private async loadFileRows(): Promise<Map<string, FileRow>> {
    const known = new Map<string, FileRow>();
    let after = '';
    for (;;) {
      const rows = this.files.slice(after, FILE_ROWS_PER_SLICE);
      for (const r of rows) known.set(r.rel_path, r);
      if (rows.length < FILE_ROWS_PER_SLICE || this.closed) return known;
      after = rows[rows.length - 1]!.rel_path;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // moves, removals and paths the watcher reports

  /** Known files found at new paths; those that also changed are parsed too. */
  private applyRenames(renames: Rename[], jobs: Job[], group: JobGroup, backfill: boolean): void {
    this.moves.rename(renames, (to) => jobs.push({ file: to, resume: true, origin: backfill ? 'backfill' : 'live', group }));
  }

  private syncPathsNow(relPaths: string[], group: JobGroup | null, counts: { moved: number; removed: number }): void {
    const { jobs, renames, gone, peerChanged, peerGone } = diffPaths(relPaths, this.deps.home, this.files, this.known, group);
    if (peerChanged.length > 0 || peerGone.length > 0) this.announce.peerChanges(peerChanged, peerGone);
    if (renames.length > 0) {
      counts.moved += renames.length;
      this.applyRenames(renames, jobs, group ?? new JobGroup(), false);
    }
    if (gone.length > 0) {
      counts.removed += gone.length;
      this.moves.remove(gone);
    }
    if (jobs.length === 0) return;
    if (!this.walking && !this.runner.busy) this.meter.begin('live');
    for (const j of jobs) {
      j.group?.add();
      this.meter.queued(j.resume ? Math.max(0, j.file.size - (this.files.row(j.file.relPath)?.size ?? 0)) : j.file.size);
    }
    this.runner.enqueue(jobs, true);
  }

  /** After a stale result or a change during a parse: look at the file again. */
  private recheckPath(rel: string): void {
    void this.critical(() => this.syncPathsNow([rel], null, { moved: 0, removed: 0 })).catch((e: unknown) => this.problems.error(e));
  }

  // ---------------------------------------------------------------------------------------------
  // parse results

  private writeBatch(batch: { job: Job; result: ParseResult; mutatedSince: boolean }[]): string[] {
    const { db, home } = this.deps;
    const fresh = newEffects();
    const changed = newEffects();
    const retry: string[] = [];
    // Parsed here, but another Spool process on this data folder wrote the same result first.
    const peerChanged: string[] = [];
    db.transaction(() => {
      for (const { job, result, mutatedSince } of batch) {
        // A mutation (archive, rename…) ran while this file was parsed: if the file moved or
        // shrank since, the result describes a file that is no longer there. Look again instead.
        if (mutatedSince) {
          const st = fs.statSync(home.abs(result.relPath), { throwIfNoEntry: false });
          if (!st || st.size < result.size) {
            retry.push(result.relPath);
            continue;
          }
        }
        const fx = job.resume ? changed : fresh;
        // A backfill's first parse of a file is older than what it wrote before; an append is news.
        const outcome = this.writer.apply(result, fx, job.origin === 'backfill' && !job.resume ? 'older' : 'newer');
        if (outcome === 'stale') retry.push(result.relPath);
        else if (outcome === 'vanished') {
          this.problems.vanishedFile(result.relPath);
          this.known.note(result.relPath);
        } else {
          if (outcome === 'same' && result.threadId !== null && !this.known.has(result.relPath, result)) peerChanged.push(result.threadId);
          this.known.note(result.relPath, result);
        }
      }
      this.writer.endBatch(changed);
      this.overlay.applyTo([...fresh.upserted, ...changed.upserted]);
      // We stalled past our lease and another process took the backfill over. Our results stay
      // safe to write (each is checked against the file's row), but it is theirs now.
      if (this.holder.active && !this.holder.checkpoint(batch[batch.length - 1]!.result.relPath))
        this.problems.error(new Error('the backfill lease was lost to another Spool process'));
    }).immediate();
    const backfill = batch[0]!.job.origin === 'backfill';
    this.announce.effects(fresh, backfill ? 'backfill' : 'new');
    this.announce.effects(changed, backfill ? 'backfill' : 'append');
    // A running count: count(*) over a large index is too slow to run per batch.
    this.meter.threadsChanged(fresh.added + changed.added - fresh.dropped - changed.dropped);
    if (peerChanged.length > 0 && !backfill) this.announce.peerChanges(peerChanged, []);
    return retry;
  }

  // ---------------------------------------------------------------------------------------------
  // progress

  /** Once nothing is left to do: a last report of the finished work, then idle. */
  private finishActivity(): void {
    if (this.closed || this.runner.busy || this.walking || this.holder.active || this.meter.idle) return;
    this.meter.finish();
  }
}
