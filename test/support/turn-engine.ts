// An engine over hand-written rollouts, and the calls the turn tests make to it: thread/turns/list
// followed page by page (each page checked against codex's schema), and codex's errors caught as
// values. Shared by the focused files of src/main/engine/threads/turns.*.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { Engine } from '../../src/main/engine/engine.ts';
import type { ThreadTurnsListResult } from '../../src/shared/protocol/index.ts';
import { writeHandRollouts, type HandRollout } from './codex-reference.ts';
import { schemaErrors } from './codex-schema.ts';

const CONFIG = 'model_provider = "mock"\n';
export const tmp = (p: string): string => fs.mkdtempSync(path.join(os.tmpdir(), p));

export async function openHandEngine(rollouts: HandRollout[]): Promise<{ engine: Engine; ids: string[]; home: string }> {
  const home = tmp('spool-turns-home-');
  const ids = writeHandRollouts(home, rollouts, CONFIG);
  const engine = Engine.open({ home, dataDir: tmp('spool-turns-data-'), parseWorkers: 0 });
  await engine.sync();
  return { engine, ids, home };
}

export type Call = (method: string, params: Record<string, unknown>) => Promise<unknown>;
export const caller =
  (engine: Engine): Call =>
  (method, params) =>
    engine.call(method as never, params as never) as Promise<unknown>;

export async function rpcError(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code: number; message: string };
    return { code: err.code, message: err.message };
  }
  throw new Error('expected an error');
}

/** Every page of thread/turns/list, following nextCursor; each response checked against codex's schema. */
export async function allPages(call: Call, params: Record<string, unknown>): Promise<ThreadTurnsListResult[]> {
  const pages: ThreadTurnsListResult[] = [];
  let cursor: string | null = null;
  do {
    const page = (await call('thread/turns/list', { ...params, ...(cursor ? { cursor } : {}) })) as ThreadTurnsListResult;
    expect(schemaErrors('response', 'thread/turns/list', page)).toEqual([]);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 1000);
  return pages;
}
