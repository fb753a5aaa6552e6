// spool/agent/orphans: sub-agents whose parent (as their rollout names it) is not in the index —
// deleted, never synced, or on another machine. They stay indexed and listed like any thread; here
// they are gathered so a client can show them as the roots of their own trees.
import type { Db } from '../db/database.ts';
import type { AgentOrphansResult, OrphanEntry } from '../../../shared/protocol/index.ts';
import { orphanCount, orphanRows, subtreeSizes } from './graph-sql.ts';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

export function listOrphans(db: Db, limit: number | null | undefined): AgentOrphansResult {
  const n = Math.min(MAX_LIMIT, Math.max(1, limit ?? DEFAULT_LIMIT));
  const total = orphanCount(db);
  const rows = orphanRows(db, n);
  if (rows.length === 0) return { data: [], total };
  const sizes = subtreeSizes(
    db,
    rows.map((r) => r.child_id),
  );
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
