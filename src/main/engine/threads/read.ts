// thread/read from the index.
import type { Db } from '../db/database.ts';
import type { CodexHome } from '../home.ts';
import { invalidRequest } from '../../../shared/jsonrpc.ts';
import type { Thread, ThreadReadParams, ThreadReadResult } from '../../../shared/protocol/index.ts';
import { rowToThread, THREAD_COLUMNS, THREAD_FROM, type ThreadRow } from './thread-row.ts';
import { threadIdParam } from './thread-id.ts';
import { allTurns, type TurnsContext } from './turns.ts';

export interface ReadContext {
  db: Db;
  home: CodexHome;
}

/** A thread id parsed as codex parses it (any UUID form), with codex's error message otherwise. */
export function assertThreadId(id: string): string {
  return threadIdParam(id);
}

export function getThreadRow(db: Db, id: string): ThreadRow | undefined {
  return db.prepare(`SELECT ${THREAD_COLUMNS} FROM ${THREAD_FROM} WHERE t.id = ?`).get(id) as ThreadRow | undefined;
}

export function requireThread(ctx: ReadContext, rawId: string): { row: ThreadRow; thread: Thread } {
  const id = assertThreadId(rawId);
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
