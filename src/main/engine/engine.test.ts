// The engine on a home written by the real codex CLI: everything codex wrote is indexed, with the
// previews, names and metadata codex recorded, and listed newest first.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from './engine.ts';
import { RpcError } from '../../shared/jsonrpc.ts';
import { ALL_SOURCE_KINDS, type Thread, type ThreadListParams } from '../../shared/protocol/index.ts';
import { copyHome, expectedNames, realHome, STANDARD_HOME, type RealHome } from '../../../test/support/real-home.ts';
import { listAll as listEveryPage } from '../../../test/support/list-all.ts';

let real: RealHome;
let home: string;
let engine: Engine;

const everything: ThreadListParams = { modelProviders: [], sourceKinds: [...ALL_SOURCE_KINDS], includeEmptyPreview: true, limit: 100 };

beforeAll(async () => {
  real = realHome(...STANDARD_HOME);
  home = copyHome(real.home);
  engine = Engine.open({ home, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'spool-data-')), parseWorkers: 2 });
  await engine.sync();
});
afterAll(async () => {
  await engine.close();
});

const allThreads = (archived: boolean): Promise<Thread[]> => listEveryPage(engine, { ...everything, archived }, 7);

describe('engine on a real codex home', () => {
  it('indexes every rollout codex wrote, active and archived', async () => {
    const active = await allThreads(false);
    const archived = await allThreads(true);
    const ids = new Set([...active, ...archived].map((t) => t.id));
    for (const r of real.manifest.rollouts) expect(ids, r.file).toContain(r.id);
    expect(archived.map((t) => t.id).sort()).toEqual(
      real.manifest.rollouts
        .filter((r) => r.file.startsWith('archived_sessions/'))
        .map((r) => r.id)
        .sort(),
    );
  });

  it('lists newest first by (created ms, id), with exclusive cursors that visit each thread once', async () => {
    const active = await allThreads(false);
    const keys = active.map((t) => [t.extra!.spool.createdAtMs, t.id] as const);
    const sorted = [...keys].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
    expect(keys).toEqual(sorted);
    expect(new Set(active.map((t) => t.id)).size).toBe(active.length);
  });

  it('shows the first prompt each codex session was given as its preview', async () => {
    const byId = new Map((await allThreads(false)).concat(await allThreads(true)).map((t) => [t.id, t]));
    let checked = 0;
    for (const p of real.manifest.plan) {
      if (!p.threadId) continue;
      const t = byId.get(p.threadId);
      expect(t, p.threadId).toBeDefined();
      expect(t!.preview).toBe(p.prompts[0]!.trim());
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it('shows the names set through codex (session_index.jsonl, last one wins)', async () => {
    const names = expectedNames(real.manifest);
    expect(names.size).toBeGreaterThan(0);
    for (const [id, name] of names) {
      const { thread } = await engine.call('thread/read', { threadId: id });
      expect(thread.name).toBe(name);
    }
  });

  it('reads a thread with Codex-shaped fields', async () => {
    const [first] = (await engine.call('thread/list', { ...everything, limit: 1 })).data;
    const { thread } = await engine.call('thread/read', { threadId: first!.id });
    expect(thread).toMatchObject({ id: first!.id, sessionId: first!.id, ephemeral: false, status: { type: 'notLoaded' }, turns: [] });
    expect(thread.path).toBe(path.join(home, real.manifest.rollouts.find((r) => r.id === first!.id)!.file));
    expect(thread.cliVersion).toBe('0.169.0');
    expect(typeof thread.createdAt).toBe('number');
  });

  it('maps sub-agent sources and keeps their spawn parent', async () => {
    const subs = (await allThreads(false)).filter((t) => typeof t.source === 'object' && 'subAgent' in t.source);
    expect(subs.length).toBe(real.manifest.summary.subagentThreads);
    for (const s of subs) expect(s.extra!.spool.spawnParentId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers codex errors for bad ids and unknown threads', async () => {
    await expect(engine.call('thread/read', { threadId: '../../etc/passwd' })).rejects.toMatchObject({
      code: -32600,
      message: expect.stringMatching(/^invalid thread id/),
    });
    const missing = '00000000-0000-7000-8000-000000000000';
    const err = await engine.call('thread/read', { threadId: missing }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ code: -32600, message: `thread not loaded: ${missing}` });
    await expect(engine.call('thread/list', { cursor: 'not-a-cursor' })).rejects.toMatchObject({
      code: -32600,
      message: 'invalid cursor: not-a-cursor',
    });
  });

  it('does nothing on a second sync when nothing changed', async () => {
    const s = await engine.sync();
    expect(s.parsed).toBe(0);
    expect(s.removed).toBe(0);
  });
});
