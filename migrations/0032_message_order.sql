-- Full-text rows are numbered by recency, the newest lowest: a backfill, which walks the home
-- newest first, numbers each thread's messages above every message it indexed before, and
-- everything indexed later is numbered below (writer.ts, MessageOrder). spool/search ranks the
-- newest matches first by walking rowids up. An index built before this numbered messages in the
-- order it indexed them and searched from the highest, so its "newest" matches were the oldest
-- threads and the archived ones.
--
-- Nothing in the schema changes. Like every migration, this one makes the engine rebuild the
-- index from the rollouts, which numbers the existing messages the new way.
SELECT 1;
