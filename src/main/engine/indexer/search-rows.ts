// The search index as the indexer writes it: each thread's title entry (thread_search, keyed through
// thread_search_ids) and its messages (messages_fts, found per thread through fts_rows). Entries are
// buffered and written together at the end of a batch: FTS5 keeps inserts in memory until the
// transaction ends, but writes them out as a segment whenever a statement opens a savepoint (any
// multi-row write or trigger does); inserts spread between other writes left one small segment per
// thread, and merging those cost more than the inserts.
import type { Db } from '../db/database.ts';
import type { FtsEntry } from '../rollout/parse-types.ts';

/**
 * Where a result's messages sit in rowid order, which full-text search reads as recency: the lower
 * the rowid, the newer the message (it ranks the newest matches first). A backfill walks the home
 * newest first, so each of its threads is older than everything it indexed before: 'older' numbers
 * its messages above all others, the plain append a bulk load wants. Anything indexed later (a new
 * thread, an append) is newer than all of them: 'newer' numbers its messages below.
 */
export type MessageOrder = 'older' | 'newer';

interface PendingTitle {
  id: string;
  name: string;
  preview: string;
  title: string;
}

interface PendingMessage {
  threadId: string;
  turnSeq: number | null;
  text: string;
  role: string;
  older: boolean;
  archived: 0 | 1;
}

function prepare(db: Db) {
  return {
    searchId: db.prepare<[string]>('INSERT OR IGNORE INTO thread_search_ids (id) VALUES (?)'),
    searchRowid: db.prepare<[string], number>('SELECT rowid FROM thread_search_ids WHERE id = ?').pluck(),
    insertSearch: db.prepare<[number, string, string, string]>(
      'INSERT INTO thread_search (rowid, name, preview, title) VALUES (?, ?, ?, ?)',
    ),
    // messages_fts.thread_id is UNINDEXED: rows are found through fts_rows, never by scanning.
    deleteFts: db.prepare<[string]>('DELETE FROM messages_fts WHERE rowid IN (SELECT rowid FROM fts_rows WHERE thread_id = ?)'),
    deleteFtsRows: db.prepare<[string]>('DELETE FROM fts_rows WHERE thread_id = ?'),
    truncateFts: db.prepare<[string, number]>(
      'DELETE FROM messages_fts WHERE rowid IN (SELECT rowid FROM fts_rows WHERE thread_id = ? AND turn_seq >= ?)',
    ),
    truncateFtsRows: db.prepare<[string, number]>('DELETE FROM fts_rows WHERE thread_id = ? AND turn_seq >= ?'),
    insertFtsRow: db.prepare<[string, number | null, number]>('INSERT INTO fts_rows (thread_id, turn_seq, archived) VALUES (?, ?, ?)'),
    insertFtsRowAt: db.prepare<[number, string, number | null, number]>(
      'INSERT INTO fts_rows (rowid, thread_id, turn_seq, archived) VALUES (?, ?, ?, ?)',
    ),
    lowestFtsRow: db.prepare<[], number | null>('SELECT min(rowid) FROM fts_rows').pluck(),
    insertFts: db.prepare<[number | bigint, string, string, number | null, string]>(
      'INSERT INTO messages_fts (rowid, text, thread_id, turn_seq, role) VALUES (?, ?, ?, ?, ?)',
    ),
  };
}

export class SearchRows {
  private readonly stmt: ReturnType<typeof prepare>;
  private pendingTitles: PendingTitle[] = [];
  private pendingMessages: PendingMessage[] = [];
  private readonly pendingThreads = new Set<string>();

  constructor(db: Db) {
    this.stmt = prepare(db);
  }

  /** A new thread's entry (name, preview, and the title where it differs, as 0017's triggers). */
  addThread(row: { id: string; name: string | null; preview: string; title: string }): void {
    this.pendingTitles.push({ id: row.id, name: row.name ?? '', preview: row.preview, title: row.title !== row.preview ? row.title : '' });
    this.pendingThreads.add(row.id);
  }

  /** A parse result's messages. */
  addMessages(threadId: string, fts: readonly FtsEntry[], order: MessageOrder, archived: boolean): void {
    for (const f of fts)
      this.pendingMessages.push({
        threadId,
        turnSeq: f.turnSeq,
        text: f.text,
        role: f.role,
        older: order === 'older',
        archived: archived ? 1 : 0,
      });
    if (fts.length > 0) this.pendingThreads.add(threadId);
  }

  /** Before a statement reads or changes a thread's search rows, its buffered ones are written. */
  settle(threadId: string): void {
    if (this.pendingThreads.has(threadId)) this.flush();
  }

  /** Drops the thread's messages (a re-parse from the start, or a removal). */
  clearMessages(threadId: string): void {
    this.stmt.deleteFts.run(threadId);
    this.stmt.deleteFtsRows.run(threadId);
  }

  /** A rollback dropped the thread's turns from `fromSeq` on: their messages leave the search index too. */
  truncateMessages(threadId: string, fromSeq: number): void {
    this.stmt.truncateFts.run(threadId, fromSeq);
    this.stmt.truncateFtsRows.run(threadId, fromSeq);
  }

  /** Writes the buffered entries. Call at the end of every transaction that applied results. */
  flush(): void {
    for (const t of this.pendingTitles) {
      this.stmt.searchId.run(t.id);
      this.stmt.insertSearch.run(this.stmt.searchRowid.get(t.id)!, t.name, t.preview, t.title);
    }
    const messages = this.pendingMessages;
    for (let i = 0; i < messages.length;) {
      let end = i + 1;
      while (end < messages.length && messages[end]!.threadId === messages[i]!.threadId && messages[end]!.older === messages[i]!.older)
        end++;
      // A thread's messages take consecutive rowids, its last message the lowest (see MessageOrder):
      // an older thread's above every other message (an append to the tables, as a backfill's
      // bulk of rows should be), a newer one's in a block below them.
      const top = messages[i]!.older ? null : Math.min(this.stmt.lowestFtsRow.get() ?? 1, 1) - 1;
      for (let k = end - 1; k >= i; k--) {
        const m = messages[k]!;
        const rowid =
          top === null
            ? this.stmt.insertFtsRow.run(m.threadId, m.turnSeq, m.archived).lastInsertRowid
            : this.stmt.insertFtsRowAt.run(top - (k - i), m.threadId, m.turnSeq, m.archived).lastInsertRowid;
        this.stmt.insertFts.run(rowid, m.text, m.threadId, m.turnSeq, m.role);
      }
      i = end;
    }
    this.pendingTitles = [];
    this.pendingMessages = [];
    this.pendingThreads.clear();
  }
}
