// Keeps the index equal to the home. A full pass walks the home newest first and compares each
// file's size and mtime with the index, so new, grown, rewritten, moved and deleted rollouts are
// found without reading them; only changed bytes are parsed (in the worker pool) and written in
// batched transactions, with progress and change notifications. The first pass over a data
// folder is the backfill: resumable, checkpointed, and leased to one process at a time.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../db/database.ts';
import { activeRelPathFor, archivedRelPathFor, parseRolloutFilename, type CodexHome } from '../home.ts';
import type { ParseJob, ParseResult } from '../rollout/parse-file.ts';
import type { EngineEvents } from '../events.ts';
import type { IndexProgress, IndexReportResult } from '../../../shared/protocol/index.ts';
import type { ParsePool } from './parse-pool.ts';
import { statRollout, walkHome, type ScanProblem, type ScannedFile } from './scan.ts';
import { KnownStates } from './known-states.ts';
import { IndexWriter, newEffects, type WriteEffects } from './writer.ts';
import { sessionIndexOffset, syncSessionIndex, type NamesSync } from './session-index.ts';
import { BackfillLease, HEARTBEAT_MS, LEASE_SECONDS, type BackfillProgress } from './backfill-state.ts';
import { JobGroup, JobRunner, type Job } from './runner.ts';
import { buildReport } from './report.ts';

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
  overlay?: { applyTo(threadIds: Iterable<string>): void };
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

interface FileRow {
  rel_path: string;
  thread_id: string | null;
  size: number;
  mtime_ms: number;
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

const exists = (abs: string): boolean => fs.existsSync(abs);

/** One parse, as the indexer saw it (kept for diagnostics and tests: what did an append cost?). */
export interface ParseRecord {
  relPath: string;
  reset: boolean;
  fromOffset: number;
  toOffset: number;
  bytesRead: number;
  at: number;
}

export class Indexer {
  readonly progress: IndexProgress = IDLE_PROGRESS();
  /** Totals since start, and the most recent parses. */
  readonly stats = { filesParsed: 0, bytesParsed: 0, recent: [] as ParseRecord[] };
  readonly writer: IndexWriter;
  readonly lease: BackfillLease;
  private readonly deps: IndexerDeps;
  private readonly runner: JobRunner;
  private scanProblems: ScanProblem[] = [];
  /** Serialises the short structural steps (moves, removals, names, mutations). */
  private chain: Promise<unknown> = Promise.resolve();
  private fullRun: Promise<ReconcileSummary> | null = null;
  private fullAgain = false;
  private backfillActive = false;
  private walking = false;
  private closed = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private lastWatermark: string | null = null;
  private readonly errors: string[] = [];
  /** What this process wrote or announced, to tell another Spool process's indexing from old news. */
  private readonly known = new KnownStates();
  /** How far into session_index.jsonl this process has read (names past it that the index has are another process's news). */
  private namesOffset: number;

  constructor(deps: IndexerDeps) {
    this.deps = deps;
    this.writer = new IndexWriter(deps.db, deps.home.defaultProvider());
    this.lease = new BackfillLease(deps.db, deps.leaseSeconds ?? LEASE_SECONDS);
    this.namesOffset = sessionIndexOffset(deps.db);
    this.progress.threads = this.countThreads();
    this.runner = new JobRunner(deps.pool, {
      loadResume: (rel) => this.loadResume(rel),
      write: (batch) => this.writeBatch(batch),
      recheck: (rel) => this.recheckPath(rel),
      onParsed: (_job, r) => {
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
        this.progress.filesDone += 1;
        this.progress.bytesDone += r.bytesRead;
        this.emitProgress(false);
      },
      onError: (err) => this.noteError(err),
      onIdle: () => this.finishActivity(),
    });
  }

  /** Parse worker threads (0: parsing runs on the engine's thread). */
  get poolSize(): number {
    return this.deps.pool.size;
  }

  private countThreads(): number {
    return (this.deps.db.prepare('SELECT count(*) AS n FROM threads').get() as { n: number }).n;
  }

  /** Files that disappeared between the walk and their parse, since the last full pass began. */
  private vanished: string[] = [];
  private noteVanished(rel: string): void {
    if (this.vanished.length < 1000) this.vanished.push(rel);
  }

  private noteError(err: unknown): void {
    const text = err instanceof Error ? err.message : String(err);
    this.errors.push(text);
    if (this.errors.length > 50) this.errors.shift();
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
      const paths = await this.critical(() => {
        const fx = newEffects();
        const resync: string[] = [];
        this.deps.db
          .transaction(() => {
            for (const id of stale.threads) {
              const p = this.writer.repointThread(id, (rel) => exists(this.deps.home.abs(rel)), fx);
              if (p) resync.push(p);
            }
            this.writer.flushParents(fx);
            this.applyOverlay(fx.upserted);
          })
          .immediate();
        this.announce(fx, 'move');
        return resync;
      });
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
    return this.critical(() => this.syncNamesNow());
  }

  /** Resolves when no parse or write is pending (after a reconcile, every file it found is written). */
  idle(): Promise<void> {
    return this.runner.idle();
  }

  /** Stops indexing; resolves once nothing touches the database any more. */
  async close(): Promise<void> {
    const wasOwner = this.backfillActive;
    this.closed = true;
    this.stopHeartbeat();
    this.runner.close();
    // A clean stop mid-backfill gives the lease back so another process can continue at once.
    if (wasOwner) this.lease.release();
    await this.fullRun?.catch(() => undefined);
  }

  /**
   * Re-applies the user journal to rows just rewritten (inside the caller's transaction). Most
   * users have authored nothing, so the per-thread updates are skipped when the overlay is empty.
   */
  private applyOverlay(ids: Iterable<string>): void {
    const overlay = this.deps.overlay;
    if (!overlay) return;
    const any = this.deps.db.prepare('SELECT EXISTS (SELECT 1 FROM user_edge_status) OR EXISTS (SELECT 1 FROM user_git) AS n').get() as {
      n: number;
    };
    if (any.n) overlay.applyTo(ids);
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
    let followed = false;
    let backfill = !this.lease.isComplete();
    if (backfill) {
      while (!this.closed && !this.lease.claim()) {
        followed = true;
        await this.follow();
        if (this.lease.isComplete()) break;
      }
      backfill = !this.lease.isComplete() && !this.closed;
    }
    if (this.closed) return { scanned: 0, parsed: 0, removed: 0, moved: 0, bytesParsed: 0, ms: 0, backfill: false, followed };

    this.backfillActive = backfill;
    // A backfill writes the whole index at once: checkpointing the WAL every 4 MB (SQLite's
    // default) costs an fsync each time, a third of the backfill at 100k threads. Afterwards the
    // default returns, so that live writes never leave a large WAL to checkpoint in one go.
    if (backfill) this.deps.db.pragma(`wal_autocheckpoint = ${BACKFILL_CHECKPOINT_PAGES}`);
    if (backfill) {
      this.startHeartbeat();
      this.deps.events.emit('spool/index/changed', { threadIds: [], removedIds: [], reason: 'rebuild' });
    }
    try {
      const s = await this.walkAndIndex(backfill);
      if (backfill && this.backfillActive && !this.closed) {
        this.lease.checkpoint(this.lastWatermark, this.backfillProgress());
        this.lease.complete();
      }
      return { ...s, ms: performance.now() - t0, backfill, followed };
    } finally {
      this.stopHeartbeat();
      if (backfill && !this.closed) this.deps.db.pragma(`wal_autocheckpoint = ${LIVE_CHECKPOINT_PAGES}`);
      this.backfillActive = false;
      this.finishActivity();
    }
  }

  private async walkAndIndex(backfill: boolean): Promise<Omit<ReconcileSummary, 'ms' | 'backfill' | 'followed'>> {
    const { home } = this.deps;
    // Names first: threads are then written with their names already known.
    await this.syncNames();

    const known = await this.loadFileRows();
    // Rows by file name, to recognise a file codex moved (archive, unarchive) without parsing it.
    // Built the first time a file turns up that no row has: most passes find none.
    let byNameMap: Map<string, FileRow[]> | null = null;
    const byName = (name: string): FileRow[] => {
      if (!byNameMap) {
        byNameMap = new Map();
        for (const r of known.values()) {
          const n = path.posix.basename(r.rel_path);
          const list = byNameMap.get(n);
          if (list) list.push(r);
          else byNameMap.set(n, [r]);
        }
      }
      return byNameMap.get(name) ?? [];
    };

    const group = new JobGroup();
    const problems: ScanProblem[] = [];
    const seen = new Set<string>();
    const movedFrom = new Set<string>();
    let scanned = 0;
    let moved = 0;
    this.walking = true;
    this.beginActivity(backfill ? 'backfill' : 'live', true);
    try {
      for (const chunk of walkHome(home, problems)) {
        if (this.closed) break;
        const jobs: Job[] = [];
        const renames: { from: FileRow; to: ScannedFile }[] = [];
        for (const f of chunk.files) {
          scanned++;
          seen.add(f.relPath);
          const row = known.get(f.relPath);
          if (row) {
            if (row.size !== f.size || row.mtime_ms !== f.mtimeMs)
              jobs.push({ file: f, resume: true, origin: backfill ? 'backfill' : 'live', group });
            continue;
          }
          const from = byName(path.posix.basename(f.relPath)).find(
            (r) => r.rel_path !== f.relPath && !movedFrom.has(r.rel_path) && !exists(home.abs(r.rel_path)),
          );
          if (from) {
            movedFrom.add(from.rel_path);
            renames.push({ from, to: f });
          } else jobs.push({ file: f, resume: false, origin: backfill ? 'backfill' : 'live', group });
        }
        if (renames.length > 0) {
          moved += renames.length;
          await this.critical(() => this.applyRenames(renames, jobs, group, backfill));
        }
        for (const j of jobs) {
          group.add();
          this.progress.filesTotal += 1;
          this.progress.bytesTotal += j.resume ? Math.max(0, j.file.size - (known.get(j.file.relPath)?.size ?? 0)) : j.file.size;
        }
        this.runner.enqueue(jobs);
        this.emitProgress(false);
        // Between directories the engine answers requests and writes what the workers parsed.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.walking = false;
      this.progress.scanning = false;
    }
    this.scanProblems = [
      ...problems,
      ...this.vanished.map((v) => ({ relPath: v, kind: 'vanished' as const, detail: 'the file disappeared while it was being indexed' })),
    ];
    this.vanished = [];
    this.emitProgress(true);

    // Rows whose file is gone (and was not found elsewhere under its name) leave the index — but
    // not the ones inside a folder the walk could not read this time: their files may well be there.
    let removed = 0;
    if (!this.closed) {
      const unreadable = problems.filter((p) => p.kind === 'permissionDenied' || p.kind === 'io').map((p) => p.relPath);
      const hidden = (rel: string): boolean => unreadable.some((u) => rel === u || rel.startsWith(`${u}/`));
      const gone = [...known.keys()].filter((p) => !seen.has(p) && !movedFrom.has(p) && !hidden(p));
      if (gone.length > 0) {
        removed = gone.length;
        await this.critical(() => this.removeFiles(gone));
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
    const slice = this.deps.db.prepare(
      'SELECT rel_path, thread_id, size, mtime_ms FROM files WHERE rel_path > ? ORDER BY rel_path LIMIT ?',
    );
    const known = new Map<string, FileRow>();
    let after = '';
    for (;;) {
      const rows = slice.all(after, FILE_ROWS_PER_SLICE) as FileRow[];
      for (const r of rows) known.set(r.rel_path, r);
      if (rows.length < FILE_ROWS_PER_SLICE || this.closed) return known;
      after = rows[rows.length - 1]!.rel_path;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** While another process runs the backfill: show its progress; return when it ends or lapses. */
  private async follow(): Promise<void> {
    const poll = this.deps.followPollMs ?? 500;
    let lastDone = -1;
    this.progress.phase = 'backfill';
    for (;;) {
      if (this.closed) return;
      const row = this.lease.state();
      if (row.status === 'complete' || row.status === 'pending' || this.lease.isAbandoned(row)) return;
      const p = this.progress;
      p.phase = 'backfill';
      p.filesDone = row.filesDone;
      p.filesTotal = row.filesTotal;
      p.bytesDone = row.bytesDone;
      p.bytesTotal = row.bytesTotal;
      p.startedAtMs = row.startedAtMs;
      p.threads = this.countThreads();
      this.emitProgress(true);
      if (row.filesDone !== lastDone) {
        lastDone = row.filesDone;
        // The owner's writes are visible here: clients should re-read what they show.
        this.deps.events.emit('spool/index/changed', { threadIds: [], removedIds: [], reason: 'backfill' });
      }
      await sleep(poll);
    }
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => {
      try {
        this.lease.checkpoint(null, this.backfillProgress());
      } catch (err) {
        this.noteError(err);
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private backfillProgress(): BackfillProgress {
    const p = this.progress;
    return {
      filesDone: p.filesDone,
      filesTotal: p.filesTotal,
      bytesDone: p.bytesDone,
      bytesTotal: p.bytesTotal,
      startedAtMs: p.startedAtMs,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // structural changes: moves and removals

  private applyRenames(renames: { from: FileRow; to: ScannedFile }[], jobs: Job[], group: JobGroup, backfill: boolean): void {
    const fx = newEffects();
    this.deps.db
      .transaction(() => {
        for (const { from, to } of renames) {
          this.writer.renameFile(from.rel_path, to, fx);
          this.known.note(from.rel_path);
          this.known.note(to.relPath, to);
          if (from.size !== to.size || from.mtime_ms !== to.mtimeMs)
            jobs.push({ file: to, resume: true, origin: backfill ? 'backfill' : 'live', group });
        }
        this.writer.flushParents(fx);
        this.applyOverlay(fx.upserted);
      })
      .immediate();
    this.announce(fx, 'move');
  }

  private removeFiles(relPaths: string[]): void {
    const fx = newEffects();
    this.deps.db
      .transaction(() => {
        for (const rel of relPaths) {
          this.writer.forgetFile(rel, fx);
          this.known.note(rel);
        }
        this.writer.flushParents(fx);
        this.applyOverlay(fx.upserted);
      })
      .immediate();
    this.announce(fx, 'delete');
  }

  private syncPathsNow(relPaths: string[], group: JobGroup | null, counts: { moved: number; removed: number }): void {
    const { db, home } = this.deps;
    const getRow = db.prepare('SELECT rel_path, thread_id, size, mtime_ms FROM files WHERE rel_path = ?');
    const rowsOfThread = db.prepare('SELECT rel_path, thread_id, size, mtime_ms FROM files WHERE thread_id = ?');
    const jobs: Job[] = [];
    const renames: { from: FileRow; to: ScannedFile }[] = [];
    const gone: string[] = [];
    const handled = new Set<string>();
    // Changes another Spool process on this data folder indexed first: current here, but news.
    const peerChanged: string[] = [];
    const peerGone: string[] = [];
    for (const rel of relPaths) {
      if (handled.has(rel)) continue;
      handled.add(rel);
      const f = statRollout(home, rel);
      const row = getRow.get(rel) as FileRow | undefined;
      if (f && row) {
        if (row.size !== f.size || row.mtime_ms !== f.mtimeMs)
          jobs.push({ file: f, resume: true, origin: 'live', ...(group ? { group } : {}) });
        else if (row.thread_id !== null && !this.known.has(rel, f)) {
          peerChanged.push(row.thread_id);
          this.known.note(rel, f);
        }
      } else if (f) {
        // New here. Codex may have moved it from its other home (archive / unarchive): find the
        // row that names this file at a path where it no longer is.
        const name = path.posix.basename(rel);
        const from = f.filenameId
          ? (rowsOfThread.all(f.filenameId) as FileRow[]).find(
              (r) => path.posix.basename(r.rel_path) === name && r.rel_path !== rel && !exists(home.abs(r.rel_path)),
            )
          : undefined;
        if (from) {
          handled.add(from.rel_path);
          renames.push({ from, to: f });
        } else jobs.push({ file: f, resume: false, origin: 'live', ...(group ? { group } : {}) });
      } else if (row) {
        // Gone from here. If it went to its archived/active counterpart, that is a move.
        const name = path.posix.basename(rel);
        const other = [archivedRelPathFor(name), activeRelPathFor(name)].find(
          (p) => p !== null && p !== rel && !handled.has(p) && getRow.get(p) === undefined,
        );
        const to = other ? statRollout(home, other) : null;
        if (to) {
          handled.add(to.relPath);
          renames.push({ from: row, to });
        } else gone.push(rel);
      } else if (!this.known.has(rel)) {
        const id = parseRolloutFilename(path.posix.basename(rel))?.uuid;
        if (id) peerGone.push(id);
        this.known.note(rel);
      }
    }
    if (peerChanged.length > 0 || peerGone.length > 0) this.announcePeerChanges(peerChanged, peerGone);
    if (renames.length > 0) {
      counts.moved += renames.length;
      this.applyRenames(renames, jobs, group ?? new JobGroup(), false);
    }
    if (gone.length > 0) {
      counts.removed += gone.length;
      this.removeFiles(gone);
    }
    if (jobs.length === 0) return;
    if (!this.walking && !this.runner.busy) this.beginActivity('live');
    for (const j of jobs) {
      j.group?.add();
      this.progress.filesTotal += 1;
      this.progress.bytesTotal += j.resume
        ? Math.max(0, j.file.size - ((getRow.get(j.file.relPath) as FileRow | undefined)?.size ?? 0))
        : j.file.size;
    }
    this.runner.enqueue(jobs, true);
  }

  /** A move this process's engine wrote to the index itself (an archive or unarchive). */
  noteOwnWrite(fromRel: string, toRel: string, stat: { size: number; mtimeMs: number }): void {
    this.known.note(fromRel);
    this.known.note(toRel, stat);
  }

  /**
   * Tells this process's clients what another Spool process indexed first: threads it wrote, and
   * rollouts it moved (the thread is still here) or removed (it is not).
   */
  private announcePeerChanges(changed: string[], gone: string[]): void {
    const exists = this.deps.db.prepare('SELECT 1 FROM threads WHERE id = ?').pluck();
    const moved = gone.filter((id) => exists.get(id) !== undefined);
    const removed = gone.filter((id) => exists.get(id) === undefined);
    const threadIds = [...new Set([...changed, ...moved])];
    const reason = removed.length > 0 ? 'delete' : moved.length > 0 ? 'move' : 'append';
    this.deps.events.emit('spool/index/changed', { threadIds, removedIds: removed, reason });
  }

  /** After a stale result or a change during a parse: look at the file again. */
  private recheckPath(rel: string): void {
    void this.critical(() => this.syncPathsNow([rel], null, { moved: 0, removed: 0 })).catch((e: unknown) => this.noteError(e));
  }

  private syncNamesNow(): string[] {
    const { changed, fromPeers } = this.applyNames();
    const named = [...changed, ...fromPeers];
    if (named.length > 0) {
      for (const id of named) this.deps.events.emit('thread/name/updated', { threadId: id, threadName: this.nameOf(id) });
      this.deps.events.emit('spool/index/changed', { threadIds: named, removedIds: [], reason: 'name' });
    }
    return named;
  }

  /**
   * Reads session_index.jsonl's new entries into the index (in its own transaction), including
   * those another Spool process applied first. The caller announces them. Run it inside
   * `critical` or `exclusive`.
   */
  applyNames(): NamesSync {
    const r = this.deps.db.transaction(() => syncSessionIndex(this.deps.db, this.deps.home, this.namesOffset)).immediate();
    this.namesOffset = r.offset;
    return r;
  }

  private nameOf(id: string): string | null {
    return (this.deps.db.prepare('SELECT name FROM threads WHERE id = ?').get(id) as { name: string | null } | undefined)?.name ?? null;
  }

  // ---------------------------------------------------------------------------------------------
  // parse results

  private loadResume(relPath: string): ParseJob['resume'] {
    const row = this.deps.db
      .prepare('SELECT parsed_bytes, parsed_lines, head_hash, edge_hash, parse_state FROM files WHERE rel_path = ?')
      .get(relPath) as
      | { parsed_bytes: number; parsed_lines: number; head_hash: string | null; edge_hash: string | null; parse_state: string | null }
      | undefined;
    if (!row || !row.parse_state) return null;
    return {
      offset: row.parsed_bytes,
      lines: row.parsed_lines,
      headHash: row.head_hash,
      edgeHash: row.edge_hash,
      stateJson: row.parse_state,
    };
  }

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
          this.noteVanished(result.relPath);
          this.known.note(result.relPath);
        } else {
          if (outcome === 'same' && result.threadId !== null && !this.known.has(result.relPath, result)) peerChanged.push(result.threadId);
          this.known.note(result.relPath, result);
        }
      }
      this.writer.flushParents(changed);
      this.applyOverlay([...fresh.upserted, ...changed.upserted]);
      if (this.backfillActive) {
        this.lastWatermark = batch[batch.length - 1]!.result.relPath;
        if (!this.lease.checkpoint(this.lastWatermark, this.backfillProgress())) {
          // We stalled past our lease and another process took the backfill over. Our results
          // stay safe to write (each is checked against the file's row), but it is theirs now.
          this.backfillActive = false;
          this.noteError(new Error('the backfill lease was lost to another Spool process'));
        }
      }
    }).immediate();
    const backfill = batch[0]!.job.origin === 'backfill';
    this.announce(fresh, backfill ? 'backfill' : 'new');
    this.announce(changed, backfill ? 'backfill' : 'append');
    // A running count: count(*) over a large index is too slow to run per batch.
    this.progress.threads += fresh.added + changed.added - fresh.dropped - changed.dropped;
    if (peerChanged.length > 0 && !backfill) this.announcePeerChanges(peerChanged, []);
    return retry;
  }

  private announce(fx: WriteEffects, reason: 'backfill' | 'new' | 'append' | 'move' | 'delete'): void {
    if (fx.upserted.size === 0 && fx.removed.size === 0 && fx.parents.size === 0) return;
    const threadIds = [...fx.upserted, ...[...fx.parents].filter((id) => !fx.upserted.has(id) && !fx.removed.has(id))];
    this.deps.events.emit('spool/index/changed', { threadIds, removedIds: [...fx.removed], reason });
  }

  // ---------------------------------------------------------------------------------------------
  // progress

  private beginActivity(phase: 'backfill' | 'live', scanning = false): void {
    const p = this.progress;
    if (p.phase === 'idle' || (phase === 'backfill' && p.phase !== 'backfill')) {
      Object.assign(p, IDLE_PROGRESS(), { phase, startedAtMs: Date.now(), threads: p.threads });
    }
    if (scanning) p.scanning = true;
    this.emitProgress(true);
  }

  /** Once nothing is left to do: a last report of the finished work, then idle. */
  private finishActivity(): void {
    if (this.closed || this.runner.busy || this.walking || this.backfillActive || this.progress.phase === 'idle') return;
    this.progress.threads = this.countThreads();
    this.emitProgress(true);
    Object.assign(this.progress, IDLE_PROGRESS(), { threads: this.progress.threads });
    this.emitProgress(true);
  }

  private lastProgressAt = 0;
  private emitProgress(force: boolean): void {
    if (this.closed) return;
    const now = Date.now();
    if (!force && now - this.lastProgressAt < 100) return;
    this.lastProgressAt = now;
    const p = this.progress;
    const elapsed = p.startedAtMs ? (now - p.startedAtMs) / 1000 : 0;
    p.rate = elapsed > 0 ? Math.round(p.bytesDone / elapsed) : 0;
    p.etaMs = p.rate > 0 && !p.scanning && p.bytesTotal > p.bytesDone ? Math.round(((p.bytesTotal - p.bytesDone) / p.rate) * 1000) : null;
    this.deps.events.emit('spool/index/progress', { ...p });
  }

  report(limit = 200): IndexReportResult {
    return buildReport(this.deps.db, this.deps.home, this.scanProblems, this.countThreads(), limit, this.errors, this.vanished);
  }
}
