// The overlay's tables (migration 0020's user_edge_status, user_git): what the journal says, kept
// in the index so that queries can join it, and the statements that lay the git edits over the
// threads rows the indexer writes from rollouts. Edges are laid over by edge-status.ts.
import type { Db } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import type { EdgeRecord, GitRecord } from './records.ts';

/** Empties the overlay tables (before the journal is loaded into them again). */
export function clearOverlay(db: Db): void {
  db.prepare('DELETE FROM user_edge_status').run();
  db.prepare('DELETE FROM user_git').run();
}

export function putEdgeStatus(db: Db, r: EdgeRecord): void {
  prepared(
    db,
    'INSERT INTO user_edge_status (child_id, status, at) VALUES (?, ?, ?) ON CONFLICT(child_id) DO UPDATE SET status = excluded.status, at = excluded.at',
  ).run(r.childId, r.status, r.at);
}

/** A row of user_git: each field with a flag saying whether the user set it (a null value may be a set one). */
interface UserGitRow {
  sha: string | null;
  sha_set: number;
  branch: string | null;
  branch_set: number;
  origin_url: string | null;
  origin_url_set: number;
  at: string;
}

/** A thread's git edits so far, merged into one record; undefined when the user made none. */
export function gitRecordOf(db: Db, threadId: string): GitRecord | undefined {
  const row = prepared(db, 'SELECT * FROM user_git WHERE thread_id = ?').get(threadId) as UserGitRow | undefined;
  if (!row) return undefined;
  return {
    v: 1,
    type: 'git',
    threadId,
    at: row.at,
    ...(row.sha_set ? { sha: row.sha } : {}),
    ...(row.branch_set ? { branch: row.branch } : {}),
    ...(row.origin_url_set ? { originUrl: row.origin_url } : {}),
  };
}

/** Stores a thread's merged git edits (replacing what was stored). */
export function putGit(db: Db, m: GitRecord): void {
  prepared(
    db,
    `INSERT INTO user_git (thread_id, sha, sha_set, branch, branch_set, origin_url, origin_url_set, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(thread_id) DO UPDATE SET sha = excluded.sha, sha_set = excluded.sha_set, branch = excluded.branch, branch_set = excluded.branch_set,
          origin_url = excluded.origin_url, origin_url_set = excluded.origin_url_set, at = excluded.at`,
  ).run(
    m.threadId,
    m.sha ?? null,
    m.sha !== undefined ? 1 : 0,
    m.branch ?? null,
    m.branch !== undefined ? 1 : 0,
    m.originUrl ?? null,
    m.originUrl !== undefined ? 1 : 0,
    m.at,
  );
}

const SET_GIT = `UPDATE threads SET
        git_sha = CASE WHEN u.sha_set THEN u.sha ELSE threads.git_sha END,
        git_branch = CASE WHEN u.branch_set THEN u.branch ELSE threads.git_branch END,
        git_origin_url = CASE WHEN u.origin_url_set THEN u.origin_url ELSE threads.git_origin_url END`;

/** Lays the git edits over these threads' rows. */
export function applyGitTo(db: Db, ids: readonly string[]): void {
  if (ids.length === 0) return;
  const git = prepared(
    db,
    `${SET_GIT}
      FROM (SELECT * FROM user_git WHERE thread_id = ?) AS u WHERE threads.id = u.thread_id`,
  );
  for (const id of ids) git.run(id);
}

/** Lays the git edits over every thread's row. */
export function applyGitToAll(db: Db): void {
  db.prepare(
    `${SET_GIT}
      FROM user_git AS u WHERE threads.id = u.thread_id`,
  ).run();
}
