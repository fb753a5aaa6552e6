// The agent graph's queries over spawn edges, with the rows they return: a thread's way up to its
// root, a family's nodes, agents by canonical path, and orphans. Every walk over the edges is a
// recursive UNION over ids, never UNION ALL: rollouts are input we do not control, and a cycle in
// the edges must end the recursion instead of feeding it. Statements of a fixed shape are cached
// per connection (db/prepared.ts).
import type { Db } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';

/** A thread on the way up from a node: its edge's parent, and whether the thread itself is indexed. */
export interface UpRow {
  id: string;
  parent_id: string | null;
  present: number;
}

/** A node of a family: the thread, its incoming edge with both sources of its status, and its last turn's status. */
export interface NodeRow {
  id: string;
  parent_id: string | null;
  edge_status: string | null;
  codex_closed_at_ms: number | null;
  user_status: string | null;
  parent_present: number;
  agent_path: string | null;
  agent_nickname: string | null;
  agent_role: string | null;
  preview: string;
  name: string | null;
  archived: number;
  size_bytes: number;
  created_at_ms: number;
  updated_at_ms: number;
  turn_count: number;
  last_turn_status: string | null;
}

const UP_SQL = `WITH RECURSIVE up(id) AS (
    SELECT ? UNION SELECT e.parent_id FROM spawn_edges AS e JOIN up ON e.child_id = up.id)
  SELECT up.id, e.parent_id, EXISTS (SELECT 1 FROM threads WHERE id = up.id) AS present
  FROM up LEFT JOIN spawn_edges AS e ON e.child_id = up.id`;

// The edge's effective status is cached in spawn_edges.status (user/edge-status.ts); the two
// sources it merges are joined directly (not through the view, which SQLite would materialise).
const DOWN_SQL = `WITH RECURSIVE down(id) AS (
    SELECT ? UNION SELECT e.child_id FROM spawn_edges AS e JOIN down ON e.parent_id = down.id)
  SELECT t.id, e.parent_id, e.status AS edge_status, k.at_ms AS codex_closed_at_ms, u.status AS user_status,
    (e.parent_id IS NOT NULL AND EXISTS (SELECT 1 FROM threads AS p WHERE p.id = e.parent_id)) AS parent_present,
    t.agent_path, t.agent_nickname, t.agent_role, t.preview, t.name, t.archived, t.size_bytes,
    t.created_at_ms, t.updated_at_ms, t.turn_count,
    (SELECT status FROM turns WHERE thread_id = t.id ORDER BY seq DESC LIMIT 1) AS last_turn_status
  FROM down JOIN threads AS t ON t.id = down.id
  LEFT JOIN spawn_edges AS e ON e.child_id = t.id
  LEFT JOIN agent_closes AS k ON k.child_id = t.id AND k.closer_id = e.parent_id
  LEFT JOIN user_edge_status AS u ON u.child_id = t.id`;

/** `id` and every thread above it over spawn edges (indexed or not), each with its own edge's parent. */
export function upRows(db: Db, id: string): UpRow[] {
  return prepared(db, UP_SQL).all(id) as UpRow[];
}

/** The indexed threads of the subtree under `rootId`, the root included. */
export function nodeRows(db: Db, rootId: string): NodeRow[] {
  return prepared(db, DOWN_SQL).all(rootId) as NodeRow[];
}

/** Threads whose canonical agent path is `agentPath`, oldest first (at most `limit`). */
export function threadsAtAgentPath(db: Db, agentPath: string, limit: number): string[] {
  return prepared(db, 'SELECT id FROM threads WHERE agent_path = ? ORDER BY created_at_ms, id LIMIT ?')
    .all(agentPath, limit)
    .map((r) => (r as { id: string }).id);
}

// ---------------------------------------------------------------------------------------------
// orphans: sub-agents whose parent is not indexed

export interface OrphanRow {
  child_id: string;
  parent_id: string;
  agent_nickname: string | null;
  agent_path: string | null;
  archived: number;
}

const ORPHANS = `SELECT e.child_id, e.parent_id, t.agent_nickname, t.agent_path, t.archived
  FROM spawn_edges AS e JOIN threads AS t ON t.id = e.child_id
  WHERE NOT EXISTS (SELECT 1 FROM threads AS p WHERE p.id = e.parent_id)`;

export function orphanCount(db: Db): number {
  return (prepared(db, `SELECT count(*) AS n FROM (${ORPHANS})`).get() as { n: number }).n;
}

/** The newest `limit` orphans. */
export function orphanRows(db: Db, limit: number): OrphanRow[] {
  return prepared(db, `${ORPHANS} ORDER BY t.created_at_ms DESC, t.id DESC LIMIT ?`).all(limit) as OrphanRow[];
}

/** The size of each root's subtree (the root included), in one query: UNION over (root, id) pairs cannot loop. */
export function subtreeSizes(db: Db, rootIds: readonly string[]): Map<string, number> {
  const marks = rootIds.map(() => '(?)').join(',');
  // One shape per count of roots: prepared here, not cached.
  const rows = db
    .prepare(
      `WITH RECURSIVE roots(id) AS (VALUES ${marks}),
      sub(root, id) AS (SELECT id, id FROM roots UNION SELECT sub.root, e.child_id FROM spawn_edges AS e JOIN sub ON e.parent_id = sub.id)
      SELECT root, count(*) AS n FROM sub GROUP BY root`,
    )
    .all(...rootIds) as { root: string; n: number }[];
  return new Map(rows.map((s) => [s.root, s.n]));
}
