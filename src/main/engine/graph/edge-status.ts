// The effective open/closed status of spawn edges (migration 0020): what codex's rollouts say
// (close_agent calls) merged with what the user did in Spool (the journal), the latest fact winning.
// spawn_edges.status caches it so that every query can read an edge's status with a plain join.
import type { Db } from '../db/database.ts';
import type { AgentClose } from '../rollout/parser.ts';

const RECOMPUTE_ONE = `UPDATE spawn_edges SET status = v.status FROM spawn_edges_effective AS v
  WHERE spawn_edges.child_id = ? AND v.child_id = spawn_edges.child_id AND spawn_edges.status <> v.status`;
const RECOMPUTE_ALL = `UPDATE spawn_edges SET status = v.status FROM spawn_edges_effective AS v
  WHERE v.child_id = spawn_edges.child_id AND spawn_edges.status <> v.status`;

const recomputeOne = new WeakMap<Db, ReturnType<Db['prepare']>>();

/** Recomputes the status of these children's edges. Returns the ones whose status changed. Call in a transaction. */
export function recomputeEdgeStatus(db: Db, childIds: Iterable<string>): string[] {
  let stmt = recomputeOne.get(db);
  if (!stmt) {
    stmt = db.prepare(RECOMPUTE_ONE);
    recomputeOne.set(db, stmt);
  }
  const changed: string[] = [];
  for (const id of childIds) if (stmt.run(id).changes > 0) changed.push(id);
  return changed;
}

/** Recomputes every edge (after the journal is reloaded). Call in a transaction. */
export function recomputeAllEdgeStatus(db: Db): number {
  return db.prepare(RECOMPUTE_ALL).run().changes;
}

/**
 * Stores the close_agent calls parsed from `closerId`'s rollout (all of them when the file was
 * parsed from its first byte, else the appended ones) and recomputes the edges they touch.
 * Returns the children whose edge status changed. Call in a transaction.
 */
export function recordAgentCloses(db: Db, closerId: string, closes: readonly AgentClose[], fromScratch: boolean): string[] {
  const touched = new Set<string>();
  if (fromScratch) {
    const old = db.prepare('SELECT child_id FROM agent_closes WHERE closer_id = ?').all(closerId) as { child_id: string }[];
    for (const o of old) touched.add(o.child_id);
    if (old.length > 0) db.prepare('DELETE FROM agent_closes WHERE closer_id = ?').run(closerId);
  }
  if (closes.length > 0) {
    const put = db.prepare(`INSERT INTO agent_closes (child_id, closer_id, at_ms) VALUES (?, ?, ?)
      ON CONFLICT(child_id, closer_id) DO UPDATE SET at_ms = MAX(agent_closes.at_ms, excluded.at_ms)`);
    for (const c of closes) {
      put.run(c.childId, closerId, c.atMs);
      touched.add(c.childId);
    }
  }
  return touched.size > 0 ? recomputeEdgeStatus(db, touched) : [];
}
