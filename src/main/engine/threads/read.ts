// thread/read from the index (the thread itself; its turns come from the turn index).
import type { Db } from '../db/database.ts';
import type { CodexHome } from '../home.ts';
import { invalidRequest } from '../../../shared/jsonrpc.ts';
import type { Thread, ThreadReadParams, ThreadReadResult } from '../../../shared/protocol/index.ts';
import { getThreadRow, rowToThread, type ThreadRow } from './thread-row.ts';
import { parseThreadId } from './thread-id.ts';
import { allTurns, type TurnsContext } from './turns.ts';

export interface ReadContext {
  db: Db;
  home: CodexHome;
}

export function requireThread(ctx: ReadContext, rawId: string): { row: ThreadRow; thread: Thread } {
  const id = parseThreadId(rawId);
  const row = getThreadRow(ctx.db, id);
  if (!row) throw invalidRequest(`thread not loaded: ${id}`);
  return { row, thread: rowToThread(row, ctx.home) };
}

export function readThread(ctx: TurnsContext, params: ThreadReadParams): ThreadReadResult {
  const { row, thread } = requireThread(ctx, params.threadId);
  // includeTurns: every turn with all its items, as codex's full replay gives them.
  if (params.includeTurns === true) thread.turns = allTurns(ctx, row.id, row);
  return { thread };
}
