// The renderer's boot prefetch (src/renderer/main.ts, bridge/prefetch.ts) against the real engine,
// behind the same router the Electron IPC and the WebSocket host use: the boot asks for exactly the
// request the thread window opens with; the window is born with that answer when it is already
// here, or waits for it, instead of asking again; a change announced in between makes the window
// ask afresh, so it cannot show a stale first page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../main/engine/engine.ts';
import { generateDemoHome } from '../../main/engine/demo/generate.ts';
import { createRouter } from '../../main/rpc/router.ts';
import type { RawBridge, SpoolBridge } from '../../shared/bridge.ts';
import type { ThreadListParams, ThreadListResult } from '../../shared/protocol/index.ts';
import { ErrorCode, RpcError } from '../../shared/jsonrpc.ts';
import { DEFAULT_FILTERS, listParams, type ListFilters } from '../app/route.ts';
import { firstPageRequest, LIST_CHANGING_NOTIFICATIONS } from '../features/threads/first-page.ts';
import { ThreadWindow } from '../features/threads/window.ts';
import { createPrefetcher, requestKey, type Prefetcher } from './prefetch.ts';
import { validatedBridge } from './validated.ts';

let root: string;
let home: string;
let engine: Engine;
/** thread/list requests that reached the engine through the raw line. */
const listCalls: unknown[] = [];
let early: Prefetcher;
let bridge: SpoolBridge;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-prefetch-'));
  home = path.join(root, 'home');
  generateDemoHome({ home, threads: 300, seed: 5, turnPaddingBytes: 50, nowMs: Date.parse('2026-01-10T00:00:00Z'), days: 30 });
  engine = Engine.open({ home, dataDir: path.join(root, 'data'), parseWorkers: 0 });
  await engine.sync();
  const router = createRouter({ engine });
  let id = 1;
  // What Electron's preload gives the page: JSON-RPC envelopes in, envelopes and notifications out.
  const spool: RawBridge = {
    request: (method, params) => {
      if (method === 'thread/list') listCalls.push(params);
      return router.handle({ jsonrpc: '2.0', id: id++, method, params });
    },
    subscribe: (listener) => engine.events.on(listener),
  };
  // Wired as src/renderer/bridge/raw.ts and index.ts wire them over the page's line.
  early = createPrefetcher(spool);
  bridge = validatedBridge(spool, early.take);
});
afterAll(async () => {
  await engine.close();
});

const list = (p: ThreadListParams): Promise<ThreadListResult> => bridge.request('thread/list', p);
const windowOn = (params: ThreadListParams): ThreadWindow => new ThreadWindow(list, params);
async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(ok()).toBe(true);
}
const firstPageNow = async (params: ThreadListParams): Promise<string[]> =>
  (await engine.call('thread/list', firstPageRequest(params))).data.map((t) => t.id);

const FILTER_MIXES: Partial<ListFilters>[] = [
  {},
  { sort: 'created', dir: 'asc' },
  { sort: 'recency', archived: true },
  { cwds: ['/home/dev/src/auth-gateway'], providers: ['openai'] },
  { kinds: ['exec', 'cli'], subAgents: 'hidden' },
  { q: 'retry', scope: 'titles' },
  { q: 'retry', scope: 'messages', from: '2025-12-20', to: '2026-01-05' },
];

describe('first page prefetch', () => {
  it('the boot asks for exactly the request the thread window opens with', async () => {
    for (const mix of FILTER_MIXES) {
      const params = listParams({ ...DEFAULT_FILTERS, ...mix });
      const asked: ThreadListParams[] = [];
      const w = new ThreadWindow(async (p) => {
        asked.push(p);
        return engine.call('thread/list', p);
      }, params);
      await w.start();
      expect(asked).toHaveLength(1);
      expect(requestKey('thread/list', asked[0]), JSON.stringify(mix)).toBe(requestKey('thread/list', firstPageRequest(params)));
    }
  });

  it('a request is the same whatever order its members were written in, and differs when a value does', () => {
    expect(requestKey('thread/list', { limit: 50, sortKey: 'updated_at', cwd: ['/a', '/b'] })).toBe(
      requestKey('thread/list', { cwd: ['/a', '/b'], sortKey: 'updated_at', limit: 50 }),
    );
    expect(requestKey('thread/list', { cwd: ['/a', '/b'] })).not.toBe(requestKey('thread/list', { cwd: ['/b', '/a'] }));
    expect(requestKey('thread/list', { limit: 50 })).not.toBe(requestKey('thread/read', { limit: 50 }));
  });

  it('a window is born with the prefetched page when it is already here, and takes it once', async () => {
    const params = listParams(DEFAULT_FILTERS);
    listCalls.length = 0;
    const answered = early.prefetch('thread/list', firstPageRequest(params), LIST_CHANGING_NOTIFICATIONS);
    expect(listCalls).toHaveLength(1);
    await answered;

    const first = bridge.takePrefetched('thread/list', firstPageRequest(params));
    expect(first?.ready).toBeDefined();
    const w = new ThreadWindow(list, params, first ? { first } : {});
    // Before any effect runs: what the app's first render shows.
    expect(w.getState().status).toBe('ready');
    expect(w.getState().rows.map((t) => t.id)).toEqual(await firstPageNow(params));
    expect(w.open()).toBe(true);
    expect(listCalls).toHaveLength(1);

    // Taken: another window on the same query (React's dev StrictMode, a retry) asks the engine.
    expect(bridge.takePrefetched('thread/list', firstPageRequest(params))).toBeUndefined();
    expect(windowOn(params).open()).toBe(false);
    await until(() => listCalls.length === 2);
  });

  it('not here yet, the window waits for the prefetched answer instead of asking again', async () => {
    const params = listParams({ ...DEFAULT_FILTERS, sort: 'created' });
    listCalls.length = 0;
    early.prefetch('thread/list', firstPageRequest(params), LIST_CHANGING_NOTIFICATIONS);
    const first = bridge.takePrefetched('thread/list', firstPageRequest(params));
    expect(first).toBeDefined();
    expect(first?.ready).toBeUndefined();
    const w = new ThreadWindow(list, params, first ? { first } : {});
    expect(w.getState().status).toBe('loading');
    expect(w.open()).toBe(true);
    await until(() => w.getState().status === 'ready');
    expect(w.getState().rows.map((t) => t.id)).toEqual(await firstPageNow(params));
    expect(listCalls).toHaveLength(1);
  });

  it('a failed early answer makes the window ask the engine', async () => {
    const params = listParams(DEFAULT_FILTERS);
    listCalls.length = 0;
    const failed = Promise.reject(new RpcError(ErrorCode.Internal, 'connection to Spool lost'));
    const w = new ThreadWindow(list, params, { first: { ready: undefined, answer: failed } });
    expect(w.open()).toBe(true);
    await until(() => w.getState().status === 'ready');
    expect(listCalls).toHaveLength(1);
    expect(w.getState().rows.map((t) => t.id)).toEqual(await firstPageNow(params));
  });

  it('another query does not take it', async () => {
    const params = listParams(DEFAULT_FILTERS);
    const other = listParams({ ...DEFAULT_FILTERS, sort: 'recency' });
    listCalls.length = 0;
    early.prefetch('thread/list', firstPageRequest(params), LIST_CHANGING_NOTIFICATIONS);
    expect(bridge.takePrefetched('thread/list', firstPageRequest(other))).toBeUndefined();
    expect(bridge.takePrefetched('thread/list', firstPageRequest(params))).toBeDefined();
    expect(bridge.takePrefetched('thread/list', firstPageRequest(params))).toBeUndefined();
  });

  it('a change announced after the prefetch discards it: the window asks afresh and shows the change', async () => {
    const params = listParams(DEFAULT_FILTERS);
    listCalls.length = 0;
    early.prefetch('thread/list', firstPageRequest(params), LIST_CHANGING_NOTIFICATIONS);
    const before = await firstPageNow(params);

    // New rollouts, newer than everything, indexed while the app's bundle would still be loading.
    const extra = path.join(root, 'extra');
    const gen = generateDemoHome({
      home: extra,
      threads: 3,
      seed: 91,
      turnPaddingBytes: 50,
      nowMs: Date.parse('2026-02-01T00:00:00Z'),
      days: 1,
      treeFraction: 0,
      archivedFraction: 0,
    });
    fs.cpSync(path.join(extra, 'sessions'), path.join(home, 'sessions'), { recursive: true });
    await engine.sync();

    expect(bridge.takePrefetched('thread/list', firstPageRequest(params))).toBeUndefined();
    const w = windowOn(params);
    expect(w.open()).toBe(false);
    await until(() => w.getState().status === 'ready');
    expect(listCalls).toHaveLength(2);
    const ids = w.getState().rows.map((t) => t.id);
    expect(new Set(ids.slice(0, 3))).toEqual(new Set(gen.ids));
    expect(ids).not.toEqual(before);
    expect(ids).toEqual(await firstPageNow(params));
  });
});
