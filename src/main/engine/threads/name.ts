// thread/name/set as codex 0.169 does it (docs/FORMAT.md §6.2): the trimmed name is appended to
// session_index.jsonl as one whole line (the last entry for an id wins); nothing is written to the
// rollout. The index then reads that line back with the same code that follows codex's own appends,
// so a name set here and a name set by codex take the same path.
import fs from 'node:fs';
import type { EngineContext } from '../context.ts';
import { appendLines } from '../fsx/atomic.ts';
import { invalidRequest } from '../../../shared/jsonrpc.ts';
import { formatRfc3339Trimmed, type AnyNotification, type EmptyResult, type ThreadSetNameParams } from '../../../shared/protocol/index.ts';
import { notifyAfterResponse } from './notify.ts';
import { SESSION_INDEX } from '../home.ts';
import { writableOrRefuse } from './writable.ts';
import { parseThreadId } from './thread-id.ts';
import { locateThread, threadNameOf } from './thread-row.ts';

/** Codex's session_index.jsonl entry. */
export const sessionIndexLine = (id: string, name: string, atMs: number): string =>
  JSON.stringify({ id, thread_name: name, updated_at: formatRfc3339Trimmed(atMs) });

export async function setThreadName(ctx: EngineContext, params: ThreadSetNameParams): Promise<EmptyResult> {
  const id = parseThreadId(params.threadId);
  const name = params.name.trim();
  if (name === '') throw invalidRequest('thread name must not be empty');
  const names = await ctx.indexer.exclusive(() => {
    const row = locateThread(ctx.db, id);
    // Codex names active threads only.
    if (!row || row.archived === 1 || !fs.existsSync(ctx.home.abs(row.rel_path)))
      throw invalidRequest(`no rollout found for thread id ${id}`);
    appendLines(writableOrRefuse(ctx, SESSION_INDEX), [sessionIndexLine(id, name, Date.now())]);
    // Reads our line, and any codex appended meanwhile, exactly as the watcher would have.
    return ctx.indexer.applyNames();
  });
  const others = [...names.changed, ...names.fromPeers].filter((c) => c !== id);
  const nameOf = (tid: string): string | null => threadNameOf(ctx.db, tid) ?? null;
  const notes: AnyNotification[] = [
    { method: 'thread/name/updated', params: { threadId: id, threadName: name } },
    ...others.map((tid): AnyNotification => ({ method: 'thread/name/updated', params: { threadId: tid, threadName: nameOf(tid) } })),
    { method: 'spool/index/changed', params: { threadIds: [id, ...others], removedIds: [], reason: 'name' } },
  ];
  notifyAfterResponse(ctx.events, notes);
  return {};
}
