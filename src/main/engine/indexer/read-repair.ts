// Read-repair: before a thread is handed to a client, its row is checked against the disk. A row
// whose file moved or vanished, changed since it was indexed, or that points at a file named for
// another thread, is never served as it is: the file is re-synced (moved rows follow their file;
// rows whose file is gone leave the index; changed files are parsed from where they stopped) or
// the thread is pointed back at its own file, and the request is answered again.
import fs from 'node:fs';
import type { Db } from '../db/database.ts';
import { parseRolloutFilename, type CodexHome } from '../home.ts';
import { FileRows } from './file-rows.ts';

export interface ServedThread {
  id: string;
  path: string | null;
}

export interface Staleness {
  /** Files whose row no longer matches the disk (moved, vanished, changed): re-sync them. */
  paths: string[];
  /** Threads whose row points at a file named for another thread: point them at their own. */
  threads: string[];
}

/**
 * Files found to match their rows, and when. While a watcher reports every change to the home
 * (and each change clears this), a file checked a moment ago need not be checked again: paging
 * through a list serves the same rows over and over, and the stats were most of a page's cost.
 * Without a watcher nothing is remembered.
 */
export class VerifiedFiles {
  private readonly at = new Map<string, number>();
  /** How long a check holds; 0 turns the memory off. */
  ttlMs = 0;

  holds(file: string, now: number): boolean {
    const t = this.at.get(file);
    return t !== undefined && now - t < this.ttlMs;
  }

  note(file: string, now: number): void {
    if (this.ttlMs <= 0) return;
    if (this.at.size >= 20_000) this.at.clear();
    this.at.set(file, now);
  }

  clear(): void {
    this.at.clear();
  }
}

/**
 * Which served threads' rows no longer match the disk: a stat per file and one query for all
 * their rows (a page is 100 threads; per-row queries were a third of the cost).
 */
export function staleRows(db: Db, home: CodexHome, threads: ServedThread[], verified?: VerifiedFiles): Staleness {
  const out: Staleness = { paths: [], threads: [] };
  if (threads.length === 0) return out;
  const now = performance.now();
  const toCheck: { abs: string; rel: string }[] = [];
  for (const t of threads) {
    const rel = t.path ? home.relIfInside(t.path) : null;
    if (rel === null || !t.path) continue;
    const named = parseRolloutFilename(rel.slice(rel.lastIndexOf('/') + 1));
    if (named && named.uuid !== t.id.toLowerCase()) {
      out.threads.push(t.id);
      continue;
    }
    if (!verified?.holds(t.path, now)) toCheck.push({ abs: t.path, rel });
  }
  if (toCheck.length === 0) return out;
  const rows = FileRows.of(db).sizesAt(toCheck.map((c) => c.rel));
  for (const { abs, rel } of toCheck) {
    const st = fs.statSync(abs, { throwIfNoEntry: false });
    const row = rows.get(rel);
    if (!st || !st.isFile() || !row || row.size !== st.size || row.mtime_ms !== Math.trunc(st.mtimeMs)) out.paths.push(rel);
    else verified?.note(abs, now);
  }
  return out;
}

/** The threads a method's result carries (thread/list pages, families of threads, thread/read). */
export function servedThreads(result: unknown, out: ServedThread[] = []): ServedThread[] {
  if (typeof result !== 'object' || result === null) return out;
  const r = result as { data?: unknown; thread?: unknown };
  const list = Array.isArray(r.data) ? r.data : r.thread ? [r.thread] : [];
  for (const t of list) {
    if (typeof t !== 'object' || t === null) continue;
    if (typeof (t as { id?: unknown }).id === 'string') {
      const p = (t as { path?: unknown }).path;
      out.push({ id: (t as { id: string }).id, path: typeof p === 'string' ? p : null });
    } else if (Array.isArray((t as { data?: unknown }).data)) {
      // spool/thread/families: one list of threads per parent.
      servedThreads(t, out);
    }
  }
  return out;
}
