-- What the user authored in Spool (closed agent edges, git edits), loaded from the durable journal
-- (user-state.jsonl) at every start and overlaid on the rollout-derived rows. Rebuilding the index
-- never loses it: the journal is the source, these tables are its cache.
CREATE TABLE user_edge_status (
  child_id TEXT PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  at TEXT NOT NULL
) WITHOUT ROWID;

-- One row per thread with a git edit. A NULL column with its *_set flag 1 means "cleared".
CREATE TABLE user_git (
  thread_id TEXT PRIMARY KEY,
  sha TEXT, sha_set INTEGER NOT NULL DEFAULT 0,
  branch TEXT, branch_set INTEGER NOT NULL DEFAULT 0,
  origin_url TEXT, origin_url_set INTEGER NOT NULL DEFAULT 0,
  at TEXT NOT NULL
) WITHOUT ROWID;
