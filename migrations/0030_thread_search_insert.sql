-- A new thread's search entry is written by the indexer itself, not by an AFTER INSERT trigger.
-- A trigger makes every insert into threads keep a statement journal, which copies each page the
-- insert touches (the row and its two dozen list indexes) before changing it: measured at 10k
-- threads, that tripled the cost of indexing a thread. Renames and deletes are rare and keep
-- their triggers (0017).
DROP TRIGGER thread_search_insert;
