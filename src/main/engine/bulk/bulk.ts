// spool/threads/bulk: archive or unarchive many threads — a list of ids, or every thread a
// thread/list query lists (enumerated here, so a client never loads them all) — one by one through
// thread/archive and thread/unarchive, with progress notifications and an outcome per thread.
import crypto from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { EngineEvents } from '../events.ts';
import { locateThread } from '../threads/thread-row.ts';
import { ErrorCode, RpcError } from '../../../shared/jsonrpc.ts';
import type {
  BulkParams,
  BulkResult,
  ParamsOf,
  ResultOf,
  ThreadListParams,
  ThreadListResult,
  ThreadOutcome,
} from '../../../shared/protocol/index.ts';

/** Calls one engine method (the engine's own dispatcher: the same code path as a client's request). */
export type CallMethod = <M extends 'thread/list' | 'thread/archive' | 'thread/unarchive'>(
  method: M,
  params: ParamsOf<M>,
) => Promise<ResultOf<M>>;

export interface BulkContext {
  db: Db;
  events: EngineEvents;
  call: CallMethod;
}

const PROGRESS_EVERY_MS = 100;

/** Every id a thread/list query lists, page by page (ids only: nothing else is kept). */
async function idsOf(call: CallMethod, filter: Omit<ThreadListParams, 'cursor' | 'limit'>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: ThreadListResult = await call('thread/list', { ...filter, limit: 100, ...(cursor ? { cursor } : {}) });
    for (const t of page.data) ids.push(t.id);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

export async function runBulk(ctx: BulkContext, p: BulkParams): Promise<BulkResult> {
  const operationId = p.operationId ?? crypto.randomUUID();
  const all = p.threadIds ?? (p.filter ? await idsOf(ctx.call, p.filter) : []);
  const excluded = new Set((p.excludeIds ?? []).map((id) => id.toLowerCase()));
  const ids = [...new Set(all.map((id) => id.toLowerCase()))].filter((id) => !excluded.has(id));
  const want = p.action === 'archive' ? 1 : 0;
  const outcomes: ThreadOutcome[] = [];
  let lastProgress = 0;
  const progress = (force: boolean): void => {
    const now = Date.now();
    if (!force && now - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = now;
    ctx.events.emit('spool/operation/progress', { operationId, done: outcomes.length, total: ids.length });
  };
  progress(true);
  for (const threadId of ids) {
    // Archiving a parent archives its sub-agents (and unarchiving brings them back): a thread a
    // cascade already moved is done, not an error.
    if (locateThread(ctx.db, threadId)?.archived === want) {
      outcomes.push({ threadId, ok: true });
      progress(false);
      continue;
    }
    try {
      if (p.action === 'archive') await ctx.call('thread/archive', { threadId });
      else await ctx.call('thread/unarchive', { threadId });
      outcomes.push({ threadId, ok: true });
    } catch (err) {
      // A missing method fails every item alike: say so once instead of n times.
      if (err instanceof RpcError && err.code === ErrorCode.MethodNotFound) throw err;
      outcomes.push({ threadId, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
    progress(false);
  }
  progress(true);
  return { operationId, outcomes };
}
