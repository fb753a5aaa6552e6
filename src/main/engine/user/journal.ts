// The user journal: what a user authors in Spool that has no place in a rollout — closed agent
// edges, git edits of threads whose rollouts codex does not rewrite — appended as whole JSON lines
// to <dataDir>/user-state.jsonl. It is the durable source; the index only caches it, so deleting
// or rebuilding the index never drops it.
import fs from 'node:fs';
import path from 'node:path';
import { appendLines, writeFileAtomic } from '../fsx/atomic.ts';
import { JournalRecord, mergeGit, type EdgeRecord, type GitRecord } from './records.ts';

export const JOURNAL_FILE = 'user-state.jsonl';

export interface LoadedJournal {
  records: JournalRecord[];
  /** Lines that could not be read (a torn last line after a crash, or damage): skipped, kept on disk. */
  badLines: number;
}

export class UserJournal {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, JOURNAL_FILE);
  }

  load(): LoadedJournal {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], badLines: 0 };
      throw err;
    }
    const records: JournalRecord[] = [];
    let badLines = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const r = JournalRecord.safeParse(JSON.parse(line));
        if (r.success) records.push(r.data);
        else badLines++;
      } catch {
        badLines++;
      }
    }
    return { records, badLines };
  }

  /** Appends records as whole lines, flushed before returning. */
  append(records: JournalRecord[]): void {
    if (records.length === 0) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    appendLines(
      this.file,
      records.map((r) => JSON.stringify(JournalRecord.parse(r))),
    );
  }

  /** Rewrites the journal as its net effect (one record per edge / thread), atomically. */
  compact(loaded: LoadedJournal = this.load()): { before: number; after: number } {
    const net = netEffect(loaded.records);
    writeFileAtomic(this.file, net.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return { before: loaded.records.length, after: net.length };
  }

  /**
   * Compacts when most records are superseded (a user who closes and reopens the same trees
   * again and again), so the journal and the start-up replay stay proportional to what is set.
   * Never when a line could not be read: it may be a record of a newer Spool, which a rewrite
   * would drop. The caller holds the index's write lock, which every appender takes too, so no
   * other process appends to the file being replaced.
   */
  compactIfWorthwhile(loaded: LoadedJournal): LoadedJournal {
    if (loaded.badLines > 0 || loaded.records.length < COMPACT_MIN_RECORDS) return loaded;
    const net = netEffect(loaded.records);
    if (net.length * 2 > loaded.records.length) return loaded;
    this.compact(loaded);
    return { records: net, badLines: 0 };
  }
}

/** Records below this count are never worth a rewrite. */
export const COMPACT_MIN_RECORDS = 256;

/** One record per edge (the latest) and per thread's git edits (merged), in first-seen order. */
export function netEffect(records: JournalRecord[]): JournalRecord[] {
  const edges = new Map<string, EdgeRecord>();
  const git = new Map<string, GitRecord>();
  for (const r of records) {
    if (r.type === 'edge') edges.set(r.childId, r);
    else git.set(r.threadId, mergeGit(git.get(r.threadId), r));
  }
  return [...edges.values(), ...git.values()];
}
