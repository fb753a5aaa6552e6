// The index's side of thread/archive and thread/unarchive: the spawn subtree a move cascades over,
// the updated_at keys other threads hold, and the rows a batch of moves rewrites (files and
// threads), so that the watcher, when the file events reach it, finds the index already matching.
import type { Db } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';

/** Descendants over spawn edges (open and closed), in codex's BFS order: depth, then id. */
export function spawnDescendants(db: Db, rootId: string): string[] {
  const rows = prepared(
    db,
    `WITH RECURSIVE subtree(id, depth) AS (
         SELECT child_id, 1 FROM spawn_edges WHERE parent_id = ?
         UNION SELECT s.child_id, subtree.depth + 1 FROM spawn_edges AS s JOIN subtree ON s.parent_id = subtree.id WHERE subtree.depth < 10000)
       SELECT id, min(depth) AS depth FROM subtree WHERE id <> ? GROUP BY id ORDER BY depth, id`,
  ).all(rootId, rootId) as { id: string }[];
  return rows.map((r) => r.id);
}

/** A millisecond no other thread has as its updated_at (Spool keeps the key unique, as codex does). */
export function freeUpdatedMs(db: Db, candidate: number, id: string): number {
  const taken = prepared(db, 'SELECT 1 FROM threads WHERE archived IN (0, 1) AND updated_at_ms = ? AND id <> ? LIMIT 1');
  let ms = candidate;
  while (taken.get(ms, id)) ms += 1;
  return ms;
}

/** A rollout moved on disk: the thread, both paths, and the file's stat after the move. */
export interface MovedRollout {
  id: string;
  fromRel: string;
  toRel: string;
  size: number;
  mtimeMs: number;
}

/** Records moves in the index (files and threads rows), with each file's new stat, in one write transaction. */
export function writeMoves(db: Db, moved: readonly MovedRollout[], direction: 'archive' | 'unarchive'): void {
  const file = prepared(db, 'UPDATE files SET rel_path = ?, archived = ?, size = ?, mtime_ms = ? WHERE rel_path = ?');
  // archived_at in seconds, as codex records it; the content and mtime are the rollout's (a copy
  // onto another disk keeps the mtime), so updated_at stays.
  const archived = prepared(db, 'UPDATE threads SET rel_path = ?, archived = 1, archived_at = ? WHERE id = ?');
  // recency_at stays: codex moves it for activity in the thread, not for a move.
  const unarchived = prepared(db, 'UPDATE threads SET rel_path = ?, archived = 0, archived_at = NULL, updated_at_ms = ? WHERE id = ?');
  db.transaction(() => {
    for (const m of moved) {
      file.run(m.toRel, direction === 'archive' ? 1 : 0, m.size, m.mtimeMs, m.fromRel);
      if (direction === 'archive') archived.run(m.toRel, Math.floor(Date.now() / 1000), m.id);
      else unarchived.run(m.toRel, freeUpdatedMs(db, m.mtimeMs, m.id), m.id);
    }
  }).immediate();
}
