// The `files` table: one row per rollout file the index knows, with where its parse stopped (the
// resume point and parser state), its size and mtime as last seen, and what the parse met (bad
// lines, an unfinished last line…). Every query the indexer and read-repair run on it lives here,
// with its row types; statements are prepared once per connection (they run for every file).
import type { Db } from '../db/database.ts';
import type { ParseJob, ParseResult } from '../rollout/parse-file.ts';

/** A file's row as a pass compares it with the disk. */
export interface FileRow {
  rel_path: string;
  thread_id: string | null;
  size: number;
  mtime_ms: number;
}

/** What the writer checks a parse result against. */
export interface FileState extends FileRow {
  status: string;
  parsed_bytes: number;
  head_hash: string | null;
  tail_bytes: number;
}

/** A file with something to report (index report). */
export interface FileProblemRow {
  rel_path: string;
  status: string;
  error: string | null;
  bad_lines: number;
  invalid_utf8_lines: number;
  huge_lines: number;
  unknown_items: number;
  tail_bytes: number;
  long_lines: number;
}

interface ResumeRow {
  parsed_bytes: number;
  parsed_lines: number;
  head_hash: string | null;
  edge_hash: string | null;
  parse_state: string | null;
}

const COLUMNS = 'rel_path, thread_id, size, mtime_ms';

function prepare(db: Db) {
  return {
    row: db.prepare<[string], FileRow>(`SELECT ${COLUMNS} FROM files WHERE rel_path = ?`),
    ofThread: db.prepare<[string], FileRow>(`SELECT ${COLUMNS} FROM files WHERE thread_id = ?`),
    slice: db.prepare<[string, number], FileRow>(`SELECT ${COLUMNS} FROM files WHERE rel_path > ? ORDER BY rel_path LIMIT ?`),
    state: db.prepare<[string], FileState>(
      'SELECT rel_path, thread_id, status, size, mtime_ms, parsed_bytes, head_hash, tail_bytes FROM files WHERE rel_path = ?',
    ),
    resume: db.prepare<[string], ResumeRow>(
      'SELECT parsed_bytes, parsed_lines, head_hash, edge_hash, parse_state FROM files WHERE rel_path = ?',
    ),
    upsert: db.prepare(`
        INSERT INTO files (rel_path, thread_id, archived, size, mtime_ms, parsed_bytes, parsed_lines, head_hash, edge_hash, parse_state, status, error,
                           bad_lines, invalid_utf8_lines, huge_lines, unknown_items, tail_bytes, long_lines, indexed_at_ms)
        VALUES (@rel_path, @thread_id, @archived, @size, @mtime_ms, @parsed_bytes, @parsed_lines, @head_hash, @edge_hash, @parse_state, @status, @error,
                @bad_lines, @invalid_utf8_lines, @huge_lines, @unknown_items, @tail_bytes, @long_lines, @indexed_at_ms)
        ON CONFLICT(rel_path) DO UPDATE SET thread_id = excluded.thread_id, archived = excluded.archived, size = excluded.size,
          mtime_ms = excluded.mtime_ms, parsed_bytes = excluded.parsed_bytes, parsed_lines = excluded.parsed_lines,
          head_hash = excluded.head_hash, edge_hash = excluded.edge_hash, parse_state = excluded.parse_state, status = excluded.status, error = excluded.error,
          bad_lines = excluded.bad_lines, invalid_utf8_lines = excluded.invalid_utf8_lines, huge_lines = excluded.huge_lines,
          unknown_items = excluded.unknown_items, tail_bytes = excluded.tail_bytes, long_lines = excluded.long_lines, indexed_at_ms = excluded.indexed_at_ms`),
    delete: db.prepare<[string]>('DELETE FROM files WHERE rel_path = ?'),
    rename: db.prepare<[string, number, string]>('UPDATE files SET rel_path = ?, archived = ? WHERE rel_path = ?'),
    setStatus: db.prepare<[string, string]>('UPDATE files SET status = ? WHERE rel_path = ?'),
    otherOkFile: db
      .prepare<[string, string], string>(
        "SELECT rel_path FROM files WHERE thread_id = ? AND status = 'ok' AND rel_path <> ? ORDER BY archived, mtime_ms DESC LIMIT 1",
      )
      .pluck(),
    filesOfThread: db
      .prepare<[string], string>(
        "SELECT rel_path FROM files WHERE thread_id = ? AND status IN ('ok', 'duplicate') ORDER BY archived, mtime_ms DESC",
      )
      .pluck(),
    sizesAt: db.prepare<[string], { rel_path: string; size: number; mtime_ms: number }>(
      'SELECT rel_path, size, mtime_ms FROM files WHERE rel_path IN (SELECT value FROM json_each(?))',
    ),
    totals: db.prepare<[], { files: number; bytes: number }>('SELECT count(*) AS files, coalesce(sum(size), 0) AS bytes FROM files'),
    problems: db.prepare<[], FileProblemRow>(
      `SELECT rel_path, status, error, bad_lines, invalid_utf8_lines, huge_lines, unknown_items, tail_bytes, long_lines FROM files
      WHERE status NOT IN ('ok', 'pending') OR bad_lines > 0 OR invalid_utf8_lines > 0 OR huge_lines > 0 OR unknown_items > 0 OR tail_bytes > 0 OR long_lines > 0
      ORDER BY rel_path`,
    ),
  };
}

const byConnection = new WeakMap<Db, FileRows>();

export class FileRows {
  private readonly stmt: ReturnType<typeof prepare>;

  /** The rows of this connection (one set of prepared statements per connection). */
  static of(db: Db): FileRows {
    let rows = byConnection.get(db);
    if (!rows) byConnection.set(db, (rows = new FileRows(db)));
    return rows;
  }

  private constructor(db: Db) {
    this.stmt = prepare(db);
  }

  row(relPath: string): FileRow | undefined {
    return this.stmt.row.get(relPath);
  }

  ofThread(threadId: string): FileRow[] {
    return this.stmt.ofThread.all(threadId);
  }

  /** Up to `limit` rows in path order, after `after` (a pass reads them all, slice by slice). */
  slice(after: string, limit: number): FileRow[] {
    return this.stmt.slice.all(after, limit);
  }

  state(relPath: string): FileState | undefined {
    return this.stmt.state.get(relPath);
  }

  /** Where the stored parse of a file stopped, or null when it must be parsed from the start. */
  resumeOf(relPath: string): ParseJob['resume'] {
    const row = this.stmt.resume.get(relPath);
    if (!row || !row.parse_state) return null;
    return {
      offset: row.parsed_bytes,
      lines: row.parsed_lines,
      headHash: row.head_hash,
      edgeHash: row.edge_hash,
      stateJson: row.parse_state,
    };
  }

  /** Stores a parse result as the file's row (`threadId`: the thread it holds, if any). */
  store(r: ParseResult, threadId: string | null): void {
    this.stmt.upsert.run({
      rel_path: r.relPath,
      thread_id: threadId,
      archived: r.archived ? 1 : 0,
      size: r.size,
      mtime_ms: r.mtimeMs,
      parsed_bytes: r.parsedBytes,
      parsed_lines: r.parsedLines,
      head_hash: r.headHash,
      edge_hash: r.edgeHash,
      parse_state: r.stateJson,
      status: r.status,
      error: r.error,
      bad_lines: r.counts.badJson,
      invalid_utf8_lines: r.counts.invalidUtf8,
      huge_lines: r.oversizedLines,
      unknown_items: r.counts.unknownTypes,
      tail_bytes: r.tailBytes,
      long_lines: r.counts.longLines ?? 0,
      indexed_at_ms: Date.now(),
    });
  }

  delete(relPath: string): void {
    this.stmt.delete.run(relPath);
  }

  /** The same file at a new path (a move). */
  rename(fromRel: string, toRel: string, archived: boolean): void {
    this.stmt.rename.run(toRel, archived ? 1 : 0, fromRel);
  }

  /** `ok`: the file holds its thread; `duplicate`: another file holds the same thread. */
  setStatus(relPath: string, status: 'ok' | 'duplicate'): void {
    this.stmt.setStatus.run(status, relPath);
  }

  /** Another file that holds the thread (active before archived, then the newest), if any. */
  otherOkFile(threadId: string, relPath: string): string | undefined {
    return this.stmt.otherOkFile.get(threadId, relPath);
  }

  /** Every file that holds the thread, duplicates included, in the same order. */
  filesOfThread(threadId: string): string[] {
    return this.stmt.filesOfThread.all(threadId);
  }

  /** Size and mtime of these files' rows, by path (read-repair compares them with the disk). */
  sizesAt(relPaths: string[]): Map<string, { size: number; mtime_ms: number }> {
    const rows = new Map<string, { size: number; mtime_ms: number }>();
    for (const r of this.stmt.sizesAt.all(JSON.stringify(relPaths))) rows.set(r.rel_path, r);
    return rows;
  }

  totals(): { files: number; bytes: number } {
    return this.stmt.totals.get()!;
  }

  /** Files with a problem to report, in path order. */
  problems(): FileProblemRow[] {
    return this.stmt.problems.all();
  }
}
