-- Full-text rows are numbered by recency, the newest lowest: a backfill, which walks the home
-- newest first, numbers each thread's messages above every message it indexed before, and
-- everything indexed later is numbered below (writer.ts, MessageOrder). spool/search ranks the
-- newest matches first by walking rowids up. An index built before this numbered messages in the
-- order it indexed them and searched from the highest, so its "newest" matches were the oldest
-- threads and the archived ones.
--
-- Each row also says whether its thread is archived, so that a search of one collection checks its
-- candidates on this table alone (a primary-key read each) instead of looking up every candidate's
-- thread: an archived-only search has to pass over all the active matches, which are the newest.
-- The writer sets it on insert; the trigger follows every archive and unarchive.
--
-- Like every migration, this one makes the engine rebuild the index from the rollouts.
ALTER TABLE fts_rows ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER fts_rows_archived AFTER UPDATE OF archived ON threads
WHEN OLD.archived IS NOT NEW.archived BEGIN
  UPDATE fts_rows SET archived = NEW.archived WHERE thread_id = NEW.id;
END;
