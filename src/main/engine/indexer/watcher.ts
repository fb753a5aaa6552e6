// Keeps the index fresh while a host runs: file-system events (debounced) re-check just the paths
// that changed; a periodic stat-based reconcile catches anything the events missed (and is the
// whole mechanism where watching is unavailable).
//
// On Linux, Node's recursive fs.watch walks the whole tree synchronously when it starts (5 s on a
// 100k-rollout home, blocking the engine), so there each directory gets its own watch: the home,
// sessions/ and its year and month folders are read to find the day folders, which are watched
// without being read. Elsewhere the platform's native recursive watch is used.
import fs from 'node:fs';
import path from 'node:path';
import type { CodexHome } from '../home.ts';
import { ARCHIVED_DIR, SESSION_INDEX, SESSIONS_DIR } from '../home.ts';
import type { Indexer } from './indexer.ts';
import { isRolloutCandidate } from './scan.ts';

export interface WatcherOptions {
  debounceMs?: number;
  /** Full reconcile period as a safety net. */
  reconcileMs?: number;
  /** Reconcile period when fs.watch cannot be used. */
  pollMs?: number;
  onError?: (err: unknown) => void;
  /** Force per-directory watches (the Linux strategy) on any platform; tests use it. */
  perDirectory?: boolean;
}

/** Folder names codex uses for dates under sessions/: their children are folders too. */
const YEAR = /^\d{4}$/;
const MONTH_OR_DAY = /^\d{2}$/;
/** The safety-net pass runs at least this often, however large the home. */
const MAX_PERIOD_MS = 10 * 60_000;

export class HomeWatcher {
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private readonly pending = new Set<string>();
  private namesDirty = false;
  private timer: NodeJS.Timeout | null = null;
  private periodic: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly home: CodexHome;
  private readonly indexer: Indexer;
  private readonly opts: Required<Omit<WatcherOptions, 'onError'>> & Pick<WatcherOptions, 'onError'>;
  private healthy = true;

  constructor(home: CodexHome, indexer: Indexer, opts: WatcherOptions = {}) {
    this.home = home;
    this.indexer = indexer;
    this.opts = {
      debounceMs: opts.debounceMs ?? 40,
      reconcileMs: opts.reconcileMs ?? 60_000,
      pollMs: opts.pollMs ?? 2_000,
      perDirectory: opts.perDirectory ?? process.platform === 'linux',
      onError: opts.onError,
    };
  }

  start(): void {
    this.watchDir('', false);
    this.watchTree(SESSIONS_DIR);
    this.watchTree(ARCHIVED_DIR);
    this.schedulePeriodic(this.healthy ? this.opts.reconcileMs : this.opts.pollMs);
  }

  /**
   * The safety-net pass stats every rollout; on a very large home it is spaced so that it never
   * takes more than about 2% of the engine's time.
   */
  private schedulePeriodic(period: number): void {
    if (this.closed) return;
    this.periodic = setTimeout(() => {
      this.watchTree(SESSIONS_DIR);
      this.watchTree(ARCHIVED_DIR);
      const t0 = performance.now();
      this.indexer
        .reconcile()
        .catch((e: unknown) => this.opts.onError?.(e))
        .finally(() =>
          this.schedulePeriodic(
            Math.min(MAX_PERIOD_MS, Math.max(this.healthy ? this.opts.reconcileMs : this.opts.pollMs, (performance.now() - t0) * 50)),
          ),
        );
    }, period);
    this.periodic.unref();
  }

  /** Watches a folder of the home and, where needed, the folders below it. */
  private watchTree(rel: string): void {
    if (!this.opts.perDirectory) {
      this.watchDir(rel, true);
      return;
    }
    if (!this.watchDir(rel, false)) return;
    const name = path.posix.basename(rel);
    // Day folders hold only rollouts: watched, never listed (a home has thousands of files in them).
    if (rel.startsWith(`${SESSIONS_DIR}/`) && MONTH_OR_DAY.test(name) && rel.split('/').length >= 4) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(this.home.abs(rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory()) this.watchTree(`${rel}/${e.name}`);
  }

  /** Adds a watch on one folder (idempotent); false when the folder cannot be watched. */
  private watchDir(rel: string, recursive: boolean): boolean {
    if (this.closed) return false;
    if (this.watchers.has(rel)) return true;
    const abs = rel === '' ? this.home.root : this.home.abs(rel);
    if (!fs.existsSync(abs)) return false;
    try {
      const w = fs.watch(abs, { persistent: false, recursive }, (_event, name) => {
        if (name) this.onEvent(rel, String(name).split(path.sep).join('/'));
      });
      w.on('error', () => this.unwatch(rel));
      this.watchers.set(rel, w);
      return true;
    } catch (e) {
      if (rel === '' || rel === SESSIONS_DIR || rel === ARCHIVED_DIR) {
        this.healthy = false;
        this.opts.onError?.(e);
      }
      return false;
    }
  }

  private unwatch(rel: string): void {
    for (const [key, w] of this.watchers) {
      if (key === rel || key.startsWith(`${rel}/`)) {
        w.close();
        this.watchers.delete(key);
      }
    }
  }

  private onEvent(dirRel: string, name: string): void {
    if (this.closed) return;
    const rel = dirRel === '' ? name : `${dirRel}/${name}`;
    if (dirRel === '' && name === SESSION_INDEX) {
      this.namesDirty = true;
      this.schedule();
      return;
    }
    if (dirRel === '' && (name === SESSIONS_DIR || name === ARCHIVED_DIR)) {
      // The folder appeared (or went): watch it and look at everything under it.
      this.watchTree(name);
      this.indexer.reconcile().catch((e: unknown) => this.opts.onError?.(e));
      return;
    }
    if (isRolloutCandidate(rel)) {
      this.pending.add(rel);
      this.schedule();
      return;
    }
    if (
      this.opts.perDirectory &&
      (rel.startsWith(`${SESSIONS_DIR}/`) || rel.startsWith(`${ARCHIVED_DIR}/`)) &&
      (YEAR.test(name) || MONTH_OR_DAY.test(name) || !name.includes('.'))
    ) {
      // A new (or removed) folder: watch it, and pick up files written before the watch was set.
      const abs = this.home.abs(rel);
      if (fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory()) {
        this.watchTree(rel);
        for (const f of listRollouts(abs, rel)) this.pending.add(f);
        this.schedule();
      } else this.unwatch(rel);
    }
  }

  private schedule(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const paths = [...this.pending];
      this.pending.clear();
      if (paths.length > 0) this.indexer.syncPaths(paths).catch((e: unknown) => this.opts.onError?.(e));
      if (this.namesDirty) {
        this.namesDirty = false;
        this.indexer.syncNames().catch((e: unknown) => this.opts.onError?.(e));
      }
    }, this.opts.debounceMs);
  }

  /** Folders watched (for tests and diagnostics). */
  get watchedCount(): number {
    return this.watchers.size;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.periodic) clearTimeout(this.periodic);
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
  }
}

/** Rollout candidates anywhere below a folder that just appeared. */
function listRollouts(abs: string, rel: string): string[] {
  const out: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(abs, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const r = `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...listRollouts(path.join(abs, e.name), r));
    else if (isRolloutCandidate(r)) out.push(r);
  }
  return out;
}
