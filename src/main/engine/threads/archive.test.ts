// Archive and unarchive on the real engine: the index is updated in the same step as each move, so
// the watcher finds nothing to redo; moves onto another disk work; a file in the way is never
// overwritten; and a process killed anywhere in a cascade leaves every rollout in exactly one place,
// intact, with the index converging on the next start.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { generateDemoHome } from '../demo/generate.ts';
import type { AnyNotification } from '../../../shared/protocol/index.ts';
import { copyHome, realHome, STANDARD_HOME } from '../../../../test/support/real-home.ts';
import { MOVE_INTENT_FILE } from './move-file.ts';

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

async function open(home: string, dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-arch-data-'))): Promise<Engine> {
  const e = Engine.open({ home, dataDir, parseWorkers: 0 });
  engines.push(e);
  await e.sync();
  return e;
}

/** The root with the most spawn descendants, and them. */
function biggestTree(e: Engine): { root: string; all: string[] } {
  const root = (
    e.db
      .prepare(
        'SELECT parent_id FROM spawn_edges WHERE parent_id NOT IN (SELECT child_id FROM spawn_edges) GROUP BY parent_id ORDER BY count(*) DESC LIMIT 1',
      )
      .get() as { parent_id: string }
  ).parent_id;
  const rows = e.db
    .prepare('WITH RECURSIVE t(id) AS (SELECT ? UNION SELECT child_id FROM spawn_edges JOIN t ON parent_id = t.id) SELECT id FROM t')
    .all(root) as { id: string }[];
  return { root, all: rows.map((r) => r.id) };
}

/** Every rollout file of the home by thread id (following an archived_sessions symlink). */
function filesById(home: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (dir: string, rel: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (fs.statSync(p).isDirectory()) walk(p, `${rel}/${e.name}`);
      else {
        const id = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/.exec(e.name)?.[1];
        if (id) out.set(id, [...(out.get(id) ?? []), `${rel}/${e.name}`]);
        else if (e.name.includes('spool-move')) out.set(`stray:${e.name}`, [`${rel}/${e.name}`]);
      }
    }
  };
  walk(path.join(home, 'sessions'), 'sessions');
  walk(path.join(home, 'archived_sessions'), 'archived_sessions');
  return out;
}

/** Moves archived_sessions/ onto a tmpfs (another file system) behind a symlink. */
function archiveOnAnotherDisk(home: string): string {
  const other = fs.mkdtempSync('/dev/shm/spool-archive-');
  const dir = path.join(home, 'archived_sessions');
  if (fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, f), path.join(other, f));
    fs.rmSync(dir, { recursive: true });
  }
  fs.symlinkSync(other, dir);
  expect(fs.statSync(other).dev).not.toBe(fs.statSync(path.join(home, 'sessions')).dev);
  return other;
}

function collect(e: Engine): AnyNotification[] {
  const seen: AnyNotification[] = [];
  e.events.on((n) => {
    if (n.method !== 'spool/index/progress') seen.push(n);
  });
  return seen;
}

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('archive and unarchive on the engine', () => {
  it('update the index as they move, so the watcher and a full reconcile find nothing to do', async () => {
    const home = copyHome(realHome(...STANDARD_HOME).home);
    const e = await open(home);
    await e.startLive();
    const notes = collect(e);
    const tree = biggestTree(e);
    expect(tree.all.length).toBeGreaterThan(1);

    await e.call('thread/archive', { threadId: tree.root });
    await settle(400);
    expect(notes.filter((n) => n.method === 'spool/index/changed').map((n) => (n.params as { reason: string }).reason)).toEqual([
      'archive',
    ]);
    expect(await e.sync()).toMatchObject({ parsed: 0, moved: 0, removed: 0 });
    for (const id of tree.all)
      expect(
        e.db.prepare('SELECT archived, rel_path LIKE ? AS inArchive FROM threads WHERE id = ?').get('archived_sessions/%', id),
      ).toEqual({ archived: 1, inArchive: 1 });

    notes.length = 0;
    const { thread } = await e.call('thread/unarchive', { threadId: tree.root });
    await settle(400);
    expect(notes.filter((n) => n.method === 'spool/index/changed').map((n) => (n.params as { reason: string }).reason)).toEqual([
      'archive',
    ]);
    expect(await e.sync()).toMatchObject({ parsed: 0, moved: 0, removed: 0 });
    // Codex touches an unarchived rollout: it is the most recently updated thread now.
    expect(Date.now() - thread.updatedAt * 1000).toBeLessThan(10_000);
    expect(thread.path).toMatch(/\/sessions\/\d{4}\/\d{2}\/\d{2}\/rollout-/);
  });

  it('move rollouts onto and back from another disk, keeping bytes and the index exact', async () => {
    const home = copyHome(realHome(...STANDARD_HOME).home);
    archiveOnAnotherDisk(home);
    const e = await open(home);
    const tree = biggestTree(e);
    const before = new Map(
      tree.all.map((id) => [
        id,
        fs.readFileSync(e.home.abs((e.db.prepare('SELECT rel_path FROM threads WHERE id = ?').get(id) as { rel_path: string }).rel_path)),
      ]),
    );

    await e.call('thread/archive', { threadId: tree.root });
    expect(await e.sync()).toMatchObject({ parsed: 0, moved: 0, removed: 0 });
    for (const id of tree.all) {
      const files = filesById(home).get(id)!;
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^archived_sessions\//);
      expect(fs.readFileSync(path.join(home, files[0]!)).equals(before.get(id)!)).toBe(true);
    }
    await e.call('thread/unarchive', { threadId: tree.root });
    expect(await e.sync()).toMatchObject({ parsed: 0, moved: 0, removed: 0 });
    for (const id of tree.all) {
      const files = filesById(home).get(id)!;
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^sessions\//);
      expect(fs.readFileSync(path.join(home, files[0]!)).equals(before.get(id)!)).toBe(true);
    }
    expect(fs.existsSync(path.join(e.dataDir, MOVE_INTENT_FILE))).toBe(false);
  });

  it('never overwrites a file in the way: the root fails whole, a descendant is reported and skipped', async () => {
    const home = copyHome(realHome(...STANDARD_HOME).home);
    const e = await open(home);
    const tree = biggestTree(e);
    const relOf = (id: string): string =>
      (e.db.prepare('SELECT rel_path FROM threads WHERE id = ?').get(id) as { rel_path: string }).rel_path;
    const inTheWay = (id: string): string => {
      const p = path.join(home, 'archived_sessions', path.basename(relOf(id)));
      fs.writeFileSync(p, 'not the rollout\n');
      return p;
    };

    const blockRoot = inTheWay(tree.root);
    await expect(e.call('thread/archive', { threadId: tree.root })).rejects.toMatchObject({
      code: -32603,
      message: expect.stringMatching(/^failed to archive session: a file already exists at /),
    });
    expect(fs.readFileSync(blockRoot, 'utf8')).toBe('not the rollout\n');
    for (const id of tree.all) expect(relOf(id)).toMatch(/^sessions\//);
    fs.rmSync(blockRoot);

    const child = tree.all.find((id) => id !== tree.root)!;
    const blockChild = inTheWay(child);
    const notes = collect(e);
    await e.call('thread/archive', { threadId: tree.root });
    await settle(20);
    expect(fs.readFileSync(blockChild, 'utf8')).toBe('not the rollout\n');
    expect(relOf(child)).toMatch(/^sessions\//);
    const archived = notes.filter((n) => n.method === 'thread/archived').map((n) => (n.params as { threadId: string }).threadId);
    expect(archived).toEqual(expect.arrayContaining(tree.all.filter((id) => id !== child)));
    expect(archived).not.toContain(child);
  });
});

describe('a large cascade', () => {
  /** A root with `n` sub-agents, as codex's test fixtures write rollouts. */
  function wideTree(n: number): { home: string; root: string } {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-wide-'));
    const dir = path.join(home, 'sessions', '2026', '01', '02');
    fs.mkdirSync(dir, { recursive: true });
    const id = (i: number): string => `019b7e94-3200-7000-8000-${i.toString(16).padStart(12, '0')}`;
    for (let i = 0; i <= n; i++) {
      const ts = new Date(Date.UTC(2026, 0, 2, 12, 0, 0, i)).toISOString();
      const source =
        i === 0
          ? 'cli'
          : { subagent: { thread_spawn: { parent_thread_id: id(0), depth: 1, agent_path: null, agent_nickname: null, agent_role: null } } };
      const lines = [
        {
          timestamp: ts,
          type: 'session_meta',
          payload: { id: id(i), timestamp: ts, cwd: '/', originator: 'codex', cli_version: '0.0.0', source, model_provider: 'mock' },
        },
        { timestamp: ts, type: 'event_msg', payload: { type: 'user_message', message: `task ${i}`, kind: 'plain' } },
      ];
      fs.writeFileSync(path.join(dir, `rollout-2026-01-02T12-00-00-${id(i)}.jsonl`), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    }
    return { home, root: id(0) };
  }

  it('moves in batches, reporting progress and answering other requests meanwhile', async () => {
    const { home, root } = wideTree(300);
    const e = await open(home);
    const notes = collect(e);
    let archiveDone = false;
    const archive = e.call('thread/archive', { threadId: root }).then(() => (archiveDone = true));
    // Issued after the cascade began, answered before it ends.
    await new Promise((r) => setImmediate(r));
    const page = await e.call('thread/list', { sourceKinds: ['subAgent'], modelProviders: [], limit: 5 });
    expect(page.data).toHaveLength(5);
    expect(archiveDone).toBe(false);
    await archive;
    const progress = notes.filter((n) => n.method === 'spool/operation/progress').map((n) => n.params as { done: number; total: number });
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toMatchObject({ done: 301, total: 301 });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    await settle(20);
    expect(notes.filter((n) => n.method === 'thread/archived')).toHaveLength(301);
    expect(await e.sync()).toMatchObject({ parsed: 0, moved: 0, removed: 0 });
  });
});

describe('a process killed in the middle of a cascade', () => {
  /** A home with a wide tree of large rollouts (copies onto another disk take a while). */
  function pristine(): string {
    const dir = path.join(os.tmpdir(), `spool-kill-pristine-${process.pid}`);
    if (!fs.existsSync(path.join(dir, 'sessions'))) {
      generateDemoHome({ home: dir, threads: 40, seed: 21, treeFraction: 1, archivedFraction: 0, turnPaddingBytes: 400_000, maxTurns: 4 });
    }
    return dir;
  }

  const hash = (p: string): string => crypto.createHash('sha1').update(fs.readFileSync(p)).digest('hex');

  it('leaves every rollout in exactly one place, intact, and the index converges on restart', async () => {
    const src = pristine();
    const engineUrl = pathToFileURL(path.resolve(import.meta.dirname, '../engine.ts')).href;
    const outcomes: string[] = [];
    for (const [i, delayMs] of [0, 5, 15, 30, 60, 120].entries()) {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-kill-'));
      fs.cpSync(src, home, { recursive: true });
      if (i % 2 === 0) archiveOnAnotherDisk(home);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-kill-data-'));
      const e0 = await open(home, dataDir);
      const tree = biggestTree(e0);
      const hashes = new Map([...filesById(home)].map(([id, [rel]]) => [id, hash(path.join(home, rel!))]));
      await e0.close();
      engines.splice(engines.indexOf(e0), 1);

      // The cascade runs in another process, killed (SIGKILL) `delayMs` after it starts.
      const code = `const { Engine } = await import(${JSON.stringify(engineUrl)});
        const e = Engine.open({ home: ${JSON.stringify(home)}, dataDir: ${JSON.stringify(dataDir)}, parseWorkers: 0 });
        await e.sync();
        process.stdout.write('go\\n');
        await e.call('thread/archive', { threadId: ${JSON.stringify(tree.root)} });
        process.stdout.write('done\\n');
        await e.close();`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
      const finished = await new Promise<boolean>((resolve, reject) => {
        let out = '';
        let timer: NodeJS.Timeout | null = null;
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('go') && !timer) timer = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), delayMs);
        });
        child.on('exit', () => {
          if (timer) clearTimeout(timer);
          resolve(out.includes('done'));
        });
        child.on('error', reject);
      });
      outcomes.push(finished ? 'completed' : 'killed');

      // Restart: the engine settles any interrupted copy, then reconciles.
      const e = await open(home, dataDir);
      const files = filesById(home);
      expect(
        [...files.keys()].filter((k) => k.startsWith('stray:')),
        `run ${i}`,
      ).toEqual([]);
      expect(fs.existsSync(path.join(dataDir, MOVE_INTENT_FILE))).toBe(false);
      for (const [id, h] of hashes) {
        const where = files.get(id) ?? [];
        expect(where, `run ${i}: ${id}`).toHaveLength(1);
        expect(hash(path.join(home, where[0]!)), `run ${i}: ${id} intact`).toBe(h);
        const row = e.db.prepare('SELECT rel_path, archived FROM threads WHERE id = ?').get(id) as { rel_path: string; archived: number };
        expect(row.rel_path, `run ${i}: index of ${id}`).toBe(where[0]);
        expect(row.archived).toBe(where[0]!.startsWith('archived_sessions/') ? 1 : 0);
      }
      // And the user can finish what was interrupted.
      if (!finished && (e.db.prepare('SELECT archived FROM threads WHERE id = ?').get(tree.root) as { archived: number }).archived === 0) {
        await e.call('thread/archive', { threadId: tree.root });
      }
    }
    // The delays must have caught cascades mid-way, not only before or after.
    expect(outcomes).toContain('killed');
  }, 180_000);
});
