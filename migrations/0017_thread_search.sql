-- thread/list's searchTerm (codex: a case-sensitive substring of the name, title or preview) without
-- walking every thread when the term is rare: a trigram index of those texts (case-sensitive, no
-- positions: it only narrows the candidates, which the exact substring test then checks) and its
-- vocabulary (how many threads hold each trigram, to tell a rare term from a common one).
-- The threads table has no integer rowid, so each thread gets one here.
CREATE TABLE thread_search_ids (
  rowid INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE thread_search USING fts5(name, preview, title, tokenize = 'trigram case_sensitive 1', detail = 'none');
CREATE VIRTUAL TABLE thread_search_vocab USING fts5vocab(thread_search, 'row');

-- The title is indexed only where it differs from the preview (Spool's titles are previews).
CREATE TRIGGER thread_search_insert AFTER INSERT ON threads BEGIN
  INSERT OR IGNORE INTO thread_search_ids (id) VALUES (new.id);
  INSERT INTO thread_search (rowid, name, preview, title)
    VALUES ((SELECT rowid FROM thread_search_ids WHERE id = new.id), coalesce(new.name, ''), new.preview,
            CASE WHEN new.title <> new.preview THEN new.title ELSE '' END);
END;
CREATE TRIGGER thread_search_update AFTER UPDATE OF name, preview, title ON threads
  WHEN old.name IS NOT new.name OR old.preview <> new.preview OR old.title <> new.title BEGIN
  DELETE FROM thread_search WHERE rowid = (SELECT rowid FROM thread_search_ids WHERE id = old.id);
  INSERT INTO thread_search (rowid, name, preview, title)
    VALUES ((SELECT rowid FROM thread_search_ids WHERE id = new.id), coalesce(new.name, ''), new.preview,
            CASE WHEN new.title <> new.preview THEN new.title ELSE '' END);
END;
CREATE TRIGGER thread_search_delete AFTER DELETE ON threads BEGIN
  DELETE FROM thread_search WHERE rowid = (SELECT rowid FROM thread_search_ids WHERE id = old.id);
  DELETE FROM thread_search_ids WHERE id = old.id;
END;

INSERT INTO thread_search_ids (id) SELECT id FROM threads;
INSERT INTO thread_search (rowid, name, preview, title)
  SELECT i.rowid, coalesce(t.name, ''), t.preview, CASE WHEN t.title <> t.preview THEN t.title ELSE '' END
  FROM threads AS t JOIN thread_search_ids AS i ON i.id = t.id;
-- One segment after the bulk insert: lookups read one b-tree, not dozens.
INSERT INTO thread_search (thread_search) VALUES ('optimize');
