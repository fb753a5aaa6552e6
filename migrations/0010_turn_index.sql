-- The turn index: what thread/turns/list, thread/items/list and thread/read serve turns and items
-- from by seeking into the rollout, never by replaying it (rollout/turns.ts writes it).

-- How each thread's history is read: 'legacy' (codex's history builder), 'paginated' (codex's
-- projection of item_completed events) or 'bare' (pre-0.47 files). A paginated fork continues the
-- history of its base thread below `base_ordinal` (session_meta.history_base).
CREATE TABLE turn_threads (
  thread_id TEXT PRIMARY KEY,
  mode TEXT NOT NULL,
  base_thread_id TEXT,
  base_ordinal INTEGER,
  base_offset INTEGER
) WITHOUT ROWID;

-- Legacy and bare threads: the lines that built each turn. A request replays exactly these.
CREATE TABLE turn_lines (
  thread_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  length INTEGER NOT NULL,
  heavy INTEGER NOT NULL DEFAULT 0,    -- 1: read the line's stub from heavy_lines
  PRIMARY KEY (thread_id, seq, offset)
) WITHOUT ROWID;

-- Paginated threads: one row per item, as codex's projection keeps it. The first item_completed
-- line of an item fixes its place (created_ordinal); the latest one holds its content.
CREATE TABLE turn_items (
  thread_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  turn_id TEXT NOT NULL,
  created_ordinal INTEGER NOT NULL,
  updated_ordinal INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  length INTEGER NOT NULL,
  item_type TEXT NOT NULL,
  heavy INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (thread_id, item_id)
) WITHOUT ROWID;
CREATE INDEX turn_items_order ON turn_items(thread_id, created_ordinal);
CREATE INDEX turn_items_turn ON turn_items(thread_id, turn_id, created_ordinal);

-- Lines too long to decode on the request path (a huge output or message): the line with its long
-- strings cut (the stub), and where each cut string lives in the file (cuts: JSON [{start,length}]).
CREATE TABLE heavy_lines (
  thread_id TEXT NOT NULL,
  offset INTEGER NOT NULL,
  length INTEGER NOT NULL,
  stub TEXT NOT NULL,
  cuts TEXT NOT NULL,
  PRIMARY KEY (thread_id, offset)
) WITHOUT ROWID;

-- Paginated turns: the items codex's summary view shows, as its projection records them while the
-- turn runs (the first user message and the final agent message).
ALTER TABLE turns ADD COLUMN summary_user_item TEXT;
ALTER TABLE turns ADD COLUMN summary_agent_item TEXT;

-- Tokens the thread used while the turn ran (growth of its token counts), for the thread view.
ALTER TABLE turns ADD COLUMN turn_tokens INTEGER;

-- Paginated turn cursors anchor on rollout ordinals.
CREATE INDEX turns_by_ordinal ON turns(thread_id, rollout_ordinal);

-- Existing rows were built by the previous parser: make every file look changed so the next
-- reconcile parses it again from the start (the parser's state version no longer matches).
UPDATE files SET mtime_ms = -1;
