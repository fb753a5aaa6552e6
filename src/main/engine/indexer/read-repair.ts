// Read-repair: before a thread is handed to a client, its row is checked against the disk. A row
// whose file moved or vanished, or whose file now holds another thread, is never served with a
// dead or wrong path: the file is re-synced (moved rows follow their file; rows whose file is gone
// leave the index) and the request is answered again. thread/read also re-syncs a file that
// changed since it was indexed, so a read is as fresh as the file.
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/database.ts';
import { isInside, parseRolloutFilename, type CodexHome } from '../home.ts';

export interface ServedThread {
  id: string;
  path: string | null;
}

/** Home-relative paths of served threads whose rows no longer match the disk. */
export function staleRows(db: Db, home: CodexHome, threads: ServedThread[], opts: { freshness: boolean }): string[] {
  if (threads.length === 0) return [];
  const out: string[] = [];
  const fileRow = db.prepare('SELECT size, mtime_ms FROM files WHERE rel_path = ?');
  for (const t of threads) {
    if (!t.path || !isInside(home.root, t.path)) continue;
    const rel = home.rel(t.path);
    const named = parseRolloutFilename(path.basename(t.path));
    if (named && named.uuid !== t.id.toLowerCase()) {
      // The row points at a file named for another thread.
      out.push(rel);
      continue;
    }
    const st = fs.statSync(t.path, { throwIfNoEntry: false });
    if (!st || !st.isFile()) {
      out.push(rel);
      continue;
    }
    if (opts.freshness) {
      const row = fileRow.get(rel) as { size: number; mtime_ms: number } | undefined;
      if (!row || row.size !== st.size || row.mtime_ms !== Math.trunc(st.mtimeMs)) out.push(rel);
    }
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
