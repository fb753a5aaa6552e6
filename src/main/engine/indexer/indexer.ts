// Keeps the index equal to the home: a stat-based reconcile finds new, grown, rewritten, moved and
// deleted rollouts; only changed bytes are parsed (in the worker pool); results are written in
// batched transactions, newest files first, with progress and change notifications.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/database.ts';
import type { CodexHome } from '../home.ts';
import type { ParseJob, ParseResult } from '../rollout/parse-file.ts';
import type { ParserState } from '../rollout/parser.ts';
import type { EngineEvents } from '../events.ts';
import type { IndexProgress, IndexReportResult } from '../../../shared/protocol/index.ts';
import type { ParsePool } from './parse-pool.ts';
import { scanHome, statRollout, type ScanProblem, type ScannedFile } from './scan.ts';
import { IndexWriter, newEffects, type WriteEffects } from './writer.ts';
import { syncSessionIndex } from './session-index.ts';
import { BackfillLease } from './backfill-state.ts';

/** Results written per transaction: big enough to amortise the commit, small enough to keep reads snappy. */
const BATCH_FILES = 200;
const BATCH_MAX_MS = 100;

export interface IndexerDeps {
  db: Db;
  home: CodexHome;
  pool: ParsePool;
  events: EngineEvents;
  /** Re-applies Spool-authored state (the user journal) to rows the indexer just rewrote, in the same transaction. */
  overlay?: { applyTo(threadIds: Iterable<string>): void };
}

export interface ReconcileSummary {
  scanned: number;
  parsed: number;
  removed: number;
  moved: number;
  bytesParsed: number;
  ms: number;
}

interface FileRow {
  rel_path: string;
  thread_id: string | null;
  size: number;
  mtime_ms: number;
  status: string;
}

export class Indexer {
  readonly progress: IndexProgress = { phase: 'idle', filesDone: 0, filesTotal: 0, bytesDone: 0, bytesTotal: 0, rate: 0, etaMs: null, startedAtMs: null, threads: 0 };
  readonly writer: IndexWriter;
  private readonly deps: IndexerDeps;
  private readonly lease: BackfillLease;
  private scanProblems: ScanProblem[] = [];
  /** Serialises reconciles: the watcher and a periodic pass never interleave their writes. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(deps: IndexerDeps) {
    this.deps = deps;
    this.writer = new IndexWriter(deps.db, deps.home.defaultProvider());
    this.lease = new BackfillLease(deps.db);
    this.progress.threads = this.countThreads();
  }

  private countThreads(): number {
    return (this.deps.db.prepare('SELECT count(*) AS n FROM threads').get() as { n: number }).n;
  }

  /** Full stat-based pass over the home. */
  reconcile(): Promise<ReconcileSummary> {
    const run = this.chain.then(() => this.reconcileNow(null));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Re-checks only these home-relative paths (from the watcher). */
  syncPaths(relPaths: Iterable<string>): Promise<ReconcileSummary> {
    const set = new Set(relPaths);
    const run = this.chain.then(() => this.reconcileNow(set));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs `fn` with the indexer quiet: no reconcile interleaves with it. Mutations that move or
   * append to rollouts (archive, rename, git edits) run here, so the index never sees half of one.
   */
  exclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Re-reads appended session_index.jsonl lines. */
  syncNames(): Promise<string[]> {
    const run = this.chain.then(() => {
      const changed = this.deps.db.transaction(() => syncSessionIndex(this.deps.db, this.deps.home)).immediate();
      if (changed.length > 0) {
        for (const id of changed) this.deps.events.emit('thread/name/updated', { threadId: id, threadName: this.nameOf(id) });
        this.deps.events.emit('spool/index/changed', { threadIds: changed, removedIds: [], reason: 'name' });
      }
      return changed;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private nameOf(id: string): string | null {
    return (this.deps.db.prepare('SELECT name FROM threads WHERE id = ?').get(id) as { name: string | null } | undefined)?.name ?? null;
  }

  private async reconcileNow(scope: Set<string> | null): Promise<ReconcileSummary> {
    const { db, home } = this.deps;
    const t0 = performance.now();
    const full = scope === null;
    if (full) this.setPhase('scanning');

    let onDisk: ScannedFile[];
    if (full) {
      const scan = scanHome(home);
      onDisk = scan.files;
      this.scanProblems = scan.problems;
    } else {
      onDisk = [];
      for (const rel of scope) {
        const f = statRollout(home, rel);
        if (f) onDisk.push(f);
      }
    }
    const diskByPath = new Map(onDisk.map((f) => [f.relPath, f]));

    const rows: FileRow[] = full
      ? (db.prepare('SELECT rel_path, thread_id, size, mtime_ms, status FROM files').all() as FileRow[])
      : [...scope].flatMap((rel) => {
          const r = db.prepare('SELECT rel_path, thread_id, size, mtime_ms, status FROM files WHERE rel_path = ?').get(rel) as FileRow | undefined;
          return r ? [r] : [];
        });
    const rowByPath = new Map(rows.map((r) => [r.rel_path, r]));

    const added = onDisk.filter((f) => !rowByPath.has(f.relPath));
    const gone = rows.filter((r) => !diskByPath.has(r.rel_path));

    // Moves (codex archive/unarchive, or a user's mv): a vanished row and a new file with the same
    // name hold the same bytes. Rename the row instead of parsing the file again.
    const fx = newEffects();
    let moved = 0;
    const goneByName = new Map<string, FileRow>();
    for (const g of gone) goneByName.set(path.posix.basename(g.rel_path), g);
    const stillAdded: ScannedFile[] = [];
    const renames: { from: FileRow; to: ScannedFile }[] = [];
    for (const f of added) {
      const name = path.posix.basename(f.relPath);
      let from = goneByName.get(name);
      if (!from && !full && f.filenameId) {
        // Watcher scope: the old path may not be in scope; find it by the thread id in the name.
        const cand = db.prepare('SELECT rel_path, thread_id, size, mtime_ms, status FROM files WHERE thread_id = ?').all(f.filenameId) as FileRow[];
        from = cand.find((c) => path.posix.basename(c.rel_path) === name && !fs.existsSync(home.abs(c.rel_path)));
      }
      if (from) {
        goneByName.delete(name);
        renames.push({ from, to: f });
      } else stillAdded.push(f);
    }
    const reallyGone = [...goneByName.values()];
    if (renames.length > 0 || reallyGone.length > 0) {
      db.transaction(() => {
        for (const { from, to } of renames) {
          this.renameFile(from.rel_path, to, fx);
          moved++;
        }
        for (const g of reallyGone) this.writer.forgetFile(g.rel_path, fx);
        this.writer.flushParents(fx);
        this.deps.overlay?.applyTo(fx.upserted);
      }).immediate();
    }

    // Files to parse: new ones, and known ones whose size or mtime changed (including renamed ones).
    const jobs: { file: ScannedFile; resume: boolean }[] = stillAdded.map((file) => ({ file, resume: false }));
    for (const f of onDisk) {
      const r = rowByPath.get(f.relPath);
      if (r && (r.size !== f.size || r.mtime_ms !== f.mtimeMs)) jobs.push({ file: f, resume: true });
    }
    for (const { from, to } of renames) {
      if (from.size !== to.size || from.mtime_ms !== to.mtimeMs) jobs.push({ file: to, resume: true });
    }
    // Newest first: the first page of the list is right long before a big backfill ends.
    jobs.sort((a, b) => b.file.mtimeMs - a.file.mtimeMs);

    const bytesParsed = await this.parseAll(jobs, full && rows.length === 0 ? 'backfill' : 'live', fx);
    this.afterBatch(fx, full && rows.length === 0 ? 'backfill' : 'append', true);

    if (full) {
      const names = db.transaction(() => syncSessionIndex(db, home)).immediate();
      if (names.length > 0) this.deps.events.emit('spool/index/changed', { threadIds: names, removedIds: [], reason: 'name' });
      this.lease.complete();
    }
    this.progress.threads = this.countThreads();
    this.setPhase('idle');
    return { scanned: onDisk.length, parsed: jobs.length, removed: reallyGone.length, moved, bytesParsed, ms: performance.now() - t0 };
  }

  private renameFile(fromRel: string, to: ScannedFile, fx: WriteEffects): void {
    const { db } = this.deps;
    db.prepare('UPDATE files SET rel_path = ?, archived = ? WHERE rel_path = ?').run(to.relPath, to.archived ? 1 : 0, fromRel);
    const t = db.prepare('SELECT id, archived, archived_at FROM threads WHERE rel_path = ?').get(fromRel) as { id: string; archived: number; archived_at: number | null } | undefined;
    if (t) {
      const archivedAt = to.archived ? (t.archived_at ?? Math.floor(to.mtimeMs / 1000)) : null;
      db.prepare('UPDATE threads SET rel_path = ?, archived = ?, archived_at = ? WHERE id = ?').run(to.relPath, to.archived ? 1 : 0, archivedAt, t.id);
      fx.upserted.add(t.id);
    }
  }

  private loadResume(relPath: string): ParseJob['resume'] {
    const row = this.deps.db.prepare('SELECT parsed_bytes, parsed_lines, head_hash, parse_state FROM files WHERE rel_path = ?').get(relPath) as
      | { parsed_bytes: number; parsed_lines: number; head_hash: string | null; parse_state: string | null }
      | undefined;
    if (!row || !row.parse_state) return null;
    try {
      return { offset: row.parsed_bytes, lines: row.parsed_lines, headHash: row.head_hash, state: JSON.parse(row.parse_state) as ParserState };
    } catch {
      return null;
    }
  }

  private async parseAll(jobs: { file: ScannedFile; resume: boolean }[], phase: 'backfill' | 'live', fx: WriteEffects): Promise<number> {
    if (jobs.length === 0) return 0;
    const { pool } = this.deps;
    const p = this.progress;
    p.phase = phase;
    p.filesDone = 0;
    p.filesTotal = jobs.length;
    p.bytesDone = 0;
    p.bytesTotal = jobs.reduce((s, j) => s + j.file.size, 0);
    p.startedAtMs = Date.now();
    this.emitProgress(true);

    let pending: ParseResult[] = [];
    let lastFlush = performance.now();
    let bytes = 0;
    const flush = (): void => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      this.writeBatch(batch, fx);
      this.afterBatch(fx, phase === 'backfill' ? 'backfill' : 'append', false);
      lastFlush = performance.now();
    };

    const concurrency = Math.max(1, pool.size * 2);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const j = jobs[next++]!;
        const job: ParseJob = {
          absPath: j.file.absPath,
          relPath: j.file.relPath,
          archived: j.file.archived,
          filenameId: j.file.filenameId,
          resume: j.resume ? this.loadResume(j.file.relPath) : null,
        };
        const r = await pool.parse(job);
        bytes += r.bytesRead;
        p.filesDone += 1;
        p.bytesDone += r.bytesRead;
        pending.push(r);
        if (pending.length >= BATCH_FILES || performance.now() - lastFlush >= BATCH_MAX_MS) flush();
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
    flush();
    return bytes;
  }

  private writeBatch(batch: ParseResult[], fx: WriteEffects): void {
    const { db } = this.deps;
    db.transaction(() => {
      for (const r of batch) this.writer.apply(r, fx);
      this.writer.flushParents(fx);
      this.deps.overlay?.applyTo(fx.upserted);
      this.lease.checkpoint(batch[batch.length - 1]!.relPath);
    }).immediate();
  }

  private afterBatch(fx: WriteEffects, reason: 'backfill' | 'append', final: boolean): void {
    if (fx.upserted.size === 0 && fx.removed.size === 0) {
      if (final) this.emitProgress(true);
      return;
    }
    const threadIds = [...fx.upserted, ...[...fx.parents].filter((id) => !fx.upserted.has(id))];
    this.deps.events.emit('spool/index/changed', { threadIds, removedIds: [...fx.removed], reason });
    fx.upserted.clear();
    fx.removed.clear();
    fx.parents.clear();
    this.emitProgress(final);
  }

  private lastProgressAt = 0;
  private emitProgress(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.lastProgressAt < 100) return;
    this.lastProgressAt = now;
    const p = this.progress;
    const elapsed = p.startedAtMs ? (now - p.startedAtMs) / 1000 : 0;
    p.rate = elapsed > 0 ? Math.round(p.bytesDone / elapsed) : 0;
    p.etaMs = p.rate > 0 && p.bytesTotal > p.bytesDone ? Math.round(((p.bytesTotal - p.bytesDone) / p.rate) * 1000) : null;
    this.deps.events.emit('spool/index/progress', { ...p });
  }

  private setPhase(phase: IndexProgress['phase']): void {
    this.progress.phase = phase;
    this.emitProgress(true);
  }

  report(limit = 200): IndexReportResult {
    const { db, home } = this.deps;
    const agg = db
      .prepare(`SELECT count(*) AS files, coalesce(sum(size), 0) AS bytes, coalesce(sum(bad_lines), 0) AS bad, coalesce(sum(invalid_utf8_lines), 0) AS utf8,
          coalesce(sum(huge_lines), 0) AS huge, coalesce(sum(unknown_items), 0) AS unknown,
          sum(status = 'empty') AS empty, sum(status = 'foreign') AS foreign_, sum(status = 'duplicate') AS dup, sum(status = 'error') AS err
        FROM files`)
      .get() as Record<string, number | null>;
    const counts: Record<string, number> = {
      badJsonLines: agg['bad'] ?? 0,
      invalidUtf8Lines: agg['utf8'] ?? 0,
      hugeLines: agg['huge'] ?? 0,
      unknownItemTypes: agg['unknown'] ?? 0,
      emptyFiles: agg['empty'] ?? 0,
      foreignFiles: (agg['foreign_'] ?? 0) + this.scanProblems.filter((p) => p.kind === 'foreignFile').length,
      duplicates: agg['dup'] ?? 0,
      unreadableFiles: agg['err'] ?? 0,
    };
    for (const p of this.scanProblems) if (p.kind !== 'foreignFile') counts[p.kind] = (counts[p.kind] ?? 0) + 1;
    const fileProblems = db
      .prepare(`SELECT rel_path, status, error, bad_lines, invalid_utf8_lines, huge_lines FROM files
        WHERE status NOT IN ('ok', 'pending') OR bad_lines > 0 OR invalid_utf8_lines > 0 OR huge_lines > 0 LIMIT ?`)
      .all(limit) as { rel_path: string; status: string; error: string | null; bad_lines: number; invalid_utf8_lines: number; huge_lines: number }[];
    const problems = [
      ...this.scanProblems.map((p) => ({ path: p.relPath, kind: p.kind, detail: p.detail })),
      ...fileProblems.map((f) => ({
        path: f.rel_path,
        kind: f.status !== 'ok' ? f.status : 'badLines',
        detail: f.error ?? `${f.bad_lines} unparseable, ${f.invalid_utf8_lines} invalid UTF-8, ${f.huge_lines} oversized lines`,
      })),
    ].slice(0, limit);
    return {
      home: home.root,
      dataDir: '',
      files: agg['files'] ?? 0,
      threads: this.countThreads(),
      bytes: agg['bytes'] ?? 0,
      counts,
      problems,
    };
  }
}
