-- Which thread owns each full-text row. messages_fts keeps its columns (search queries read them),
-- but thread_id is UNINDEXED there: deleting a thread's rows by it scans the whole table. Rows
-- are inserted with an explicit rowid recorded here, so re-indexing a thread deletes by rowid.
CREATE TABLE fts_rows (
  rowid INTEGER PRIMARY KEY,
  thread_id TEXT NOT NULL,
  turn_seq INTEGER
);
CREATE INDEX fts_rows_thread ON fts_rows(thread_id, turn_seq);
INSERT INTO fts_rows (rowid, thread_id, turn_seq) SELECT rowid, thread_id, turn_seq FROM messages_fts;

-- An unfinished last line (no newline yet) at the last parse: its length, for the index report.
ALTER TABLE files ADD COLUMN tail_bytes INTEGER NOT NULL DEFAULT 0;

-- Backfill progress, so another Spool process on the same data folder can show the owner's
-- progress instead of doing the work twice.
ALTER TABLE backfill_state ADD COLUMN files_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE backfill_state ADD COLUMN files_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE backfill_state ADD COLUMN bytes_done INTEGER NOT NULL DEFAULT 0;
ALTER TABLE backfill_state ADD COLUMN bytes_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE backfill_state ADD COLUMN started_at_ms INTEGER;

-- Lines of a megabyte or more (parsed, but worth a mention in the index report).
ALTER TABLE files ADD COLUMN long_lines INTEGER NOT NULL DEFAULT 0;

-- Hash of the bytes just before parsed_bytes: together with head_hash it tells an append (resume
-- from parsed_bytes) from a rewrite in place (parse again from the start).
ALTER TABLE files ADD COLUMN edge_hash TEXT;
