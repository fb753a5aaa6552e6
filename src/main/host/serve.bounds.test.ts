// The browser host's bounds, each proven against the real server and the real engine: message
// size, request rate (changes more tightly), requests in flight, queued requests and sockets.
import type { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineSession } from './engine-session.ts';
import { MAX_IN_FLIGHT, MAX_MESSAGE_BYTES, MAX_SOCKETS, RATE_BURST, startServer, type RunningServer } from './serve.ts';
import { answers, clientsOf, closeFixture, startFixture, until } from './serve.fixture.ts';

let session: EngineSession;
let server: RunningServer;
let rendererDir: string;

beforeAll(async () => {
  ({ session, server, rendererDir } = await startFixture());
});
afterAll(() => closeFixture({ server, session }));

const { connect, open } = clientsOf(() => server);

describe('bounds', () => {
  it('closes a socket sending a frame over the size bound (1009); the host stays up', async () => {
    const { ws } = await open();
    const closed = new Promise<number>((r) => ws.once('close', r));
    ws.send(JSON.stringify({ id: 1, method: 'thread/list', params: { searchTerm: 'x'.repeat(MAX_MESSAGE_BYTES) } }));
    expect(await closed).toBe(1009);
    // Just under the bound: answered (a schema error, as the term is too long).
    const again = await open();
    again.ws.send(JSON.stringify({ id: 2, method: 'thread/list', params: { searchTerm: 'x'.repeat(MAX_MESSAGE_BYTES - 100) } }));
    await until(() => answers(again.messages).length === 1);
    expect(answers(again.messages)[0]).toMatchObject({ id: 2, error: { code: -32600 } });
    again.ws.send(JSON.stringify({ id: 3, method: 'thread/list', params: { limit: 1 } }));
    await until(() => answers(again.messages).length === 2);
    expect(answers(again.messages)[1]).toMatchObject({ id: 3, result: { data: [expect.any(Object)] } });
    again.ws.close();
  });

  it('answers a burst past the rate bound with JSON-RPC errors, then serves again once the bucket refills', async () => {
    const { ws, messages } = await open();
    const n = RATE_BURST + 500;
    for (let i = 0; i < n; i++) ws.send(JSON.stringify({ id: i, method: 'host/info' }));
    await until(() => messages.length >= n, 30_000);
    const limited = messages.filter((m) => (m['error'] as { message?: string } | undefined)?.message?.startsWith('rate limit exceeded'));
    const served = messages.filter((m) => 'result' in m);
    expect(limited.length).toBeGreaterThan(0);
    expect(served.length).toBeGreaterThanOrEqual(RATE_BURST);
    expect(served.length + limited.length).toBe(n);
    // Each refusal answers its own request (the client's pending call fails rather than hangs).
    for (const m of limited) expect(m).toMatchObject({ jsonrpc: '2.0', id: expect.any(Number), error: { code: -32600 } });
    expect(new Set(messages.map((m) => m['id'])).size).toBe(n);
    await new Promise((r) => setTimeout(r, 200));
    ws.send(JSON.stringify({ id: 'after', method: 'host/info' }));
    await until(() => messages.some((m) => m['id'] === 'after'));
    expect(messages.find((m) => m['id'] === 'after')).toMatchObject({ result: { host: 'browser' } });
    ws.close();
  });

  it('bounds a smaller configured rate the same way', async () => {
    const slow = await startServer({ engine: session, rendererDir, rate: { burst: 10, perSecond: 5 } });
    try {
      const { ws, messages } = await open(slow);
      for (let i = 0; i < 30; i++) ws.send(JSON.stringify({ id: i, method: 'host/info' }));
      await until(() => messages.length >= 30);
      expect(messages.filter((m) => 'result' in m).length).toBeLessThanOrEqual(11);
      ws.close();
    } finally {
      await slow.close();
    }
  });

  it('bounds changes (archive, rename, git edits, bulk…) more tightly', async () => {
    const tight = await startServer({ engine: session, rendererDir, mutationRate: { burst: 3, perSecond: 1 } });
    try {
      const { ws, messages } = await open(tight);
      // Dry runs of a close change nothing, but count as changes for the bound (the method does).
      for (let i = 0; i < 10; i++)
        ws.send(
          JSON.stringify({ id: i, method: 'thread/close', params: { threadId: '019a0000-0000-7000-8000-000000000000', dryRun: true } }),
        );
      for (let i = 10; i < 20; i++) ws.send(JSON.stringify({ id: i, method: 'thread/list', params: { limit: 1 } }));
      await until(() => answers(messages).length >= 20);
      const limited = messages.filter((m) =>
        (m['error'] as { message?: string } | undefined)?.message?.startsWith('too many changes at once'),
      );
      expect(limited.length).toBeGreaterThanOrEqual(6);
      for (const m of limited) expect(m['id']).toBeLessThan(10);
      // Reads are not held back by it.
      expect(messages.filter((m) => typeof m['id'] === 'number' && m['id'] >= 10 && 'result' in m)).toHaveLength(10);
      ws.close();
    } finally {
      await tight.close();
    }
  });

  it('answers a pipelined flood in full: requests past the in-flight bound wait their turn', async () => {
    const { ws, messages } = await open();
    const n = MAX_IN_FLIGHT * 4;
    for (let i = 0; i < n; i++) ws.send(JSON.stringify({ id: i, method: 'thread/list', params: { limit: 50, searchTerm: 'e' } }));
    await until(() => answers(messages).length >= n, 30_000);
    expect(answers(messages).filter((m) => 'result' in m)).toHaveLength(n);
    ws.close();
  });

  it('refuses requests past the queue bound with a JSON-RPC error rather than holding them', async () => {
    const tight = await startServer({ engine: session, rendererDir, bounds: { inFlight: 1, queuedBytes: 2000 } });
    try {
      const { ws, messages } = await open(tight);
      const n = 100;
      for (let i = 0; i < n; i++) ws.send(JSON.stringify({ id: i, method: 'thread/list', params: { limit: 50, searchTerm: 'e' } }));
      await until(() => answers(messages).length >= n, 30_000);
      const refused = messages.filter((m) =>
        (m['error'] as { message?: string } | undefined)?.message?.startsWith('too many requests waiting'),
      );
      expect(refused.length).toBeGreaterThan(0);
      for (const m of refused) expect(m).toMatchObject({ jsonrpc: '2.0', id: expect.any(Number), error: { code: -32600 } });
      expect(messages.filter((m) => 'result' in m).length).toBe(n - refused.length);
      ws.close();
    } finally {
      await tight.close();
    }
  });

  it('refuses sockets past the bound with 503', async () => {
    const open_: WebSocket[] = [];
    try {
      // Sockets of earlier tests may still be closing: fill up to the bound, whatever is open.
      for (let i = 0; i < MAX_SOCKETS + 2; i++) {
        const c = await connect(`?token=${server.token}`);
        if (!('ws' in c)) {
          expect(c.status).toBe(503);
          expect(open_.length).toBeLessThanOrEqual(MAX_SOCKETS);
          expect(open_.length).toBeGreaterThan(MAX_SOCKETS - 5);
          return;
        }
        open_.push(c.ws);
      }
      throw new Error('no socket was refused');
    } finally {
      for (const w of open_) w.close();
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});
