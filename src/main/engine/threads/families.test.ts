// spool/thread/families answers, for each parent asked, exactly what thread/list with
// `ancestorThreadId` lists: it is one request in place of one per parent, never a second notion of
// a family. Checked parent by parent on a generated home with sub-agent trees in both collections,
// with a limit that cuts families short, and through read-repair (a deleted rollout is not served).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { generateDemoHome } from '../demo/generate.ts';
import { createRouter } from '../../rpc/router.ts';
import { ALL_SOURCE_KINDS, MAX_FAMILIES, type Thread } from '../../../shared/protocol/index.ts';
import { tmpDir } from '../../../../test/support/tmp.ts';

let engine: Engine;
let home: string;

beforeAll(async () => {
  const root = tmpDir('spool-families-');
  home = path.join(root, 'home');
  generateDemoHome({ home, threads: 300, seed: 17, treeFraction: 0.5, archivedFraction: 0.2, turnPaddingBytes: 0, maxTurns: 2 });
  engine = Engine.open({ home, dataDir: path.join(root, 'data'), parseWorkers: 0 });
  await engine.sync();
});
afterAll(() => engine.close());

const childCount = (t: Thread): number => t.extra?.spool.childCount ?? 0;

async function parents(archived: boolean): Promise<Thread[]> {
  const all = await engine.call('thread/list', {
    archived,
    limit: 1000,
    sourceKinds: [...ALL_SOURCE_KINDS],
    modelProviders: [],
    includeEmptyPreview: true,
  });
  return all.data.filter((t) => childCount(t) > 0);
}

const listed = (id: string, archived: boolean, limit: number) =>
  engine.call('thread/list', {
    ancestorThreadId: id,
    archived,
    sourceKinds: [...ALL_SOURCE_KINDS],
    modelProviders: [],
    includeEmptyPreview: true,
    sortKey: 'created_at',
    sortDirection: 'asc',
    limit,
  });

describe('spool/thread/families', () => {
  for (const archived of [false, true]) {
    it(`answers each parent's family as thread/list with ancestorThreadId lists it (${archived ? 'archived' : 'active'})`, async () => {
      const ps = await parents(archived);
      expect(ps.length).toBeGreaterThan(archived ? 3 : 20);
      const ids = ps.map((p) => p.id);
      for (const limit of [100, 2]) {
        const got = await engine.call('spool/thread/families', { parentThreadIds: ids.slice(0, MAX_FAMILIES), archived, limit });
        expect(got.data.map((f) => f.parentThreadId)).toEqual(ids.slice(0, MAX_FAMILIES));
        for (const f of got.data) {
          const one = await listed(f.parentThreadId, archived, limit);
          expect(f.data).toEqual(one.data);
          expect(f.more).toBe(one.nextCursor !== null);
        }
        // The limit cuts some families short, and says so.
        if (limit === 2) expect(got.data.some((f) => f.more && f.data.length === 2)).toBe(true);
        else expect(got.data.every((f) => f.data.length > 0)).toBe(true);
      }
    });
  }

  it('answers an empty family for a thread without sub-agents or unknown to the index', async () => {
    const plain = (await engine.call('thread/list', { limit: 200 })).data.find((t) => childCount(t) === 0)!;
    const unknown = '019a0000-0000-7000-8000-0000000000ff';
    const got = await engine.call('spool/thread/families', { parentThreadIds: [plain.id, unknown] });
    expect(got.data).toEqual([
      { parentThreadId: plain.id, data: [], more: false },
      { parentThreadId: unknown, data: [], more: false },
    ]);
  });

  it('refuses a malformed id and more parents than one request takes, with clear errors', async () => {
    const router = createRouter({ engine });
    // A malformed id: thread/list's own error for it, as codex words it.
    const bad = await router.handle({
      jsonrpc: '2.0',
      id: 1,
      method: 'spool/thread/families',
      params: { parentThreadIds: ['../../etc/passwd'] },
    });
    const asList = await router.handle({ jsonrpc: '2.0', id: 1, method: 'thread/list', params: { ancestorThreadId: '../../etc/passwd' } });
    expect(bad).toMatchObject({ error: { code: -32600, message: expect.stringContaining('invalid ancestor thread id') } });
    expect(bad).toEqual(asList);
    const many = Array.from({ length: MAX_FAMILIES + 1 }, (_, i) => `019a0000-0000-7000-8000-${String(i).padStart(12, '0')}`);
    const tooMany = await router.handle({ jsonrpc: '2.0', id: 2, method: 'spool/thread/families', params: { parentThreadIds: many } });
    expect(tooMany).toMatchObject({ error: { code: -32602 } });
    const none = await router.handle({ jsonrpc: '2.0', id: 3, method: 'spool/thread/families', params: { parentThreadIds: [] } });
    expect(none).toMatchObject({ error: { code: -32602 } });
  });

  it('never serves a sub-agent whose rollout is gone (read-repair covers families)', async () => {
    const [parent] = await parents(false);
    const before = await engine.call('spool/thread/families', { parentThreadIds: [parent!.id] });
    const victim = before.data[0]!.data[0]!;
    fs.rmSync(victim.path!);
    const after = await engine.call('spool/thread/families', { parentThreadIds: [parent!.id] });
    expect(after.data[0]!.data.map((t) => t.id)).not.toContain(victim.id);
    expect(after.data[0]!.data.length).toBe(before.data[0]!.data.length - 1);
  });
});
