// thread/archive and thread/unarchive (docs/FORMAT.md §5.4): a rollout moves into the flat
// archived_sessions/ folder, or back to sessions/YYYY/MM/DD/ by the date in its file name, and the
// move cascades over the thread's spawn descendants in codex's order:
//   archive:   the root, then descendants deepest first (reverse BFS)   → P, G, C
//   unarchive: the root, then descendants in BFS order                  → P, C, G
// BFS order is codex's: by depth, then by id. Every move is atomic (move-file.ts); the whole
// cascade runs with the indexer quiet and updates the index directly, so the watcher, when the
// file events reach it, finds the index already matching the disk.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir } from '../fsx/atomic.ts';
import { activeRelPathFor, archivedRelPathFor, PathEscapeError } from '../home.ts';
import type { EngineContext } from '../context.ts';
import { ErrorCode, RpcError, invalidRequest } from '../../../shared/jsonrpc.ts';
import type { AnyNotification, ThreadOutcome, ThreadUnarchiveResult } from '../../../shared/protocol/index.ts';
import { moveFileSafely } from './move-file.ts';
import { notifyAfterResponse } from './notify.ts';
import { parseThreadId } from './thread-id.ts';
import { getThreadRow, locateThread, rowToThread, type ThreadLocation } from './thread-row.ts';
import { freeUpdatedMs, spawnDescendants, writeMoves, type MovedRollout } from './archive-sql.ts';

export type ArchiveDirection = 'archive' | 'unarchive';

function destinationOf(direction: ArchiveDirection, relPath: string): string {
  const name = path.posix.basename(relPath);
  if (direction === 'archive') return archivedRelPathFor(name);
  const active = activeRelPathFor(name);
  if (!active) throw new Error(`cannot tell which day folder ${name} belongs in: its name is not rollout-YYYY-MM-DDThh-mm-ss-<id>.jsonl`);
  return active;
}

let lastTouchMs = 0;

/** Now, or the next millisecond after the last touch that no other thread has as its updated_at. */
function freeTouchMs(ctx: EngineContext, id: string): number {
  lastTouchMs = freeUpdatedMs(ctx.db, Math.max(Date.now(), lastTouchMs + 1), id);
  return lastTouchMs;
}

/** A move made on disk, waiting to be recorded in the index. */
interface Moved extends MovedRollout {
  /** The rollout's times before the move (an unarchive touches it), to put back on an undo. */
  before: { atime: Date; mtime: Date };
}

/**
 * Moves one thread's rollout. Codex touches a rollout it brings back from the archive (its
 * updated_at becomes now); archiving keeps the mtime.
 */
function moveOne(ctx: EngineContext, t: ThreadLocation, direction: ArchiveDirection, dirsToSync: Set<string>): Moved {
  const toRel = destinationOf(direction, t.rel_path);
  // Both ends on disk inside the home: a linked rollout or folder is refused, never followed.
  const src = ctx.home.writable(t.rel_path);
  const dest = ctx.home.writable(toRel);
  const st0 = fs.statSync(src);
  moveFileSafely(src, dest, ctx.dataDir, { dirsToSync });
  if (direction === 'unarchive') {
    // A millisecond of its own: a cascade touches many files within one millisecond, and the index
    // would then have to move all but one of them (in whatever order it met them), so a rebuild
    // of the index would order them differently. The half millisecond survives the float seconds
    // utimes takes.
    const ms = freeTouchMs(ctx, t.id);
    try {
      fs.utimesSync(dest, (ms + 0.5) / 1000, (ms + 0.5) / 1000);
    } catch {
      // The move is what matters; a file we may not touch keeps its old updated_at.
    }
  }
  const st = fs.statSync(dest);
  return {
    id: t.id,
    fromRel: t.rel_path,
    toRel,
    size: st.size,
    mtimeMs: Math.trunc(st.mtimeMs),
    before: { atime: st0.atime, mtime: st0.mtime },
  };
}

/**
 * Puts a batch's rollouts back where they were, when the index could not record their moves (a
 * full disk fails SQLite's write): the operation then fails as a whole instead of leaving files
 * moved behind an error. Returns what could not be moved back (the index catches up with those).
 */
function undoMoves(ctx: EngineContext, moved: Moved[]): string[] {
  const stuck: string[] = [];
  const dirs = new Set<string>();
  for (const m of [...moved].reverse()) {
    try {
      const from = ctx.home.abs(m.fromRel);
      moveFileSafely(ctx.home.abs(m.toRel), from, ctx.dataDir, { dirsToSync: dirs });
      fs.utimesSync(from, m.before.atime, m.before.mtime);
    } catch {
      stuck.push(m.id);
    }
  }
  for (const d of dirs) fsyncDir(d);
  return stuck;
}

/** Records moves in the index, with each file's new stat, and tells the indexer, so the watcher finds nothing to redo. */
function recordMoves(ctx: EngineContext, moved: Moved[], direction: ArchiveDirection): void {
  writeMoves(ctx.db, moved, direction);
  for (const m of moved) ctx.indexer.noteOwnWrite(m.fromRel, m.toRel, m);
}

/** Moves per batch: one index transaction and one fsync per directory each, then a yield. */
const BATCH = 64;

export interface CascadeOutcome {
  rootId: string;
  /** Every thread the cascade tried, in the order it moved them. */
  outcomes: ThreadOutcome[];
}

/**
 * Archives or unarchives `rawId` and its spawn descendants. The root must be in the opposite state
 * (codex's errors otherwise); a descendant that fails is reported in its outcome and the cascade
 * goes on, as codex only logs those. Runs with the indexer quiet, in batches that yield to the
 * engine's other requests (a thousand-thread tree must not hold up a list page), reporting
 * progress on big trees.
 */
export function cascade(ctx: EngineContext, rawId: string, direction: ArchiveDirection): Promise<CascadeOutcome> {
  const rootId = parseThreadId(rawId, 'invalid session id');
  const wantArchived = direction === 'archive' ? 0 : 1;
  const missing = (): RpcError =>
    invalidRequest(
      direction === 'archive' ? `no rollout found for thread id ${rootId}` : `no archived rollout found for thread id ${rootId}`,
    );
  return ctx.indexer.exclusive(async () => {
    const root = locateThread(ctx.db, rootId);
    if (!root || root.archived !== wantArchived || !fs.existsSync(ctx.home.abs(root.rel_path))) throw missing();
    const descendants = spawnDescendants(ctx.db, rootId);
    const order = [rootId, ...(direction === 'archive' ? [...descendants].reverse() : descendants)];
    const outcomes: ThreadOutcome[] = [];
    const operationId = crypto.randomUUID();
    for (let start = 0; start < order.length; start += BATCH) {
      const moved: Moved[] = [];
      const dirs = new Set<string>();
      try {
        for (const id of order.slice(start, start + BATCH)) {
          const t = id === rootId ? root : locateThread(ctx.db, id);
          if (!t || t.archived !== wantArchived) continue; // already there, or not indexed
          try {
            moved.push(moveOne(ctx, t, direction, dirs));
            outcomes.push({ threadId: id, ok: true });
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            if (id === rootId)
              throw err instanceof PathEscapeError
                ? invalidRequest(`failed to ${direction} session: ${message}`)
                : new RpcError(ErrorCode.Internal, `failed to ${direction} session: ${message}`);
            outcomes.push({ threadId: id, ok: false, error: message });
          }
        }
      } finally {
        for (const d of dirs) fsyncDir(d);
        if (moved.length > 0) {
          try {
            recordMoves(ctx, moved, direction);
          } catch (err) {
            const stuck = undoMoves(ctx, moved);
            const message = err instanceof Error ? err.message : String(err);
            // eslint-disable-next-line no-unsafe-finally -- this failure replaces any other: the batch was undone
            throw new RpcError(
              ErrorCode.Internal,
              `failed to ${direction} session: the index could not record the move (${message}); ` +
                (stuck.length === 0 ? 'the rollouts were put back' : `${stuck.length} rollout(s) could not be put back and stay moved`),
            );
          }
        }
      }
      if (order.length > BATCH) {
        ctx.events.emit('spool/operation/progress', { operationId, done: Math.min(order.length, start + BATCH), total: order.length });
        await new Promise((r) => setImmediate(r));
      }
    }
    return { rootId, outcomes };
  });
}

/** One thread/archived (or thread/unarchived) per moved thread, then Spool's index-changed. */
export function cascadeNotifications(c: CascadeOutcome, direction: ArchiveDirection): AnyNotification[] {
  const moved = c.outcomes.filter((o) => o.ok).map((o) => o.threadId);
  const method = direction === 'archive' ? 'thread/archived' : 'thread/unarchived';
  return [
    ...moved.map((threadId): AnyNotification => ({ method, params: { threadId } })),
    ...(moved.length > 0
      ? [{ method: 'spool/index/changed', params: { threadIds: moved, removedIds: [], reason: 'archive' } } satisfies AnyNotification]
      : []),
  ];
}

export async function archiveThread(ctx: EngineContext, rawId: string): Promise<Record<string, never>> {
  const c = await cascade(ctx, rawId, 'archive');
  notifyAfterResponse(ctx.events, cascadeNotifications(c, 'archive'));
  return {};
}

export async function unarchiveThread(ctx: EngineContext, rawId: string): Promise<ThreadUnarchiveResult> {
  const c = await cascade(ctx, rawId, 'unarchive');
  notifyAfterResponse(ctx.events, cascadeNotifications(c, 'unarchive'));
  const row = getThreadRow(ctx.db, c.rootId);
  if (!row) throw new RpcError(ErrorCode.Internal, `thread ${c.rootId} vanished from the index after it was unarchived`);
  return { thread: rowToThread(row, ctx.home) };
}
