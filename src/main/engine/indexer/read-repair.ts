// Read-repair: before a thread is handed to a client, its row is checked against the disk. A row
// whose file moved or vanished, changed since it was indexed, or that points at a file named for
// another thread, is never served as it is: the file is re-synced (moved rows follow their file;
// rows whose file is gone leave the index; changed files are parsed from where they stopped) or
// the thread is pointed back at its own file, and the request is answered again.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/database.ts';
import { isInside, parseRolloutFilename, type CodexHome } from '../home.ts';

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

/** Which served threads' rows no longer match the disk. A few stats and point queries per page. */
export function staleRows(db: Db, home: CodexHome, threads: ServedThread[]): Staleness {
  const out: Staleness = { paths: [], threads: [] };
  if (threads.length === 0) return out;
  const fileRow = db.prepare('SELECT size, mtime_ms FROM files WHERE rel_path = ?');
  for (const t of threads) {
    if (!t.path || !isInside(home.root, t.path)) continue;
    const rel = home.rel(t.path);
    const named = parseRolloutFilename(path.basename(t.path));
    if (named && named.uuid !== t.id.toLowerCase()) {
      out.threads.push(t.id);
      continue;
    }
    const st = fs.statSync(t.path, { throwIfNoEntry: false });
    const row = fileRow.get(rel) as { size: number; mtime_ms: number } | undefined;
    if (!st || !st.isFile() || !row || row.size !== st.size || row.mtime_ms !== Math.trunc(st.mtimeMs)) out.paths.push(rel);
  }
  return out;
}

/** The threads a method's result carries (thread/list pages, thread/read and friends). */
export function servedThreads(result: unknown): ServedThread[] {
  if (typeof result !== 'object' || result === null) return [];
  const r = result as { data?: unknown; thread?: unknown };
  const list = Array.isArray(r.data) ? r.data : r.thread ? [r.thread] : [];
  const out: ServedThread[] = [];
  for (const t of list) {
    if (typeof t === 'object' && t !== null && typeof (t as { id?: unknown }).id === 'string') {
      const p = (t as { path?: unknown }).path;
      out.push({ id: (t as { id: string }).id, path: typeof p === 'string' ? p : null });
    }
  }
  return out;
}
