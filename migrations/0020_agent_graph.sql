-- The agent graph's open/closed state, from the two places it is recorded:
--
-- * the rollouts: a multi-agent v1 parent closes a sub-agent with a `close_agent` tool call (its
--   `function_call` line names the child). That is what codex persists as
--   thread_spawn_edges.status = 'closed'. agent_closes caches those calls; it is rebuilt from the
--   rollouts like the rest of the index.
-- * the user journal (user_edge_status, 0002): closes and reopens done in Spool.
--
-- spawn_edges.status holds the effective status (the view below), recomputed whenever either
-- source changes. The most recent fact wins: a user's reopen after codex's close reopens the edge,
-- a close codex records after the user's reopen closes it again.

CREATE TABLE agent_closes (
  child_id TEXT NOT NULL,               -- the sub-agent closed
  closer_id TEXT NOT NULL,              -- the thread whose rollout holds the close_agent call
  at_ms INTEGER NOT NULL,               -- timestamp of the call's line (the latest call wins)
  PRIMARY KEY (child_id, closer_id)
) WITHOUT ROWID;
CREATE INDEX agent_closes_closer ON agent_closes(closer_id);

-- Only the child's own parent can close its edge (a foreign close names another thread's child).
CREATE VIEW spawn_edges_effective AS
SELECT
  e.child_id,
  e.parent_id,
  CASE
    WHEN u.status IS NOT NULL AND (k.at_ms IS NULL OR unixepoch(u.at, 'subsec') * 1000 >= k.at_ms) THEN u.status
    WHEN k.at_ms IS NOT NULL THEN 'closed'
    ELSE 'open'
  END AS status,
  k.at_ms AS codex_closed_at_ms,
  u.status AS user_status
FROM spawn_edges AS e
LEFT JOIN agent_closes AS k ON k.child_id = e.child_id AND k.closer_id = e.parent_id
LEFT JOIN user_edge_status AS u ON u.child_id = e.child_id;

-- Parse every rollout again once, from its first byte, so that closes already on disk are found.
UPDATE files SET mtime_ms = -1, parse_state = NULL;
