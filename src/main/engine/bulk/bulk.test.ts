// spool/threads/bulk on a home written by the real codex CLI: ids or a whole filter, through
// thread/archive and thread/unarchive (codex's cascades included), progress notifications, an
// outcome per thread, and the inverse run restoring the home.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { ALL_SOURCE_KINDS, type AnyNotification, type Thread, type ThreadListParams } from '../../../shared/protocol/index.ts';
import { copyHome, realHome, STANDARD_HOME } from '../../../../test/support/real-home.ts';
import { listAll as listEveryPage } from '../../../../test/support/list-all.ts';

let home: string;
let engine: Engine;
const notes: AnyNotification[] = [];
const everything: ThreadListParams = { modelProviders: [], sourceKinds: [...ALL_SOURCE_KINDS], includeEmptyPreview: true };

beforeAll(async () => {
  home = copyHome(realHome(...STANDARD_HOME).home);
  engine = Engine.open({ home, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'spool-bulk-')), parseWorkers: 2 });
  await engine.sync();
  engine.events.on((n) => notes.push(n));
});
afterAll(async () => {
  await engine.close();
});

const listAll = (params: ThreadListParams): Promise<Thread[]> => listEveryPage(engine, params);

const archivedFiles = (): string[] =>
  fs.existsSync(path.join(home, 'archived_sessions')) ? fs.readdirSync(path.join(home, 'archived_sessions')) : [];
const isArchivedOnDisk = (id: string): boolean => archivedFiles().some((f) => f.endsWith(`${id}.jsonl`));

describe('spool/threads/bulk', () => {
  it('archives threads by id with their sub-agents, reports progress and an outcome each, and the inverse run undoes it', async () => {
    const active = await listAll({ ...everything, archived: false });
    const parent = active.find((t) => (t.extra?.spool.childCount ?? 0) > 0)!;
    const lone = active.find((t) => t.id !== parent.id && (t.extra?.spool.childCount ?? 0) === 0 && !t.extra?.spool.spawnParentId)!;
    const children = active.filter((t) => t.extra?.spool.spawnParentId === parent.id).map((t) => t.id);
    expect(children.length).toBeGreaterThan(0);
    const missing = '01a1fcce-0000-7000-8000-000000000000';
    notes.length = 0;

    const r = await engine.call('spool/threads/bulk', { action: 'archive', threadIds: [parent.id, lone.id, missing], operationId: 'op-1' });
    expect(r.operationId).toBe('op-1');
    expect(r.outcomes.map((o) => [o.threadId, o.ok])).toEqual([
      [parent.id, true],
      [lone.id, true],
      [missing, false],
    ]);
    expect(r.outcomes[2]!.error).toMatch(/no rollout found/);
    for (const id of [parent.id, lone.id, ...children]) expect(isArchivedOnDisk(id), id).toBe(true);
    const progress = notes
      .filter((n) => n.method === 'spool/operation/progress' && n.params.operationId === 'op-1')
      .map((n) => n.params as { done: number; total: number });
    expect(progress[0]).toEqual({ operationId: 'op-1', done: 0, total: 3 });
    expect(progress[progress.length - 1]).toEqual({ operationId: 'op-1', done: 3, total: 3 });

    const undo = await engine.call('spool/threads/bulk', {
      action: 'unarchive',
      threadIds: r.outcomes.filter((o) => o.ok).map((o) => o.threadId),
    });
    expect(undo.outcomes.every((o) => o.ok)).toBe(true);
    for (const id of [parent.id, lone.id, ...children]) expect(isArchivedOnDisk(id), id).toBe(false);
    expect((await listAll({ ...everything, archived: false })).map((t) => t.id).sort()).toEqual(active.map((t) => t.id).sort());
  });

  it('archives every thread a thread/list filter lists, minus exclusions, without the caller listing them', async () => {
    const active = await listAll({ ...everything, archived: false });
    const cwd = active.find((t) => t.cwd.includes('repo-alpha'))!.cwd;
    const filter: ThreadListParams = {
      ...everything,
      archived: false,
      cwd: [cwd],
      sourceKinds: ['cli', 'vscode', 'exec', 'appServer', 'unknown'],
    };
    const matching = await listAll(filter);
    expect(matching.length).toBeGreaterThan(1);
    const keep = matching[0]!.id;
    const r = await engine.call('spool/threads/bulk', { action: 'archive', filter, excludeIds: [keep] });
    expect(r.outcomes.map((o) => o.threadId).sort()).toEqual(
      matching
        .slice(1)
        .map((t) => t.id)
        .sort(),
    );
    expect(r.outcomes.every((o) => o.ok)).toBe(true);
    expect((await listAll(filter)).map((t) => t.id)).toEqual([keep]);
    const back = await engine.call('spool/threads/bulk', { action: 'unarchive', threadIds: r.outcomes.map((o) => o.threadId) });
    expect(back.outcomes.every((o) => o.ok)).toBe(true);
    expect((await listAll(filter)).map((t) => t.id).sort()).toEqual(matching.map((t) => t.id).sort());
  });

  it('rejects a request naming both ids and a filter, or neither', async () => {
    const { validateParams } = await import('../../rpc/router.ts');
    expect(() => validateParams('spool/threads/bulk', { action: 'archive' })).toThrow(/either threadIds or filter/);
    expect(() => validateParams('spool/threads/bulk', { action: 'archive', threadIds: ['x'], filter: {} })).toThrow(
      /either threadIds or filter/,
    );
  });
});
