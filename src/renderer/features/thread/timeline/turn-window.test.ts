// The thread view's turn window (src/renderer/features/thread/timeline/turn-window.ts) against the
// real engine: it opens at the newest turns, pages to the first turn and back holding at most its
// maximum, is always an exact contiguous slice of the thread as the engine lists it, catches up
// with appended turns (refreshing the one still being written in place), starts over when the
// rollout is rewritten, and copes with codex's repeated legacy turn ids.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../../main/engine/engine.ts';
import { prng, uuidV7, writeRollout, type ThreadPlan } from '../../../../main/engine/demo/generate.ts';
import type { ThreadTurnsListParams, ThreadTurnsListResult, Turn } from '../../../../shared/protocol/index.ts';
import { TurnWindow, type TurnWindowState } from './turn-window.ts';

let root: string;
let engine: Engine;
let requests = 0;
const listTurns = (p: ThreadTurnsListParams): Promise<ThreadTurnsListResult> => {
  requests++;
  return engine.call('thread/turns/list', p);
};

const T0 = Date.parse('2026-01-10T00:00:00Z');
function plan(format: 'paginated' | 'legacy', turns: number, seed: number): ThreadPlan {
  const r = prng(seed);
  const createdMs = T0 + seed * 60_000;
  return {
    id: uuidV7(createdMs, r),
    createdMs,
    format,
    source: 'exec',
    cwd: '/home/dev/src/atlas-api',
    provider: 'mock',
    model: 'mock-model',
    effort: 'medium',
    git: null,
    prompt: `Thread ${seed}`,
    turns,
    archived: false,
    spawn: null,
  };
}

/** Writes the rollout of `p` (as if `turns` turns had been written so far) and returns its bytes. */
function rolloutBytes(home: string, p: ThreadPlan, turns: number, seed: number): { file: string; bytes: Buffer } {
  const scratch = fs.mkdtempSync(path.join(root, 'scratch-'));
  const out = writeRollout(scratch, { ...p, turns }, prng(seed + 1000), 40);
  const rel = path.relative(scratch, out.file);
  return { file: path.join(home, rel), bytes: fs.readFileSync(out.file) };
}

async function everyTurn(threadId: string): Promise<Turn[]> {
  const out: Turn[] = [];
  let cursor: string | null = null;
  do {
    const page: ThreadTurnsListResult = await engine.call('thread/turns/list', {
      threadId,
      sortDirection: 'asc',
      limit: 100,
      itemsView: 'full',
      ...(cursor ? { cursor } : {}),
    });
    out.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** The window holds an exact, contiguous slice of the thread, and knows when it touches either end. */
function expectSlice(s: TurnWindowState, all: Turn[]): number {
  const from = all.findIndex((t) => t.id === s.entries[0]!.turn.id);
  expect(from, 'first turn is in the thread').toBeGreaterThanOrEqual(0);
  expect(s.entries.map((e) => e.turn)).toEqual(all.slice(from, from + s.entries.length));
  expect(new Set(s.entries.map((e) => e.key)).size).toBe(s.entries.length);
  if (s.atStart) expect(from).toBe(0);
  if (s.atEnd) expect(from + s.entries.length).toBe(all.length);
  return from;
}

const homes: Record<string, { home: string; plan: ThreadPlan; seed: number }> = {};

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-turn-window-'));
  const home = path.join(root, 'home');
  const specs: [string, 'paginated' | 'legacy', number][] = [
    ['paginated', 'paginated', 420],
    ['legacy', 'legacy', 420],
    ['live', 'paginated', 30],
    ['rewrite', 'paginated', 40],
  ];
  for (const [name, format, turns] of specs) {
    const seed = Object.keys(homes).length + 1;
    const p = plan(format, turns, seed);
    const { file, bytes } = rolloutBytes(home, p, turns, seed);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
    homes[name] = { home, plan: p, seed };
  }
  engine = Engine.open({ home, dataDir: path.join(root, 'data'), parseWorkers: 0 });
  await engine.sync();
});
afterAll(async () => {
  await engine.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe.each(['paginated', 'legacy'])('a long %s thread', (name) => {
  it('opens at the newest turns, pages to the first turn and back, bounded and exact', async () => {
    const id = homes[name]!.plan.id;
    const all = await everyTurn(id);
    expect(all).toHaveLength(420);
    const w = new TurnWindow({ threadId: id, listTurns, pageSize: 25, maxTurns: 100 });
    await w.open();
    let s = w.getState();
    expect(s.status).toBe('ready');
    expect(s.atEnd).toBe(true);
    expect(s.atStart).toBe(false);
    expect(s.entries.map((e) => e.turn)).toEqual(all.slice(-25));

    // Scrolling up: the viewport sits at the top of the window; far pages below it are dropped.
    let max = 0;
    requests = 0;
    while (!w.getState().atStart) {
      w.setViewport(0, 3);
      await w.loadOlder();
      s = w.getState();
      expectSlice(s, all);
      max = Math.max(max, s.entries.length);
    }
    expect(s.entries[0]!.turn).toEqual(all[0]);
    expect(s.atEnd).toBe(false);
    expect(max).toBeLessThanOrEqual(100 + 25);
    expect(requests).toBe(Math.ceil((420 - 25) / 25));

    // And back down to the live end.
    while (!w.getState().atEnd) {
      const n = w.getState().entries.length;
      w.setViewport(n - 4, n - 1);
      await w.loadNewer();
      s = w.getState();
      expectSlice(s, all);
      max = Math.max(max, s.entries.length);
    }
    expect(s.entries[s.entries.length - 1]!.turn).toEqual(all[all.length - 1]);
    expect(max).toBeLessThanOrEqual(125);
    // At the end, a catch-up with nothing new changes nothing.
    const before = w.getState().entries;
    await w.loadNewer();
    expect(w.getState().entries).toEqual(before);
    w.cancel();
  });

  it('opens at a turn deep in the thread and joins the live end from there', async () => {
    const id = homes[name]!.plan.id;
    const all = await everyTurn(id);
    const target = all[123]!;
    const w = new TurnWindow({ threadId: id, listTurns, pageSize: 25, maxTurns: 100 });
    expect(await w.openAt(target.id)).toBe(true);
    let s = w.getState();
    // The turn has context on both sides, and the window is told where it opened.
    const at = s.entries.findIndex((e) => e.turn.id === target.id);
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(s.entries.length - 1);
    expect(s.openedAt).toBe(target.id);
    expect(s.atEnd).toBe(false);
    expectSlice(s, all);
    await w.loadOlder();
    expectSlice(w.getState(), all);
    while (!w.getState().atEnd) {
      const n = w.getState().entries.length;
      w.setViewport(n - 4, n - 1);
      await w.loadNewer();
      s = w.getState();
      expectSlice(s, all);
    }
    expect(s.entries[s.entries.length - 1]!.turn.id).toBe(all[all.length - 1]!.id);
    expect(await w.openAt('no-such-turn')).toBe(false);
    expect(w.getState().entries.map((e) => e.turn)).toEqual(all.slice(-25));
    // Opening again while a page is on its way: the late answer is dropped, nothing stays "loading".
    const late = w.loadOlder();
    expect(w.getState().loadingOlder).toBe(true);
    await w.open();
    await late;
    expect(w.getState().loadingOlder).toBe(false);
    expect(w.getState().entries.map((e) => e.turn)).toEqual(all.slice(-25));
    w.cancel();
  });
});

describe('live', () => {
  it('catches up with appended turns and refreshes the one still being written in place', async () => {
    const { home, plan: p, seed } = homes['live']!;
    const grown = rolloutBytes(home, p, 33, seed);
    const current = fs.readFileSync(grown.file);
    const extra = grown.bytes.subarray(current.length).toString('utf8').split('\n').filter(Boolean);
    // The first new turn, cut before the agent's answer.
    const cut = extra.findIndex((l) => l.includes('"AgentMessage"'));
    const w = new TurnWindow({ threadId: p.id, listTurns, pageSize: 25 });
    await w.open();
    const newestKey = w.getState().entries.at(-1)!.key;

    // Codex holds the thread's writer lock while it runs a turn (an flock, as codex takes it).
    const lockDir = path.join(home, 'thread-writer-locks');
    fs.mkdirSync(lockDir, { recursive: true });
    const lockFile = path.join(lockDir, `${p.id}.lock`);
    fs.writeFileSync(lockFile, '');
    const holder: ChildProcess = spawn('flock', [lockFile, 'sleep', '60'], { stdio: 'ignore' });
    try {
      await waitFor(() => fs.readFileSync('/proc/locks', 'utf8').includes(`:${fs.statSync(lockFile).ino} `));
      fs.appendFileSync(grown.file, `${extra.slice(0, cut).join('\n')}\n`);
      await engine.sync();
      await w.loadNewer();
      let s = w.getState();
      expect(s.entries).toHaveLength(26);
      expect(s.entries[24]!.key).toBe(newestKey);
      const open = s.entries[25]!;
      expect(open.turn.status).toBe('inProgress');
      expect(s.atEnd).toBe(true);

      fs.appendFileSync(grown.file, `${extra.slice(cut).join('\n')}\n`);
      holder.kill('SIGTERM');
      await new Promise((r) => holder.once('exit', r));
      fs.rmSync(lockFile);
      await engine.sync();
      requests = 0;
      await w.loadNewer();
      s = w.getState();
      const all = await everyTurn(p.id);
      expect(all).toHaveLength(33);
      expect(s.entries.map((e) => e.turn)).toEqual(all.slice(-28));
      // The turn that was being written kept its place (its key) and is now complete.
      const same = s.entries.find((e) => e.key === open.key)!;
      expect(same.turn.id).toBe(open.turn.id);
      expect(same.turn.status).toBe('completed');
      expect(same.turn.items.length).toBeGreaterThan(open.turn.items.length);
      // One catch-up, and one re-anchoring request after new turns arrived.
      expect(requests).toBe(2);
      expect(s.resyncs).toBe(0);
    } finally {
      if (holder.exitCode === null) holder.kill('SIGKILL');
    }
    w.cancel();
  });

  it('starts over when the rollout is rewritten under it', async () => {
    const { home, plan: p, seed } = homes['rewrite']!;
    const w = new TurnWindow({ threadId: p.id, listTurns, pageSize: 10 });
    await w.open();
    const file = rolloutBytes(home, p, 40, seed).file;
    // The same thread, rewritten with other turns (as a migration or a rollback would).
    fs.writeFileSync(file, rolloutBytes(home, p, 12, seed + 77).bytes);
    await engine.sync();
    await w.loadNewer();
    const s = w.getState();
    expect(s.resyncs).toBe(1);
    expect(s.status).toBe('ready');
    expect(s.entries.map((e) => e.turn)).toEqual((await everyTurn(p.id)).slice(-10));
    w.cancel();
  });
});

describe('repeated legacy turn ids', () => {
  it('matches codex’s first-occurrence anchors to the right turns', async () => {
    const home = path.join(root, 'home');
    const dir = path.join(home, 'sessions', '2026', '01', '09');
    fs.mkdirSync(dir, { recursive: true });
    const id = '11111111-2222-4333-8444-555555555555';
    const file = path.join(dir, `rollout-2026-01-09T10-00-00-${id}.jsonl`);
    const ts = '2026-01-09T10:00:00.000Z';
    const line = (type: string, payload: unknown): string => JSON.stringify({ timestamp: ts, type, payload });
    const turn = (turnId: string, at: number, text: string): string[] => [
      line('event_msg', { type: 'task_started', turn_id: turnId, started_at: at }),
      line('event_msg', { type: 'user_message', message: text, images: [], local_images: [], text_elements: [] }),
      line('event_msg', { type: 'agent_message', message: `re: ${text}` }),
      line('event_msg', { type: 'task_complete', turn_id: turnId, last_agent_message: `re: ${text}`, completed_at: at + 1 }),
    ];
    const meta = line('session_meta', {
      id,
      timestamp: ts,
      cwd: '/tmp',
      originator: 'codex_exec',
      cli_version: '0.98.0',
      source: 'exec',
      model_provider: 'mock',
    });
    fs.writeFileSync(
      file,
      `${[meta, ...turn('x', 100, 'one'), ...turn('a', 200, 'two'), ...turn('b', 300, 'three'), ...turn('a', 400, 'four')].join('\n')}\n`,
    );
    await engine.sync();
    const w = new TurnWindow({ threadId: id, listTurns, pageSize: 2 });
    await w.open();
    const texts = (): string[] => w.getState().entries.map((e) => (e.turn.items[0]!['content'] as { text: string }[])[0]!.text);
    expect(texts()).toEqual(['three', 'four']);
    // The newest turn's id also names an older turn: codex's cursor starts at that one.
    await w.loadNewer();
    expect(texts()).toEqual(['three', 'four']);
    expect(w.getState().resyncs).toBe(0);
    fs.appendFileSync(file, `${turn('c', 500, 'five').join('\n')}\n`);
    await engine.sync();
    await w.loadNewer();
    const s = w.getState();
    expect(texts().slice(-3)).toEqual(['three', 'four', 'five']);
    expectSlice(s, await everyTurn(id));
    // Paging back to the start.
    while (!w.getState().atStart) await w.loadOlder();
    expect(texts()).toEqual(['one', 'two', 'three', 'four', 'five']);
    w.cancel();
  });
});

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out');
}
