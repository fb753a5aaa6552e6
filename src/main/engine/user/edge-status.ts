// The effective open/closed status of spawn edges (migration 0020): what codex's rollouts say
// (close_agent calls) merged with what the user did in Spool (the journal), the latest fact winning.
// spawn_edges.status caches it so that every query can read an edge's status with a plain join.
// It lives beside the overlay, which is the journal's way into the index: the indexer records
// codex's closes here and the overlay the user's edits, and both recompute the edges they touch.
import type { Db } from '../db/database.ts';
import type { AgentClose } from '../rollout/parse-types.ts';

const RECOMPUTE_ONE = `UPDATE spawn_edges SET status = v.status FROM spawn_edges_effective AS v
  WHERE spawn_edges.child_id = ? AND v.child_id = spawn_edges.child_id AND spawn_edges.status <> v.status`;
const RECOMPUTE_ALL = `UPDATE spawn_edges SET status = v.status FROM spawn_edges_effective AS v
  WHERE v.child_id = spawn_edges.child_id AND spawn_edges.status <> v.status`;

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
  return {
    recomputeOne: db.prepare(RECOMPUTE_ONE),
    closesBy: db.prepare('SELECT child_id FROM agent_closes WHERE closer_id = ?').pluck(),
    deleteClosesBy: db.prepare('DELETE FROM agent_closes WHERE closer_id = ?'),
    putClose: db.prepare(`INSERT INTO agent_closes (child_id, closer_id, at_ms) VALUES (?, ?, ?)
      ON CONFLICT(child_id, closer_id) DO UPDATE SET at_ms = MAX(agent_closes.at_ms, excluded.at_ms)`),
  };
}

/** Statements prepared once per connection: these run for every thread the indexer writes. */
function stmts(db: Db): ReturnType<typeof prepare> {
  let s = statements.get(db);
  if (!s) {
    s = prepare(db);
    statements.set(db, s);
  }
  return s;
}

/** Recomputes the status of these children's edges. Returns the ones whose status changed. Call in a transaction. */
export function recomputeEdgeStatus(db: Db, childIds: Iterable<string>): string[] {
  const stmt = stmts(db).recomputeOne;
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
  const s = stmts(db);
  if (fromScratch) {
    const old = s.closesBy.all(closerId) as string[];
    for (const o of old) touched.add(o);
    if (old.length > 0) s.deleteClosesBy.run(closerId);
  }
  for (const c of closes) {
    s.putClose.run(c.childId, closerId, c.atMs);
    touched.add(c.childId);
  }
  return touched.size > 0 ? recomputeEdgeStatus(db, touched) : [];
}
