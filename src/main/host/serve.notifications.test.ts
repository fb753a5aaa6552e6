// Over `spool serve`'s WebSocket, through the router and the engine worker: a mutation's answer
// arrives before its notifications, as from codex, and each notification carries codex's
// `emittedAtMs` stamp.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineSession } from './engine-session.ts';
import { startServer, type RunningServer } from './serve.ts';
import type { ThreadListResult } from '../../shared/protocol/index.ts';
import { copyHome, realHome, STANDARD_HOME } from '../../../test/support/real-home.ts';

let session: EngineSession;
let server: RunningServer;
let root: string;

beforeAll(async () => {
  const home = copyHome(realHome(...STANDARD_HOME).home);
  session = await EngineSession.start({ home, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'spool-ws-')), parseWorkers: 0, live: true });
  // The live engine indexes in the background: wait for the threads.
  for (let i = 0; i < 200; i++) {
    const page = await session.call('thread/list', {
      parentThreadId: null,
      ancestorThreadId: null,
      sourceKinds: ['subAgent'],
      modelProviders: [],
    });
    const child = page.data[0]?.extra?.spool.spawnParentId;
    if (child) {
      root = child;
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  server = await startServer({ engine: session, rendererDir: fs.mkdtempSync(path.join(os.tmpdir(), 'spool-ws-ui-')) });
});
afterAll(async () => {
  await server?.close();
  await session?.close();
});

function connect(): Promise<{ ws: WebSocket; messages: Record<string, unknown>[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`);
  const messages: Record<string, unknown>[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Record<string, unknown>));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages }));
    ws.once('error', reject);
  });
}

describe('thread mutations over the WebSocket', () => {
  it('answer first, then one stamped thread/archived per thread, then the index change', async () => {
    expect(root).toBeDefined();
    const { ws, messages } = await connect();
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'thread/archive', params: { threadId: root } }));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !messages.some((m) => m['method'] === 'spool/index/changed'))
      await new Promise((r) => setTimeout(r, 20));
    const relevant = messages.filter((m) => m['id'] === 1 || m['method'] === 'thread/archived' || m['method'] === 'spool/index/changed');
    expect(relevant[0]).toEqual({ jsonrpc: '2.0', id: 1, result: {} });
    const archived = relevant.filter((m) => m['method'] === 'thread/archived');
    expect(archived.length).toBeGreaterThan(1);
    expect((archived[0]!['params'] as { threadId: string }).threadId).toBe(root);
    for (const m of relevant.slice(1)) expect(typeof m['emittedAtMs']).toBe('number');
    expect(relevant.at(-1)!['method']).toBe('spool/index/changed');

    ws.send(
      JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'thread/list', params: { archived: true, sourceKinds: [], modelProviders: [] } }),
    );
    while (Date.now() < deadline && !messages.some((m) => m['id'] === 2)) await new Promise((r) => setTimeout(r, 20));
    const list = messages.find((m) => m['id'] === 2)!['result'] as ThreadListResult;
    expect(list.data.map((t) => t.id)).toContain(root);
    ws.close();
  });
});
