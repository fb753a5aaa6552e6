// Archive, unarchive, rename and git edits: Spool on one copy of a home, the real `codex
// app-server` on another copy of the same home, the same requests. The answers, the notifications
// (and their order), the errors and what ends up on disk must be the same.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { generateDemoHome } from '../demo/generate.ts';
import type { AnyNotification, Thread, ThreadListResult } from '../../../shared/protocol/index.ts';
import { ALL_SOURCE_KINDS } from '../../../shared/protocol/index.ts';
import { realHome, STANDARD_HOME } from '../../../../test/support/real-home.ts';
import { schemaErrors } from '../../../../test/support/codex-schema.ts';
import {
  codexDbKeys,
  differentialHome,
  MIXED_HOME,
  spoolPeer,
  startAppServer,
  threadDiffs,
  type AppServerPeer,
  type PeerNotification,
  type RpcOutcome,
  type SpoolPeer,
} from '../../../../test/support/appserver.ts';

const ALL = { sourceKinds: [...ALL_SOURCE_KINDS], modelProviders: [], limit: 100 };
const THREAD_NOTES = ['thread/archived', 'thread/unarchived', 'thread/name/updated', 'thread/status/changed', 'thread/closed'];

interface Pair {
  spoolHome: string;
  codexHome: string;
  engine: Engine;
  spool: SpoolPeer;
  codex: AppServerPeer;
  spoolNotes: AnyNotification[];
}

async function openPair(src: string): Promise<Pair> {
  const spoolHome = differentialHome(src);
  const codexHome = differentialHome(src);
  const engine = Engine.open({ home: spoolHome, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'spool-mut-')), parseWorkers: 0 });
  await engine.sync();
  const spoolNotes: AnyNotification[] = [];
  engine.events.on((n) => {
    if (THREAD_NOTES.includes(n.method)) spoolNotes.push(n);
  });
  return { spoolHome, codexHome, engine, spool: spoolPeer(engine), codex: await startAppServer(codexHome), spoolNotes };
}

async function closePair(p: Pair | undefined): Promise<void> {
  await p?.codex.close();
  await p?.engine.close();
}

/** Sends the same request to both; returns both answers and the thread notifications that followed. */
async function both<T>(
  p: Pair,
  method: string,
  params: unknown,
): Promise<{ spool: RpcOutcome<T>; codex: RpcOutcome<T>; spoolNotes: PeerNotification[]; codexNotes: PeerNotification[] }> {
  const mark = p.codex.mark();
  p.spoolNotes.length = 0;
  const spool = await p.spool.request<T>(method, params);
  const codex = await p.codex.request<T>(method, params);
  if (spool.result !== undefined) expect(schemaErrors('response', method, spool.result), method).toEqual([]);
  // Both send their notifications after the response: give them time to arrive, then wait until
  // codex has sent as many as Spool (or a little longer when Spool sent none).
  await new Promise((r) => setTimeout(r, 30));
  const want = p.spoolNotes.length;
  const deadline = Date.now() + (want > 0 ? 5000 : 100);
  while (Date.now() < deadline && p.codex.notificationsSince(mark, THREAD_NOTES).length < Math.max(want, 1))
    await new Promise((r) => setTimeout(r, 20));
  return {
    spool,
    codex,
    spoolNotes: p.spoolNotes.map((n) => ({ method: n.method, params: n.params as Record<string, unknown> })),
    // Codex stamps each notification with `emittedAtMs` (Spool's hosts do so on the wire).
    codexNotes: p.codex.notificationsSince(mark, THREAD_NOTES).map((n) => ({ method: n.method, params: n.params })),
  };
}

/** Where each rollout is, relative to its home: the on-disk outcome of a cascade. */
function layout(home: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const abs = path.join(home, rel);
    if (!fs.existsSync(abs)) return;
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      if (e.isDirectory()) walk(`${rel}/${e.name}`);
      else if (e.name.endsWith('.jsonl')) out.push(`${rel}/${e.name}`);
    }
  };
  walk('sessions');
  walk('archived_sessions');
  return out.sort();
}

/** A thread whose spawn subtree is deepest (ties: most descendants), with its descendants. */
function deepestTree(engine: Engine): { root: string; depth: number; size: number } {
  const rows = engine.db
    .prepare(
      `WITH RECURSIVE up(child, ancestor, depth) AS (
         SELECT child_id, parent_id, 1 FROM spawn_edges
         UNION SELECT up.child, e.parent_id, up.depth + 1 FROM up JOIN spawn_edges AS e ON e.child_id = up.ancestor WHERE up.depth < 50)
       SELECT ancestor AS root, max(depth) AS depth, count(DISTINCT child) AS size FROM up
       WHERE ancestor NOT IN (SELECT child_id FROM spawn_edges) AND ancestor IN (SELECT id FROM threads WHERE archived = 0)
       GROUP BY ancestor ORDER BY depth DESC, size DESC, ancestor LIMIT 1`,
    )
    .get() as { root: string; depth: number; size: number } | undefined;
  if (!rows) throw new Error('no spawn tree in this home');
  return rows;
}

const ids = (notes: PeerNotification[]): string[] => notes.map((n) => `${n.method} ${String(n.params['threadId'])}`);

function treeHome(): string {
  const dir = path.join(os.tmpdir(), `spool-tree-home-${process.pid}`);
  if (!fs.existsSync(path.join(dir, 'sessions')))
    generateDemoHome({ home: dir, threads: 80, seed: 3, treeFraction: 0.6, archivedFraction: 0, defaultProvider: 'openai' });
  return dir;
}

describe.each([
  ['codex 0.169 home', () => realHome(...STANDARD_HOME).home],
  ['mixed-version home', () => realHome(...MIXED_HOME).home],
  ['generated home with deep agent trees', treeHome],
])('thread/archive and thread/unarchive on a %s, against the real codex app-server', (_label, src) => {
  let p: Pair;
  beforeAll(async () => {
    p = await openPair(src());
  });
  afterAll(() => closePair(p));

  it('cascade over spawn descendants in codex’s order, one notification each, the same files moved', async () => {
    const tree = deepestTree(p.engine);
    const before = layout(p.spoolHome);
    expect(before).toEqual(layout(p.codexHome));

    const archived = await both(p, 'thread/archive', { threadId: tree.root });
    expect(archived.spool.result).toEqual({});
    expect(archived.codex.result).toEqual({});
    expect(ids(archived.spoolNotes)).toEqual(ids(archived.codexNotes));
    expect(archived.spoolNotes).toHaveLength(tree.size + 1);
    expect(layout(p.spoolHome)).toEqual(layout(p.codexHome));
    expect(layout(p.spoolHome)).not.toEqual(before);

    // Both list the same archived threads with the same fields.
    const spoolList = await p.spool.call<ThreadListResult>('thread/list', { ...ALL, archived: true });
    const codexList = await p.codex.call<ThreadListResult>('thread/list', { ...ALL, archived: true, useStateDbOnly: true });
    expect(spoolList.data.map((t) => t.id)).toEqual(codexList.data.map((t) => t.id));
    const codexKeys = codexDbKeys(p.codexHome);
    for (const [i, t] of spoolList.data.entries()) {
      expect(
        threadDiffs(codexList.data[i] as never, t as never, { inList: true, codexKeys })
          .map((d) => d.replaceAll(p.codexHome, '<home>').replaceAll(p.spoolHome, '<home>'))
          .filter((d) => !d.includes(' path: ')),
      ).toEqual([]);
      expect(path.relative(p.spoolHome, t.path!)).toBe(path.relative(p.codexHome, codexList.data[i]!.path!));
    }

    // Archiving again, or archiving a descendant of an archived thread: codex's error.
    const child = (
      p.engine.db.prepare('SELECT child_id FROM spawn_edges WHERE parent_id = ? ORDER BY child_id LIMIT 1').get(tree.root) as
        { child_id: string } | undefined
    )?.child_id;
    for (const threadId of [tree.root, child].filter((x): x is string => x !== undefined)) {
      const again = await both(p, 'thread/archive', { threadId });
      expect(again.spool.error).toEqual(again.codex.error);
      expect(again.spool.error?.message).toMatch(/^no rollout found for thread id /);
    }

    const unarchived = await both<{ thread: Thread }>(p, 'thread/unarchive', { threadId: tree.root });
    expect(ids(unarchived.spoolNotes)).toEqual(ids(unarchived.codexNotes));
    expect(unarchived.spoolNotes).toHaveLength(tree.size + 1);
    const diffs = threadDiffs(unarchived.codex.result!.thread as never, unarchived.spool.result!.thread as never, {
      codexKeys: codexDbKeys(p.codexHome),
    }).filter((d) => !d.includes(' path: '));
    expect(diffs).toEqual([]);
    expect(path.relative(p.spoolHome, unarchived.spool.result!.thread.path!)).toBe(
      path.relative(p.codexHome, unarchived.codex.result!.thread.path!),
    );
    expect(layout(p.spoolHome)).toEqual(before);
    expect(layout(p.codexHome)).toEqual(before);

    const again = await both(p, 'thread/unarchive', { threadId: tree.root });
    expect(again.spool.error).toEqual(again.codex.error);
    expect(again.spool.error?.message).toMatch(/^no archived rollout found for thread id /);
  });

  it('archiving a descendant first leaves it out of its root’s cascade, and unarchiving it brings back its own subtree only', async () => {
    const tree = deepestTree(p.engine);
    const mid =
      (
        p.engine.db
          .prepare(
            'SELECT parent_id FROM spawn_edges WHERE parent_id <> ? AND child_id IN (SELECT child_id FROM spawn_edges) ORDER BY parent_id LIMIT 1',
          )
          .get(tree.root) as { parent_id: string } | undefined
      )?.parent_id ??
      (
        p.engine.db.prepare('SELECT child_id FROM spawn_edges WHERE parent_id = ? ORDER BY child_id LIMIT 1').get(tree.root) as {
          child_id: string;
        }
      ).child_id;
    for (const [method, threadId] of [
      ['thread/archive', mid],
      ['thread/archive', tree.root],
      ['thread/unarchive', mid],
      ['thread/unarchive', tree.root],
    ] as const) {
      const r = await both(p, method, { threadId });
      expect(r.spool.error, `${method} ${threadId}`).toEqual(r.codex.error);
      expect(ids(r.spoolNotes), `${method} ${threadId}`).toEqual(ids(r.codexNotes));
      expect(layout(p.spoolHome), `${method} ${threadId}`).toEqual(layout(p.codexHome));
    }
  });

  it('refuses what codex refuses', async () => {
    for (const method of ['thread/archive', 'thread/unarchive']) {
      for (const threadId of ['not-a-uuid', '', '01a1fccf-0000-7000-8000-000000000000', '{01a1fccf-0894-77a2-a6ff-3eb67cb4bee}']) {
        const r = await both(p, method, { threadId });
        expect(r.spool.error, `${method} ${threadId}`).toEqual(r.codex.error);
      }
    }
  });
});

describe.each([
  ['codex 0.169 home (paginated threads)', () => realHome(...STANDARD_HOME).home],
  ['mixed-version home (legacy threads)', () => realHome(...MIXED_HOME).home],
])('thread/name/set and thread/metadata/update on a %s, against the real codex app-server', (_label, src) => {
  let p: Pair;
  let target: string;
  let archivedId: string | undefined;
  beforeAll(async () => {
    p = await openPair(src());
    // A thread both can read, of the home's newest format; and an archived one.
    target = (
      p.engine.db
        .prepare(
          "SELECT id FROM threads WHERE archived = 0 AND format <> 'bare' AND preview <> '' ORDER BY format = 'legacy' DESC, created_at_ms LIMIT 1",
        )
        .get() as { id: string }
    ).id;
    archivedId = (
      p.engine.db.prepare("SELECT id FROM threads WHERE archived = 1 AND format <> 'bare' LIMIT 1").get() as { id: string } | undefined
    )?.id;
  });
  afterAll(() => closePair(p));

  const fileOf = (home: string, id: string): string => {
    const rel = (p.engine.db.prepare('SELECT rel_path FROM threads WHERE id = ?').get(id) as { rel_path: string }).rel_path;
    return path.join(home, rel);
  };

  it('renames as codex does: trimmed, one session_index.jsonl line, thread/name/updated, nothing in the rollout', async () => {
    const rolloutBefore = fs.statSync(fileOf(p.spoolHome, target)).size;
    const indexBefore = fs.readFileSync(path.join(p.spoolHome, 'session_index.jsonl'), 'utf8');
    const r = await both(p, 'thread/name/set', { threadId: target.toUpperCase(), name: '  Spool  rename 🧵 ' });
    expect(r.spool.result).toEqual({});
    expect(r.codex.result).toEqual({});
    expect(r.spoolNotes).toEqual(r.codexNotes);
    expect(r.spoolNotes).toEqual([{ method: 'thread/name/updated', params: { threadId: target, threadName: 'Spool  rename 🧵' } }]);
    const added = fs.readFileSync(path.join(p.spoolHome, 'session_index.jsonl'), 'utf8').slice(indexBefore.length);
    const codexAdded = fs.readFileSync(path.join(p.codexHome, 'session_index.jsonl'), 'utf8').slice(indexBefore.length);
    const [mine, theirs] = [JSON.parse(added), JSON.parse(codexAdded)] as { id: string; thread_name: string; updated_at: string }[];
    expect(added.endsWith('\n') && codexAdded.endsWith('\n')).toBe(true);
    expect(Object.keys(mine!)).toEqual(Object.keys(theirs!));
    expect({ ...mine, updated_at: 0 }).toEqual({ ...theirs, updated_at: 0 });
    expect(Math.abs(Date.parse(mine!.updated_at) - Date.parse(theirs!.updated_at))).toBeLessThan(60_000);
    expect(fs.statSync(fileOf(p.spoolHome, target)).size).toBe(rolloutBefore);
    expect(fs.statSync(fileOf(p.codexHome, target)).size).toBe(rolloutBefore);
    const read = await both<{ thread: Thread }>(p, 'thread/read', { threadId: target });
    expect(read.spool.result!.thread.name).toBe('Spool  rename 🧵');
    expect(read.codex.result!.thread.name).toBe('Spool  rename 🧵');
  });

  it('refuses names as codex does', async () => {
    const cases: unknown[] = [
      { threadId: target, name: '   ' },
      { threadId: target, name: '' },
      { threadId: 'zz', name: '   ' },
      { threadId: '01a1fccf-0000-7000-8000-000000000000', name: 'x' },
      { threadId: '01a1fccf-0000-7000-8000-000000000000', name: '' },
      ...(archivedId ? [{ threadId: archivedId, name: 'x' }] : []),
    ];
    for (const params of cases) {
      const r = await both(p, 'thread/name/set', params);
      expect(r.spool.error, JSON.stringify(params)).toEqual(r.codex.error);
      expect(r.spool.error).toBeDefined();
    }
  });

  it('applies each git patch case as codex does, appending session_meta to legacy rollouts only', async () => {
    const legacy = (p.engine.db.prepare('SELECT format FROM threads WHERE id = ?').get(target) as { format: string }).format === 'legacy';
    const patches: unknown[] = [
      { sha: 'abc123', branch: ' feature/spool ', originUrl: 'https://user:s3cret@github.com/acme/repo.git' },
      { branch: null },
      { originUrl: 'git@github.com:acme/repo.git' },
      { sha: ' 0123456789abcdef ' },
      { sha: null, branch: null, originUrl: null },
      { branch: 'main' },
      { originUrl: 'ssh://deploy:token@git.example.com:2222/r.git' },
    ];
    for (const gitInfo of patches) {
      const sizes = [fs.statSync(fileOf(p.spoolHome, target)).size, fs.statSync(fileOf(p.codexHome, target)).size] as const;
      const r = await both<{ thread: Thread }>(p, 'thread/metadata/update', { threadId: target, gitInfo });
      const ctx = JSON.stringify(gitInfo);
      expect(r.spool.error, ctx).toBeUndefined();
      expect(r.codex.error, ctx).toBeUndefined();
      expect(r.spool.result!.thread.gitInfo, ctx).toEqual(r.codex.result!.thread.gitInfo);
      // A legacy rollout grows by a session_meta line (so the file's mtime, Spool's updatedAt, moves).
      const ignore = legacy ? [' path: ', ' updatedAt: ', ' recencyAt: '] : [' path: '];
      expect(
        threadDiffs(r.codex.result!.thread as never, r.spool.result!.thread as never, { codexKeys: codexDbKeys(p.codexHome) }).filter(
          (d) => !ignore.some((i) => d.includes(i)),
        ),
        ctx,
      ).toEqual([]);
      expect(r.spoolNotes, ctx).toEqual(r.codexNotes);
      const after = [fs.readFileSync(fileOf(p.spoolHome, target)), fs.readFileSync(fileOf(p.codexHome, target))];
      if (!legacy) {
        expect([after[0]!.length, after[1]!.length], ctx).toEqual(sizes);
        continue;
      }
      const [mine, theirs] = after.map((bytes, i) => {
        const appended = bytes.subarray(sizes[i]).toString('utf8');
        expect(appended.endsWith('\n') && appended.indexOf('\n') === appended.length - 1, ctx).toBe(true);
        return JSON.parse(appended) as { timestamp: string; type: string; payload: Record<string, unknown> };
      });
      expect(mine!.type).toBe('session_meta');
      expect(Object.keys(mine!)).toEqual(Object.keys(theirs!));
      expect(mine!.payload, ctx).toEqual(theirs!.payload);
      expect(Object.keys(mine!.payload), ctx).toEqual(Object.keys(theirs!.payload));
    }
    // An archived thread can be edited too.
    if (archivedId) {
      const r = await both<{ thread: Thread }>(p, 'thread/metadata/update', { threadId: archivedId, gitInfo: { branch: 'archived-edit' } });
      expect(r.spool.result?.thread.gitInfo).toEqual(r.codex.result?.thread.gitInfo);
      expect(r.spool.result?.thread.gitInfo?.branch).toBe('archived-edit');
    }
  });

  it('refuses git patches as codex does', async () => {
    const cases: unknown[] = [
      { threadId: target },
      { threadId: target, gitInfo: null },
      { threadId: target, gitInfo: {} },
      { threadId: target, gitInfo: { unknownField: 'x' } },
      { threadId: target, gitInfo: { branch: '' } },
      { threadId: target, gitInfo: { sha: '  ' } },
      { threadId: target, gitInfo: { originUrl: '\t' } },
      { threadId: target, gitInfo: { branch: 'ok', sha: '' } },
      { threadId: 'zz' },
      { threadId: 'zz', gitInfo: { branch: '' } },
      { threadId: '01a1fccf-0000-7000-8000-000000000000', gitInfo: { branch: 'x' } },
      { threadId: '01a1fccf-0000-7000-8000-000000000000', gitInfo: {} },
    ];
    for (const params of cases) {
      const r = await both(p, 'thread/metadata/update', params);
      expect(r.spool.error, JSON.stringify(params)).toEqual(r.codex.error);
      expect(r.spool.error).toBeDefined();
    }
  });
});
