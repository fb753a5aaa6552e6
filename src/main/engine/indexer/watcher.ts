// Keeps the index fresh while a host runs: file-system events (debounced) re-check just the paths
// that changed; a periodic stat-based reconcile catches anything the events missed (and is the
// whole mechanism where watching is unavailable).
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
}

export class HomeWatcher {
  private readonly watchers: fs.FSWatcher[] = [];
  private readonly pending = new Set<string>();
  private namesDirty = false;
  private timer: NodeJS.Timeout | null = null;
  private periodic: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly home: CodexHome;
  private readonly indexer: Indexer;
  private readonly opts: Required<Omit<WatcherOptions, 'onError'>> & Pick<WatcherOptions, 'onError'>;
  private watchingSubdirs = { sessions: false, archived: false };

  constructor(home: CodexHome, indexer: Indexer, opts: WatcherOptions = {}) {
    this.home = home;
    this.indexer = indexer;
    this.opts = { debounceMs: opts.debounceMs ?? 40, reconcileMs: opts.reconcileMs ?? 60_000, pollMs: opts.pollMs ?? 2_000, onError: opts.onError };
  }

  start(): void {
    let ok = this.watchRoot();
    ok = this.watchSubdirs() && ok;
    const period = ok ? this.opts.reconcileMs : this.opts.pollMs;
    this.periodic = setInterval(() => {
      this.watchSubdirs();
      this.indexer.reconcile().catch((e: unknown) => this.opts.onError?.(e));
    }, period);
    this.periodic.unref();
  }

  private watchRoot(): boolean {
    try {
      const w = fs.watch(this.home.root, { persistent: false }, (_event, name) => {
        if (name === SESSION_INDEX) {
          this.namesDirty = true;
          this.schedule();
        } else if (name === SESSIONS_DIR || name === ARCHIVED_DIR) {
          this.watchSubdirs();
          this.indexer.reconcile().catch((e: unknown) => this.opts.onError?.(e));
        }
      });
      w.on('error', (e) => this.opts.onError?.(e));
      this.watchers.push(w);
      return true;
    } catch (e) {
      this.opts.onError?.(e);
      return false;
    }
  }

  private watchSubdirs(): boolean {
    let ok = true;
    for (const [key, dir] of [
      ['sessions', SESSIONS_DIR],
      ['archived', ARCHIVED_DIR],
    ] as const) {
      if (this.watchingSubdirs[key]) continue;
      const abs = path.join(this.home.root, dir);
      if (!fs.existsSync(abs)) continue;
      try {
        const w = fs.watch(abs, { persistent: false, recursive: true }, (_event, name) => {
          if (!name) return;
          const rel = `${dir}/${String(name).split(path.sep).join('/')}`;
          if (isRolloutCandidate(rel)) {
            this.pending.add(rel);
            this.schedule();
          }
        });
        w.on('error', (e) => this.opts.onError?.(e));
        this.watchers.push(w);
        this.watchingSubdirs[key] = true;
      } catch (e) {
        ok = false;
        this.opts.onError?.(e);
      }
    }
    return ok;
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

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.periodic) clearInterval(this.periodic);
    for (const w of this.watchers.splice(0)) w.close();
  }
}
