-- files and threads become ordinary rowid tables. Their rows are large (a file's parse state is
-- about 1.4 kB; a thread's row carries its preview and first message), and a WITHOUT ROWID table
-- keeps only ~1 kB of a row in its b-tree page, spilling the rest into an overflow page of its
-- own: at 100k threads, files took 502 MB for 160 MB of data. A rowid table stores such rows
-- inline. Nothing else changes: the primary keys become unique indexes and every query keeps its
-- plan. The index is a cache, so this is a plain copy.
CREATE TABLE files_new (
  rel_path TEXT NOT NULL PRIMARY KEY,   -- relative to the home, '/' separators
  thread_id TEXT,                       -- NULL when the file holds no thread (empty, foreign, unreadable)
  archived INTEGER NOT NULL,            -- 1 when under archived_sessions/
  size INTEGER NOT NULL,                -- bytes at the last stat
  mtime_ms INTEGER NOT NULL,
  parsed_bytes INTEGER NOT NULL DEFAULT 0,  -- offset just past the last complete line parsed
  parsed_lines INTEGER NOT NULL DEFAULT 0,
  head_hash TEXT,                       -- hash of the first bytes: detects a rewrite in place
  parse_state TEXT,                     -- JSON: where the incremental parser stopped
  status TEXT NOT NULL DEFAULT 'pending', -- pending | ok | empty | foreign | error | duplicate
  error TEXT,
  bad_lines INTEGER NOT NULL DEFAULT 0,
  invalid_utf8_lines INTEGER NOT NULL DEFAULT 0,
  huge_lines INTEGER NOT NULL DEFAULT 0,
  unknown_items INTEGER NOT NULL DEFAULT 0,
  indexed_at_ms INTEGER NOT NULL DEFAULT 0,
  tail_bytes INTEGER NOT NULL DEFAULT 0,
  long_lines INTEGER NOT NULL DEFAULT 0,
  edge_hash TEXT
);
INSERT INTO files_new (rel_path, thread_id, archived, size, mtime_ms, parsed_bytes, parsed_lines, head_hash, parse_state, status, error,
                       bad_lines, invalid_utf8_lines, huge_lines, unknown_items, indexed_at_ms, tail_bytes, long_lines, edge_hash)
  SELECT rel_path, thread_id, archived, size, mtime_ms, parsed_bytes, parsed_lines, head_hash, parse_state, status, error,
         bad_lines, invalid_utf8_lines, huge_lines, unknown_items, indexed_at_ms, tail_bytes, long_lines, edge_hash FROM files;
DROP TABLE files;
ALTER TABLE files_new RENAME TO files;
CREATE INDEX files_thread ON files(thread_id);

CREATE TABLE threads_new (
  id TEXT NOT NULL PRIMARY KEY,
  rel_path TEXT NOT NULL,               -- the canonical rollout file, relative to the home
  created_at_ms INTEGER NOT NULL,       -- unique per index (codex's allocator, §3.4)
  updated_at_ms INTEGER NOT NULL,       -- unique per index
  recency_at_ms INTEGER NOT NULL,
  source TEXT NOT NULL,                 -- disk encoding: bare string or compact JSON
  source_kind TEXT NOT NULL,            -- cli | vscode | exec | appServer | unknown | custom | subAgentReview | subAgentCompact | subAgentMemory | subAgentThreadSpawn | subAgentOther
  model_provider TEXT NOT NULL,         -- resolved (missing → configured default)
  model TEXT,
  reasoning_effort TEXT,
  cwd TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  name TEXT,                            -- explicit name (session_index.jsonl, thread_name_updated)
  preview TEXT NOT NULL DEFAULT '',
  first_user_message TEXT NOT NULL DEFAULT '',
  cli_version TEXT NOT NULL DEFAULT '',
  originator TEXT,
  thread_source TEXT,
  session_id TEXT,
  agent_nickname TEXT,
  agent_role TEXT,
  agent_path TEXT,
  spawn_parent_id TEXT,                 -- parent from a thread_spawn source
  spawn_depth INTEGER,
  meta_parent_id TEXT,                  -- top-level session_meta.parent_thread_id
  forked_from_id TEXT,
  archived INTEGER NOT NULL DEFAULT 0,
  archived_at INTEGER,                  -- unix seconds
  git_sha TEXT,
  git_branch TEXT,
  git_origin_url TEXT,
  tokens_used INTEGER NOT NULL DEFAULT 0,
  history_mode TEXT NOT NULL DEFAULT 'legacy',
  memory_mode TEXT,
  format TEXT NOT NULL,                 -- bare | legacy | paginated
  sandbox_policy TEXT,
  approval_mode TEXT,
  size_bytes INTEGER NOT NULL DEFAULT 0,
  turn_count INTEGER NOT NULL DEFAULT 0,
  child_count INTEGER NOT NULL DEFAULT 0
);
INSERT INTO threads_new (id, rel_path, created_at_ms, updated_at_ms, recency_at_ms, source, source_kind, model_provider, model, reasoning_effort, cwd, title, name, preview, first_user_message, cli_version, originator, thread_source, session_id, agent_nickname, agent_role, agent_path, spawn_parent_id, spawn_depth, meta_parent_id, forked_from_id, archived, archived_at, git_sha, git_branch, git_origin_url, tokens_used, history_mode, memory_mode, format, sandbox_policy, approval_mode, size_bytes, turn_count, child_count)
  SELECT id, rel_path, created_at_ms, updated_at_ms, recency_at_ms, source, source_kind, model_provider, model, reasoning_effort, cwd, title, name, preview, first_user_message, cli_version, originator, thread_source, session_id, agent_nickname, agent_role, agent_path, spawn_parent_id, spawn_depth, meta_parent_id, forked_from_id, archived, archived_at, git_sha, git_branch, git_origin_url, tokens_used, history_mode, memory_mode, format, sandbox_policy, approval_mode, size_bytes, turn_count, child_count FROM threads;
DROP TABLE threads;
ALTER TABLE threads_new RENAME TO threads;
-- The list indexes (0001, 0015, 0016, 0025) and the search triggers (0017) as they were.
CREATE INDEX threads_created ON threads(archived, created_at_ms, id);
CREATE INDEX threads_updated ON threads(archived, updated_at_ms, id);
CREATE INDEX threads_recency ON threads(archived, recency_at_ms, id);
CREATE INDEX threads_cwd_created ON threads(archived, cwd, created_at_ms, id);
CREATE INDEX threads_cwd_updated ON threads(archived, cwd, updated_at_ms, id);
CREATE INDEX threads_provider_created ON threads(archived, model_provider, created_at_ms, id);
CREATE INDEX threads_kind_created ON threads(archived, source_kind, created_at_ms, id);
CREATE INDEX threads_spawn_parent ON threads(spawn_parent_id);
CREATE INDEX threads_rel_path ON threads(rel_path);
CREATE INDEX threads_cwd_recency ON threads(archived, cwd, recency_at_ms, id);
CREATE INDEX threads_provider_updated ON threads(archived, model_provider, updated_at_ms, id);
CREATE INDEX threads_provider_recency ON threads(archived, model_provider, recency_at_ms, id);
CREATE INDEX threads_kind_updated ON threads(archived, source_kind, updated_at_ms, id);
CREATE INDEX threads_kind_recency ON threads(archived, source_kind, recency_at_ms, id);
CREATE INDEX threads_interactive_created ON threads(archived, model_provider, created_at_ms, id) WHERE source_kind IN ('cli', 'vscode');
CREATE INDEX threads_interactive_updated ON threads(archived, model_provider, updated_at_ms, id) WHERE source_kind IN ('cli', 'vscode');
CREATE INDEX threads_interactive_recency ON threads(archived, model_provider, recency_at_ms, id) WHERE source_kind IN ('cli', 'vscode');
CREATE INDEX threads_subagent_created ON threads(archived, created_at_ms, id) WHERE source_kind IN ('subAgentCompact', 'subAgentMemory', 'subAgentOther', 'subAgentReview', 'subAgentThreadSpawn');
CREATE INDEX threads_subagent_updated ON threads(archived, updated_at_ms, id) WHERE source_kind IN ('subAgentCompact', 'subAgentMemory', 'subAgentOther', 'subAgentReview', 'subAgentThreadSpawn');
CREATE INDEX threads_subagent_recency ON threads(archived, recency_at_ms, id) WHERE source_kind IN ('subAgentCompact', 'subAgentMemory', 'subAgentOther', 'subAgentReview', 'subAgentThreadSpawn');
CREATE INDEX threads_facets ON threads(archived, model_provider, source_kind, cwd, created_at_ms);
CREATE INDEX threads_facets_no_preview ON threads(archived, model_provider, source_kind, cwd, created_at_ms) WHERE preview = '';

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
