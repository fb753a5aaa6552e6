// Agent paths: absolute within a tree, relative to a thread, v1 nicknames, and the ambiguous cases
// codex reports as "multiple agents found for canonical path".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { agentId, writeAgentRollouts } from '../../../../test/support/agent-rollouts.ts';

const T0 = Date.parse('2026-05-01T09:00:00Z');
const at = (s: number): number => T0 + s * 1000;
const id = agentId;

// Tree 1: /root ─ worker ─ reviewer
//                ├ sibling
//                ├ dup, dup (two children with the same path: damaged or racing spawns)
//                └ (v1) Ada ─ (v1) Bob
// Tree 2 (another root) also has /root/worker.
let engine: Engine;
beforeAll(async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-paths-'));
  writeAgentRollouts(path.join(root, 'home'), [
    { id: id(1), createdMs: at(0) },
    { id: id(2), parent: id(1), path: '/root/worker', nickname: 'Wren', role: 'worker', createdMs: at(1) },
    { id: id(3), parent: id(2), path: '/root/worker/reviewer', nickname: 'Rhea', role: 'reviewer', createdMs: at(2) },
    { id: id(4), parent: id(1), path: '/root/sibling', nickname: 'Sol', createdMs: at(3) },
    { id: id(5), parent: id(1), path: '/root/dup', nickname: 'Dee', createdMs: at(4) },
    { id: id(6), parent: id(1), path: '/root/dup', nickname: 'Dum', createdMs: at(5) },
    { id: id(7), parent: id(1), nickname: 'Ada', createdMs: at(6) },
    { id: id(8), parent: id(7), nickname: 'Bob', createdMs: at(7) },
    { id: id(20), createdMs: at(20) },
    { id: id(21), parent: id(20), path: '/root/worker', nickname: 'Other', createdMs: at(21) },
  ]);
  engine = Engine.open({ home: path.join(root, 'home'), dataDir: path.join(root, 'data'), parseWorkers: 0 });
  await engine.sync();
});
afterAll(() => engine.close());

const resolve = (p: string, threadId?: string) => engine.call('spool/agent/resolve', { path: p, ...(threadId ? { threadId } : {}) });

describe('spool/agent/resolve', () => {
  it('resolves absolute paths within the thread’s tree', async () => {
    expect(await resolve('/root/worker/reviewer', id(4))).toEqual({ threadId: id(3), agentPath: '/root/worker/reviewer', rootId: id(1) });
    expect(await resolve('/root/worker', id(21))).toEqual({ threadId: id(21), agentPath: '/root/worker', rootId: id(20) });
    expect(await resolve('/root', id(3))).toEqual({ threadId: id(1), agentPath: '/root', rootId: id(1) });
    expect((await resolve('/root/worker/', id(1))).threadId).toBe(id(2));
  });

  it('resolves paths relative to a thread', async () => {
    expect((await resolve('reviewer', id(2))).threadId).toBe(id(3));
    expect((await resolve('worker/reviewer', id(1))).threadId).toBe(id(3));
    expect((await resolve('../sibling', id(2))).threadId).toBe(id(4));
    expect((await resolve('../../sibling', id(3))).threadId).toBe(id(4));
    expect((await resolve('./reviewer/..', id(2))).threadId).toBe(id(2));
    expect((await resolve('.', id(3))).threadId).toBe(id(3));
  });

  it('walks through v1 agents by nickname, which have no canonical path', async () => {
    expect(await resolve('ada/bob', id(1))).toEqual({ threadId: id(8), agentPath: null, rootId: id(1) });
    expect((await resolve('..', id(8))).threadId).toBe(id(7));
    expect((await resolve('../../sibling', id(8))).threadId).toBe(id(4));
    expect((await resolve('/root/ada/bob', id(4))).threadId).toBe(id(8));
  });

  it('reports an ambiguous path as codex does, with the candidates', async () => {
    const err = await resolve('/root/dup', id(1)).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: -32600,
      message: 'multiple agents found for canonical path /root/dup',
      data: { threadIds: [id(5), id(6)] },
    });
    await expect(resolve('../dup', id(4))).rejects.toMatchObject({ message: 'multiple agents found for canonical path /root/dup' });
    // Without a tree, a path two trees share is ambiguous too; one only one tree has is not.
    await expect(resolve('/root/worker')).rejects.toMatchObject({ message: 'multiple agents found for canonical path /root/worker' });
    expect((await resolve('/root/worker/reviewer')).threadId).toBe(id(3));
  });

  it('says what is wrong with a path', async () => {
    await expect(resolve('nobody', id(1))).rejects.toMatchObject({ code: -32600, message: 'no agent found for path /root/nobody' });
    await expect(resolve('..', id(1))).rejects.toMatchObject({ message: 'agent path .. goes above /root' });
    await expect(resolve('a//b', id(1))).rejects.toMatchObject({ message: 'invalid agent path: a//b (empty segment)' });
    await expect(resolve('/tmp/x', id(1))).rejects.toMatchObject({ message: 'invalid agent path: /tmp/x (absolute paths start at /root)' });
    await expect(resolve('worker')).rejects.toMatchObject({ message: 'a relative agent path needs a threadId to start from' });
    await expect(resolve('/root')).rejects.toMatchObject({ message: '/root names the root of every tree: pass a threadId' });
    await expect(engine.call('spool/agent/resolve', { path: '/root/worker', threadId: 'bad' })).rejects.toMatchObject({
      code: -32600,
      message: expect.stringMatching(/^invalid thread id: /),
    });
  });
});
