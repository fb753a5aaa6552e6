-- Spool's index of a CODEX_HOME. Everything here is a cache rebuilt from the rollout JSONL files,
-- session_index.jsonl and Spool's durable user journal (user-state.jsonl); nothing is authored here.

-- Key/value facts about this index (the home it describes, the default provider it resolved).
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per file under sessions/ and archived_sessions/ that looks like a rollout.
CREATE TABLE files (
  rel_path TEXT PRIMARY KEY,            -- relative to the home, '/' separators
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
  indexed_at_ms INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX files_thread ON files(thread_id);

CREATE TABLE threads (
  id TEXT PRIMARY KEY,
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
) WITHOUT ROWID;

-- Keyset pagination: one index per (archived, sort key), with the id as the tie-break.
CREATE INDEX threads_created ON threads(archived, created_at_ms, id);
CREATE INDEX threads_updated ON threads(archived, updated_at_ms, id);
CREATE INDEX threads_recency ON threads(archived, recency_at_ms, id);
CREATE INDEX threads_cwd_created ON threads(archived, cwd, created_at_ms, id);
CREATE INDEX threads_cwd_updated ON threads(archived, cwd, updated_at_ms, id);
CREATE INDEX threads_provider_created ON threads(archived, model_provider, created_at_ms, id);
CREATE INDEX threads_kind_created ON threads(archived, source_kind, created_at_ms, id);
CREATE INDEX threads_spawn_parent ON threads(spawn_parent_id);
CREATE INDEX threads_rel_path ON threads(rel_path);

-- Names from session_index.jsonl (last entry wins), kept apart so a name that arrives before its
-- rollout is indexed is not lost.
CREATE TABLE session_names (
  thread_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  updated_at TEXT
) WITHOUT ROWID;

-- Turns, built while indexing, so that turns can be paged by seeking into the rollout.
CREATE TABLE turns (
  thread_id TEXT NOT NULL,
  seq INTEGER NOT NULL,                 -- 0-based position in the thread
  turn_id TEXT NOT NULL,
  root_turn_id TEXT,
  status TEXT NOT NULL,                 -- completed | interrupted | failed | inProgress
  error TEXT,                           -- JSON TurnError
  started_at_ms INTEGER,
  completed_at_ms INTEGER,
  duration_ms INTEGER,
  start_offset INTEGER NOT NULL,        -- byte offset of the line that opened the turn
  end_offset INTEGER NOT NULL,          -- byte offset just past the turn's last line
  start_line INTEGER NOT NULL,          -- 0-based line index of the opening line
  end_line INTEGER NOT NULL,            -- 0-based line index just past the last line
  rollout_ordinal INTEGER,              -- paginated: ordinal of the opening line
  first_item_index INTEGER NOT NULL DEFAULT 1, -- legacy item ids are item-N in thread order
  item_count INTEGER NOT NULL DEFAULT 0,
  explicit INTEGER NOT NULL DEFAULT 0,
  user_preview TEXT,
  agent_preview TEXT,
  PRIMARY KEY (thread_id, seq)
) WITHOUT ROWID;
CREATE INDEX turns_by_id ON turns(thread_id, turn_id);

-- Spawn edges from thread_spawn sources. Status is overlaid from the user journal.
CREATE TABLE spawn_edges (
  child_id TEXT PRIMARY KEY,
  parent_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open'   -- open | closed
) WITHOUT ROWID;
CREATE INDEX spawn_edges_parent ON spawn_edges(parent_id, status);

-- Full-text search over user and agent messages.
CREATE VIRTUAL TABLE messages_fts USING fts5(
  text,
  thread_id UNINDEXED,
  turn_seq UNINDEXED,
  role UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);

-- Backfill state (docs/FORMAT.md §7.2): a singleton row, a watermark and a lease.
CREATE TABLE backfill_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  status TEXT NOT NULL,                 -- pending | running | complete
  last_watermark TEXT,
  last_success_at INTEGER,
  updated_at INTEGER NOT NULL,
  owner TEXT
);
INSERT INTO backfill_state (id, status, updated_at) VALUES (1, 'pending', 0);
