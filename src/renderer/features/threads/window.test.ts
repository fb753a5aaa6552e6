// The thread list's data layer (src/renderer/features/threads/window.ts) driven against the real
// engine on a generated home: it pages both ways without ever holding more than its maximum, and
// after the home changes (new rollouts, a rename, a deletion, an archive move) its rows are
// exactly the matching slice of a fresh listing — merged, not reloaded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine/engine.ts';
import { generateDemoHome } from '../../../main/engine/demo/generate.ts';
import { ALL_SOURCE_KINDS, type Thread, type ThreadListParams, type ThreadListResult } from '../../../shared/protocol/index.ts';
import { ThreadWindow } from './window.ts';
import { listAll as listEveryPage } from '../../../../test/support/list-all.ts';

let root: string;
let home: string;
let engine: Engine;
let requests = 0;

const everything = { modelProviders: [], sourceKinds: [...ALL_SOURCE_KINDS], includeEmptyPreview: true } satisfies ThreadListParams;
const list = (p: ThreadListParams): Promise<ThreadListResult> => {
  requests++;
  return engine.call('thread/list', p);
};

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-window-'));
  home = path.join(root, 'home');
  generateDemoHome({ home, threads: 1200, seed: 3, turnPaddingBytes: 50, nowMs: Date.parse('2026-01-10T00:00:00Z'), days: 60 });
  engine = Engine.open({ home, dataDir: path.join(root, 'data'), parseWorkers: 0 });
  await engine.sync();
});
afterAll(async () => {
  await engine.close();
});

const fullList = (params: ThreadListParams): Promise<Thread[]> => listEveryPage(engine, params);

/** The window is a contiguous slice of the list as the engine lists it now, and knows whether it touches either end. */
async function expectExactSlice(w: ThreadWindow, params: ThreadListParams): Promise<void> {
  const all = await fullList(params);
  const s = w.getState();
  const ids = all.map((t) => t.id);
  const from = ids.indexOf(s.rows[0]!.id);
  expect(from, 'first row is listed').toBeGreaterThanOrEqual(0);
  expect(s.rows.map((t) => t.id)).toEqual(ids.slice(from, from + s.rows.length));
  // Rows carry the engine's current data (names, times), not stale copies.
  expect(s.rows).toEqual(all.slice(from, from + s.rows.length));
  if (s.atStart) expect(from).toBe(0);
  if (s.atEnd) expect(from + s.rows.length).toBe(all.length);
}

function move(n: number, w: ThreadWindow, viewport: { first: number; size: number }, dir: 1 | -1): number {
  // The viewport moves over the rows; the window drops far rows (adjusting the index like the view's anchor does).
  const len = w.getState().rows.length;
  viewport.first = Math.max(0, Math.min(len - viewport.size, viewport.first + dir * n));
  const dropped = w.trim(viewport.first, viewport.first + viewport.size - 1);
  viewport.first -= dropped;
  return dropped;
}

describe('ThreadWindow on the real engine', () => {
  const params: ThreadListParams = { ...everything, sortKey: 'updated_at', sortDirection: 'desc' };

  it('opens with the first 50 rows, scrolls to the end and back with a bounded window, and jumps to either end', async () => {
    const all = await fullList(params);
    expect(all.length).toBeGreaterThan(1000);
    const w = new ThreadWindow(list, params, { firstPage: 50, page: 100, maxRows: 300 });
    await w.start();
    expect(w.getState().rows).toEqual(all.slice(0, 50));
    expect(w.getState().atStart).toBe(true);

    const seen: string[] = w
      .getState()
      .rows.slice(0, 20)
      .map((t) => t.id);
    const vp = { first: 0, size: 20 };
    let max = 0;
    for (let i = 0; i < 500 && !(w.getState().atEnd && vp.first + vp.size >= w.getState().rows.length); i++) {
      move(20, w, vp, 1);
      if (w.getState().rows.length - (vp.first + vp.size) < 30) await w.loadAfter();
      max = Math.max(max, w.getState().rows.length);
      for (const r of w.getState().rows.slice(vp.first, vp.first + vp.size))
        if (seen[seen.length - 1] !== r.id && !seen.includes(r.id)) seen.push(r.id);
    }
    expect(seen).toEqual(all.map((t) => t.id));
    expect(max).toBeLessThanOrEqual(300 + 100);
    expect(w.getState().atStart).toBe(false);
    await expectExactSlice(w, params);

    const back: string[] = [];
    const collect = (): void => {
      for (const r of [...w.getState().rows.slice(vp.first, vp.first + vp.size)].reverse()) if (!back.includes(r.id)) back.push(r.id);
    };
    collect();
    for (let i = 0; i < 500 && !(w.getState().atStart && vp.first === 0); i++) {
      move(20, w, vp, -1);
      if (vp.first < 30) {
        const before = w.getState().rows.length;
        await w.loadBefore();
        vp.first += w.getState().rows.length - before;
      }
      collect();
      expect(w.getState().rows.length).toBeLessThanOrEqual(400);
    }
    expect(back).toEqual(all.map((t) => t.id).reverse());
    await expectExactSlice(w, params);

    await w.jumpToEnd();
    expect(w.getState().rows).toEqual(all.slice(-50));
    expect(w.getState().atEnd).toBe(true);
    await w.loadBefore();
    expect(w.getState().rows).toEqual(all.slice(-150));
    await w.jumpToStart();
    expect(w.getState().rows).toEqual(all.slice(0, 50));
  });

  it('merges new rollouts, a rename, a deletion and an archive move without reloading', async () => {
    const w = new ThreadWindow(list, params, { maxRows: 300 });
    await w.start();
    await w.loadAfter();
    const firstIds = w.getState().rows.map((t) => t.id);

    // New rollouts, newer than everything: written by the generator into a scratch home and moved in.
    const extra = path.join(root, 'extra');
    const gen = generateDemoHome({
      home: extra,
      threads: 12,
      seed: 77,
      turnPaddingBytes: 50,
      nowMs: Date.parse('2026-02-01T00:00:00Z'),
      days: 1,
      treeFraction: 0,
      archivedFraction: 0,
    });
    fs.cpSync(path.join(extra, 'sessions'), path.join(home, 'sessions'), { recursive: true });
    await engine.sync();
    requests = 0;
    const r1 = await w.catchUp({ changed: gen.ids });
    expect(r1).toMatchObject({ added: 12, removed: 0, restarted: false });
    expect(requests).toBe(1);
    expect(
      new Set(
        w
          .getState()
          .rows.slice(0, 12)
          .map((t) => t.id),
      ),
    ).toEqual(new Set(gen.ids));
    expect(
      w
        .getState()
        .rows.slice(12)
        .map((t) => t.id),
    ).toEqual(firstIds);
    await expectExactSlice(w, params);

    // A rename made outside the app (codex appends to session_index.jsonl): the row changes in place.
    const target = w.getState().rows[40]!;
    fs.appendFileSync(
      path.join(home, 'session_index.jsonl'),
      `${JSON.stringify({ id: target.id, thread_name: 'Renamed outside', updated_at: new Date().toISOString() })}\n`,
    );
    const renamed = await engine.indexer.syncNames();
    expect(renamed).toEqual([target.id]);
    const r2 = await w.catchUp({ changed: renamed });
    expect(r2).toMatchObject({ added: 0, updated: 1, removed: 0 });
    expect(w.getState().rows[40]!.id).toBe(target.id);
    expect(w.getState().rows[40]!.name).toBe('Renamed outside');
    await expectExactSlice(w, params);

    // A deleted rollout and one moved to archived_sessions (as `codex archive` does) leave the list.
    const gone = w.getState().rows[60]!;
    const archived = w.getState().rows[61]!;
    fs.rmSync(gone.path!);
    fs.mkdirSync(path.join(home, 'archived_sessions'), { recursive: true });
    fs.renameSync(archived.path!, path.join(home, 'archived_sessions', path.basename(archived.path!)));
    await engine.sync();
    const r3 = await w.catchUp({ removed: [gone.id], changed: [archived.id], membership: true });
    expect(r3).toMatchObject({ removed: 2, added: 0 });
    expect(w.getState().rows.some((t) => t.id === gone.id || t.id === archived.id)).toBe(false);
    await expectExactSlice(w, params);

    // The archived list, windowed on its own, now holds it.
    const aw = new ThreadWindow(list, { ...params, archived: true });
    await aw.start();
    while (!aw.getState().atEnd) await aw.loadAfter();
    expect(aw.getState().rows.some((t) => t.id === archived.id)).toBe(true);
  });

  it('catches up in the middle of the list with the range it holds, and orders by created time ascending too', async () => {
    const asc: ThreadListParams = { ...everything, sortKey: 'created_at', sortDirection: 'asc' };
    const w = new ThreadWindow(list, asc, { maxRows: 200, page: 100 });
    await w.start();
    for (let i = 0; i < 4; i++) await w.loadAfter();
    const vp = { first: 300, size: 20 };
    move(0, w, vp, 1);
    expect(w.getState().atStart).toBe(false);
    await expectExactSlice(w, asc);
    const mid = w.getState().rows[50]!;
    fs.appendFileSync(
      path.join(home, 'session_index.jsonl'),
      `${JSON.stringify({ id: mid.id, thread_name: 'Mid-list rename', updated_at: new Date().toISOString() })}\n`,
    );
    await engine.indexer.syncNames();
    const r = await w.catchUp({ changed: [mid.id] });
    expect(r).toMatchObject({ updated: 1, added: 0, removed: 0 });
    expect(w.getState().rows.find((t) => t.id === mid.id)!.name).toBe('Mid-list rename');
    await expectExactSlice(w, asc);
  });

  it('reports a failed first page and recovers on the next catch-up', async () => {
    let fail = true;
    const flaky = (p: ThreadListParams): Promise<ThreadListResult> =>
      fail ? Promise.reject(new Error('connection to Spool lost')) : engine.call('thread/list', p);
    const w = new ThreadWindow(flaky, params);
    await w.start();
    expect(w.getState()).toMatchObject({ status: 'error', error: 'connection to Spool lost' });
    fail = false;
    await w.catchUp({ membership: true });
    expect(w.getState().status).toBe('ready');
    await expectExactSlice(w, params);
  });
});

describe('ThreadWindow while a home is being indexed', () => {
  it('takes in threads indexed after it opened, wherever they sort', async () => {
    const root2 = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-window-backfill-'));
    const h = path.join(root2, 'home');
    generateDemoHome({
      home: h,
      threads: 150,
      seed: 8,
      turnPaddingBytes: 50,
      nowMs: Date.parse('2026-01-10T00:00:00Z'),
      days: 30,
      treeFraction: 0,
    });
    // Index only the newer half first, as a backfill that has just started would have.
    const files = fs
      .readdirSync(path.join(h, 'sessions'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.jsonl'))
      .sort();
    const held = path.join(root2, 'held');
    const older = files.slice(0, Math.floor(files.length / 2));
    for (const f of older) {
      fs.mkdirSync(path.dirname(path.join(held, f)), { recursive: true });
      fs.renameSync(path.join(h, 'sessions', f), path.join(held, f));
    }
    const e = Engine.open({ home: h, dataDir: path.join(root2, 'data'), parseWorkers: 0 });
    try {
      await e.sync();
      const p: ThreadListParams = { ...everything, sortKey: 'created_at', sortDirection: 'desc' };
      const w = new ThreadWindow((q) => e.call('thread/list', q), p, { maxRows: 300 });
      await w.start();
      while (!w.getState().atEnd) await w.loadAfter();
      const before = w.getState().rows.length;
      // The rest is indexed: older threads, all below the window's first row.
      for (const f of older) fs.renameSync(path.join(held, f), path.join(h, 'sessions', f));
      const changed: string[] = [];
      const off = e.events.on((n) => {
        if (n.method === 'spool/index/changed') changed.push(...n.params.threadIds);
      });
      await e.sync();
      off();
      const r = await w.catchUp({ changed });
      expect(r?.added).toBe(older.length);
      expect(w.getState().rows.length).toBe(before + older.length);
      const all: Thread[] = [];
      let cursor: string | null = null;
      do {
        const page: ThreadListResult = await e.call('thread/list', { ...p, limit: 100, ...(cursor ? { cursor } : {}) });
        all.push(...page.data);
        cursor = page.nextCursor;
      } while (cursor);
      expect(w.getState().rows.map((t) => t.id)).toEqual(all.map((t) => t.id));
    } finally {
      await e.close();
    }
  });
});
