// spool/agent/orphans: sub-agents whose parent (as their rollout names it) is not in the index —
// deleted, never synced, or on another machine. They stay indexed and listed like any thread; here
// they are gathered so a client can show them as the roots of their own trees.
import type { Db } from '../db/database.ts';
import type { AgentOrphansResult, OrphanEntry } from '../../../shared/protocol/index.ts';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

const ORPHANS = `SELECT e.child_id, e.parent_id, t.agent_nickname, t.agent_path, t.archived
  FROM spawn_edges AS e JOIN threads AS t ON t.id = e.child_id
  WHERE NOT EXISTS (SELECT 1 FROM threads AS p WHERE p.id = e.parent_id)`;

export function listOrphans(db: Db, limit: number | null | undefined): AgentOrphansResult {
  const n = Math.min(MAX_LIMIT, Math.max(1, limit ?? DEFAULT_LIMIT));
  const total = (db.prepare(`SELECT count(*) AS n FROM (${ORPHANS})`).get() as { n: number }).n;
  const rows = db.prepare(`${ORPHANS} ORDER BY t.created_at_ms DESC, t.id DESC LIMIT ?`).all(n) as {
    child_id: string;
    parent_id: string;
    agent_nickname: string | null;
    agent_path: string | null;
    archived: number;
  }[];
  if (rows.length === 0) return { data: [], total };
  // Subtree sizes of all listed orphans in one query (UNION over (root, id) pairs cannot loop).
  const sizes = new Map<string, number>();
  const marks = rows.map(() => '(?)').join(',');
  const sizeRows = db
    .prepare(
      `WITH RECURSIVE roots(id) AS (VALUES ${marks}),
      sub(root, id) AS (SELECT id, id FROM roots UNION SELECT sub.root, e.child_id FROM spawn_edges AS e JOIN sub ON e.parent_id = sub.id)
      SELECT root, count(*) AS n FROM sub GROUP BY root`,
    )
    .all(...rows.map((r) => r.child_id)) as { root: string; n: number }[];
  for (const s of sizeRows) sizes.set(s.root, s.n);
  const data: OrphanEntry[] = rows.map((r) => ({
    threadId: r.child_id,
    missingParentId: r.parent_id,
    agentNickname: r.agent_nickname,
    agentPath: r.agent_path,
    archived: r.archived === 1,
    subtreeSize: sizes.get(r.child_id) ?? 1,
  }));
  return { data, total };
}
