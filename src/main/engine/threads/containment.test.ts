// No path a client sends takes Spool outside the Codex home and its own data folder. Every method
// that takes an id, a handle, a path or a cwd is called with traversal values through the router
// (as every host does) on a copy of a real home: each answers a clear error (ids are parsed as
// UUIDs before anything touches the disk), and nothing beside the home changes. Then the home is
// given symbolic links that lead out of it — a linked rollout, a linked session index, a linked day
// folder — and every write that would go through one is refused, leaving both the home and the
// outside untouched. (`sessions/` and `archived_sessions/` themselves may be links to another disk:
// codex and the indexer follow them, and archive.test.ts moves rollouts across one.)
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { createRouter, type Router } from '../../rpc/router.ts';
import { generateDemoHome } from '../demo/generate.ts';
import { copyHome, realHome, STANDARD_HOME } from '../../../../test/support/real-home.ts';
import { tmpDir } from '../../../../test/support/tmp.ts';
import type { Response } from '../../../shared/jsonrpc.ts';

const TRAVERSAL = [
  '../../etc/passwd',
  '/etc/passwd',
  '..',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%2F..%2Fetc%2Fpasswd',
  'a\u0000b',
  '019a0000-0000-7000-8000-000000000000/../../../etc/passwd',
  '019a0000-0000-7000-8000-000000000000\u0000',
  'sessions/../../outside/x.jsonl',
  'C:\\Windows\\win.ini',
];

let root: string;
let home: string;
let outside: string;
let engine: Engine;
let router: Router;
let ids: string[];

/** Every file under `dir` with its bytes and mtime: the proof that nothing changed. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const p = path.join(dir, rel);
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) out.set(rel, `link → ${fs.readlinkSync(p)}`);
    else if (st.isFile()) out.set(rel, `${st.size} ${st.mtimeMs} ${fs.readFileSync(p, 'utf8')}`);
    else out.set(rel, 'dir');
  }
  return out;
}

async function call(method: string, params: unknown): Promise<Response> {
  const r = await router.handle({ jsonrpc: '2.0', id: 1, method, params });
  if (!r) throw new Error('no answer');
  return r;
}

async function open(h: string): Promise<void> {
  engine = Engine.open({ home: h, dataDir: path.join(root, 'data'), parseWorkers: 0 });
  await engine.sync();
  router = createRouter({ engine });
  ids = (await engine.call('thread/list', { limit: 100, includeEmptyPreview: true })).data.map((t) => t.id);
}

beforeEach(async () => {
  root = tmpDir('spool-contain-');
  home = copyHome(realHome(...STANDARD_HOME).home, path.join(root, 'home'));
  outside = path.join(root, 'outside');
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'passwd'), 'root:x:0:0\n');
  await open(home);
});
afterEach(async () => {
  await engine?.close();
});

/** The rollout of a thread, relative to the home. */
function relOf(id: string): string {
  const rel = fs.readdirSync(home, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith(`${id}.jsonl`));
  if (!rel) throw new Error(`no rollout for ${id}`);
  return rel;
}

describe('ids, handles and paths from clients', () => {
  it('every method taking one answers a clear error for traversal values, and nothing outside changes', async () => {
    const before = snapshot(outside);
    const homeBefore = snapshot(home);
    const id = ids[0]!;
    const calls: [string, (v: string) => unknown][] = [
      ['thread/read', (v) => ({ threadId: v, includeTurns: true })],
      ['thread/turns/list', (v) => ({ threadId: v })],
      [
        'thread/turns/list',
        (v) => ({
          threadId: id,
          cursor: JSON.stringify({ requestedThreadId: v, rolloutOrdinal: 0, includeAnchor: true, scope: { kind: 'turns' } }),
        }),
      ],
      ['thread/items/list', (v) => ({ threadId: v })],
      ['thread/items/list', (v) => ({ threadId: id, cursor: { type: 'item', itemId: v } })],
      ['spool/item/text', (v) => ({ threadId: v, handle: `${id}:0:0` })],
      ['spool/item/text', (v) => ({ threadId: id, handle: v })],
      ['spool/item/text', (v) => ({ threadId: id, handle: `${v}:0:0` })],
      ['thread/name/set', (v) => ({ threadId: v, name: 'x' })],
      ['thread/metadata/update', (v) => ({ threadId: v, gitInfo: { branch: 'x' } })],
      ['thread/archive', (v) => ({ threadId: v })],
      ['thread/unarchive', (v) => ({ threadId: v })],
      ['thread/close', (v) => ({ threadId: v })],
      ['spool/thread/reopen', (v) => ({ threadId: v })],
      ['spool/thread/tree', (v) => ({ threadId: v })],
      ['spool/agent/resolve', (v) => ({ threadId: v, path: 'child' })],
      ['spool/threads/bulk', (v) => ({ action: 'archive', threadIds: [v] })],
      ['thread/list', (v) => ({ parentThreadId: v })],
      ['thread/list', (v) => ({ ancestorThreadId: v })],
      ['spool/thread/families', (v) => ({ parentThreadIds: [v] })],
      ['thread/list', (v) => ({ excludedThreadIds: [v] })],
      ['thread/list', (v) => ({ cursor: `2025-01-01T00:00:00Z|${v}` })],
      ['spool/search', (v) => ({ query: 'x', cursor: v })],
    ];
    for (const [method, params] of calls) {
      for (const v of TRAVERSAL) {
        const r = await call(method, params(v));
        const label = `${method} ${JSON.stringify(params(v))}`;
        if (method === 'spool/threads/bulk') {
          // Bulk reports per thread: the id is refused there, nothing moves.
          if ('result' in r)
            expect(
              (r.result as { outcomes: { ok: boolean }[] }).outcomes.every((o) => !o.ok),
              label,
            ).toBe(true);
          continue;
        }
        expect('error' in r, label).toBe(true);
        if ('error' in r) expect([-32600, -32602], label).toContain(r.error.code);
      }
    }
    // A turn id is only compared with the index's: an unknown one lists nothing.
    for (const v of TRAVERSAL) expect(await call('thread/items/list', { threadId: id, turnId: v })).toMatchObject({ result: { data: [] } });
    // Paths that are not ids: an agent path climbs within the agent tree, a cwd filter only compares.
    for (const v of TRAVERSAL) {
      const r = await call('spool/agent/resolve', { threadId: id, path: v });
      expect(
        'error' in r ||
          (r.result as { threadId: string | null }).threadId === null ||
          ids.includes((r.result as { threadId: string }).threadId),
        v,
      ).toBe(true);
      const list = await call('thread/list', { cwd: [v, path.join(outside, 'passwd')] });
      expect(list).toMatchObject({ result: { data: [] } });
    }
    expect(snapshot(outside)).toEqual(before);
    expect(snapshot(home)).toEqual(homeBefore);
  });
});

describe('symbolic links that lead out of the home', () => {
  it('a rollout linked from outside is read, but never archived, unarchived or touched through the link', async () => {
    const id = ids[0]!;
    const rel = relOf(id);
    const target = path.join(outside, path.basename(rel));
    fs.renameSync(path.join(home, rel), target);
    fs.symlinkSync(target, path.join(home, rel));
    await engine.sync();
    const before = snapshot(outside);
    expect(await call('thread/read', { threadId: id })).toMatchObject({ result: { thread: { id } } });
    const r = await call('thread/archive', { threadId: id });
    expect(r).toMatchObject({ error: { code: -32600, message: expect.stringMatching(/symbolic link/) } });
    expect(fs.lstatSync(path.join(home, rel)).isSymbolicLink()).toBe(true);
    expect(snapshot(outside)).toEqual(before);
    expect(fs.readdirSync(path.join(home, 'archived_sessions'))).not.toContain(path.basename(rel));
  });

  it('a day folder linked outside: unarchiving into it refuses, the rollout stays archived', async () => {
    const id = ids.find((t) => relOf(t).startsWith('sessions/'))!;
    expect(await call('thread/archive', { threadId: id })).toMatchObject({ result: {} });
    const archivedRel = relOf(id);
    expect(archivedRel.startsWith('archived_sessions/')).toBe(true);
    // The day folder codex would put it back in now leads outside.
    const day = path.join(
      home,
      'sessions',
      ...(/rollout-(\d{4})-(\d{2})-(\d{2})T/.exec(archivedRel)!.slice(1, 4) as [string, string, string]),
    );
    fs.rmSync(day, { recursive: true, force: true });
    fs.symlinkSync(outside, day);
    const before = snapshot(outside);
    const r = await call('thread/unarchive', { threadId: id });
    expect(r).toMatchObject({ error: { code: -32600, message: expect.stringMatching(/outside the Codex home/) } });
    expect(fs.existsSync(path.join(home, archivedRel))).toBe(true);
    expect(snapshot(outside)).toEqual(before);
  });

  it('a session index linked outside: naming a thread refuses, the outside file is untouched', async () => {
    const target = path.join(outside, 'session_index.jsonl');
    fs.renameSync(path.join(home, 'session_index.jsonl'), target);
    fs.symlinkSync(target, path.join(home, 'session_index.jsonl'));
    const before = snapshot(outside);
    const id = ids.find((t) => relOf(t).startsWith('sessions/'))!;
    const r = await call('thread/name/set', { threadId: id, name: 'through the link' });
    expect(r).toMatchObject({ error: { code: -32600, message: expect.stringMatching(/symbolic link: session_index\.jsonl/) } });
    expect(snapshot(outside)).toEqual(before);
  });

  it('a legacy rollout linked from outside: a git edit (which appends to it) refuses', async () => {
    await engine.close();
    const demo = path.join(root, 'demo');
    generateDemoHome({ home: demo, threads: 12, seed: 3 });
    const legacy = fs
      .readdirSync(path.join(demo, 'sessions'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.jsonl'))
      .find(
        (f) =>
          !fs
            .readFileSync(path.join(demo, 'sessions', f), 'utf8')
            .split('\n', 1)[0]!
            .includes('"ordinal"'),
      );
    expect(legacy, 'a legacy-format rollout in the demo home').toBeDefined();
    const id = /([0-9a-f-]{36})\.jsonl$/.exec(legacy!)![1]!;
    const target = path.join(outside, path.basename(legacy!));
    fs.renameSync(path.join(demo, 'sessions', legacy!), target);
    fs.symlinkSync(target, path.join(demo, 'sessions', legacy!));
    fs.rmSync(path.join(root, 'data'), { recursive: true, force: true });
    await open(demo);
    const before = snapshot(outside);
    const r = await call('thread/metadata/update', { threadId: id, gitInfo: { branch: 'through-the-link' } });
    expect(r).toMatchObject({ error: { code: -32600, message: expect.stringMatching(/symbolic link/) } });
    expect(snapshot(outside)).toEqual(before);
  });
});
