// session_index.jsonl: codex's append-only name index; the last entry for an id wins and blank
// names are ignored (docs/FORMAT.md §1.3). Read incrementally from where we stopped; the names
// land in session_names (which the writer reads for threads indexed later) and on the threads they
// name. Every query of the names feature lives here.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Db } from '../db/database.ts';
import type { CodexHome } from '../home.ts';
import { readLines } from '../rollout/line-reader.ts';

const META_KEY = 'session_index';
const HEAD_BYTES = 256;

/** How far the index has read the file, and a hash of its head (a rewritten file is read again). */
interface Cursor {
  offset: number;
  head: string | null;
}

function headOf(fd: number, size: number): string | null {
  if (size === 0) return null;
  const buf = Buffer.allocUnsafe(Math.min(HEAD_BYTES, size));
  const n = fs.readSync(fd, buf, 0, buf.length, 0);
  return crypto.createHash('sha1').update(buf.subarray(0, n)).digest('hex');
}

export interface NamesSync {
  /** Indexed threads whose name this sync changed. */
  changed: string[];
  /** Indexed threads whose new names another Spool process on this data folder applied first. */
  fromPeers: string[];
  /** How far into the file this process has now read (pass it to the next sync). */
  offset: number;
}

function prepare(db: Db) {
  return {
    cursor: db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck(),
    setCursor: db.prepare<[string, string]>(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
    clear: db.prepare<[]>('DELETE FROM session_names'),
    upsert: db.prepare<[string, string, string | null]>(
      'INSERT INTO session_names (thread_id, name, updated_at) VALUES (?, ?, ?) ON CONFLICT(thread_id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at',
    ),
    sessionName: db.prepare<[string], string>('SELECT name FROM session_names WHERE thread_id = ?').pluck(),
    setThreadName: db.prepare<[string, string, string]>('UPDATE threads SET name = ? WHERE id = ? AND name IS NOT ?'),
    threadName: db.prepare<[string], string | null>('SELECT name FROM threads WHERE id = ?').pluck(),
    indexed: db.prepare<[string], number>('SELECT 1 FROM threads WHERE id = ?').pluck(),
  };
}

export class SessionIndex {
  private readonly home: CodexHome;
  private readonly stmt: ReturnType<typeof prepare>;

  constructor(db: Db, home: CodexHome) {
    this.home = home;
    this.stmt = prepare(db);
  }

  private cursor(): Cursor | null {
    const value = this.stmt.cursor.get(META_KEY);
    return value === undefined ? null : (JSON.parse(value) as Cursor);
  }

  /** How far into session_index.jsonl the index has read (where this process starts counting from). */
  offset(): number {
    return this.cursor()?.offset ?? 0;
  }

  /** The name session_index.jsonl gives a thread, if any. */
  nameOf(threadId: string): string | null {
    return this.stmt.sessionName.get(threadId) ?? null;
  }

  /** The name an indexed thread shows. */
  threadName(threadId: string): string | null {
    return this.stmt.threadName.get(threadId) ?? null;
  }

  /**
   * Applies new entries. `seenOffset` is how far this process had read: entries between it and the
   * index's own cursor were applied by another Spool process sharing the data folder, and are read
   * again (applying them is idempotent) so that this process can tell its clients too. Call in a
   * transaction.
   */
  sync(seenOffset?: number): NamesSync {
    let cursor: Cursor = this.cursor() ?? { offset: 0, head: null };
    let fd: number;
    try {
      fd = fs.openSync(this.home.sessionIndexPath, 'r');
    } catch {
      return { changed: [], fromPeers: [], offset: 0 };
    }
    const latest = new Map<string, { name: string; updatedAt: string | null }>();
    const peerIds = new Set<string>();
    try {
      const size = fs.fstatSync(fd).size;
      const head = headOf(fd, size);
      if (size < cursor.offset || head !== cursor.head) {
        // Rewritten or truncated: read it again from the start.
        this.stmt.clear.run();
        cursor = { offset: 0, head };
      }
      const appliedByPeers = seenOffset !== undefined && seenOffset < cursor.offset ? cursor.offset : 0;
      const from = appliedByPeers > 0 ? seenOffset! : cursor.offset;
      const out = readLines(fd, { fromOffset: from, fromIndex: 0, untilOffset: size, chunkSize: 256 * 1024 }, (line) => {
        let v: unknown;
        try {
          v = JSON.parse(line.buf.toString('utf8', line.start, line.end));
        } catch {
          return;
        }
        if (typeof v !== 'object' || v === null) return;
        const e = v as { id?: unknown; thread_name?: unknown; updated_at?: unknown };
        if (typeof e.id !== 'string' || typeof e.thread_name !== 'string') return;
        const name = e.thread_name.trim();
        if (name === '') return;
        latest.set(e.id.toLowerCase(), { name, updatedAt: typeof e.updated_at === 'string' ? e.updated_at : null });
        if (line.offset < appliedByPeers) peerIds.add(e.id.toLowerCase());
      });
      cursor = { offset: out.endOffset, head };
    } finally {
      fs.closeSync(fd);
    }
    this.stmt.setCursor.run(META_KEY, JSON.stringify(cursor));
    const changed: string[] = [];
    const fromPeers: string[] = [];
    for (const [id, e] of latest) {
      this.stmt.upsert.run(id, e.name, e.updatedAt);
      if (this.stmt.setThreadName.run(e.name, id, e.name).changes > 0) changed.push(id);
      else if (peerIds.has(id) && this.stmt.indexed.get(id) !== undefined) fromPeers.push(id);
    }
    return { changed, fromPeers, offset: cursor.offset };
  }
}
