// The browser host's POST /rpc, the page's first request over plain HTTP, proven against the real
// server and the real engine: it answers reads as the socket does, and only reads, only with the
// token, only from this origin, only declared JSON, within the size and rate bounds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineSession } from './engine-session.ts';
import { CONTENT_SECURITY_POLICY, MAX_MESSAGE_BYTES, startServer, type RunningServer } from './serve.ts';
import { answers, clientsOf, closeFixture, startFixture, until } from './serve.fixture.ts';

let session: EngineSession;
let server: RunningServer;
let rendererDir: string;

beforeAll(async () => {
  ({ session, server, rendererDir } = await startFixture());
});
afterAll(() => closeFixture({ server, session }));

const { open, post } = clientsOf(() => server);

describe('POST /rpc (reads over plain HTTP, for the page’s first request)', () => {
  const firstPage = {
    sortKey: 'updated_at',
    sortDirection: 'desc',
    archived: false,
    sourceKinds: ['cli', 'vscode', 'exec', 'appServer', 'unknown', 'subAgent'],
    modelProviders: [],
    includeEmptyPreview: true,
    limit: 50,
  };

  it('answers a read exactly as the socket does', async () => {
    const request = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'thread/list', params: firstPage });
    const r = await post(request, { headers: { Origin: `http://127.0.0.1:${server.port}` } });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    const viaHttp = JSON.parse(r.body) as { id: number; result: { data: { id: string }[] } };
    expect(viaHttp.id).toBe(7);
    expect(viaHttp.result.data.length).toBeGreaterThan(0);

    const { ws, messages } = await open();
    ws.send(request);
    await until(() => answers(messages).length === 1);
    ws.close();
    expect(viaHttp).toEqual(answers(messages)[0]);
  });

  it('needs the token in the URL: none, a wrong one, or only the page’s cookie get 401', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'thread/list', params: firstPage });
    expect((await post(body, { query: '' })).status).toBe(401);
    expect((await post(body, { query: `?token=${server.token}x` })).status).toBe(401);
    expect((await post(body, { query: '', headers: { Cookie: `spool_token=${server.token}` } })).status).toBe(401);
  });

  it('refuses another origin (403) and any body that is not declared JSON (415): a cross-site form or a simple fetch cannot get in', async () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'thread/list', params: firstPage });
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`])
      expect((await post(body, { headers: { Origin: origin } })).status, origin).toBe(403);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''])
      expect((await post(body, { headers: { 'Content-Type': type } })).status, type).toBe(415);
  });

  it('refuses changes (they go over the socket), answers malformed requests with JSON-RPC errors, and bounds the size', async () => {
    const archive = JSON.parse(
      (
        await post(
          JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'thread/archive', params: { threadId: '00000000-0000-0000-0000-000000000000' } }),
        )
      ).body,
    ) as { id: number; error: { code: number; message: string } };
    expect(archive).toMatchObject({ id: 3, error: { code: -32600, message: expect.stringMatching(/WebSocket/) } });
    expect(JSON.parse((await post('{not json')).body)).toMatchObject({ id: null, error: { code: -32700 } });
    expect(JSON.parse((await post(JSON.stringify({ jsonrpc: '2.0', method: 'thread/list', params: firstPage }))).body)).toMatchObject({
      id: null,
      error: { code: -32600 },
    });
    // Bad params and unknown methods: the same error answers as over the socket.
    const bad = [
      { jsonrpc: '2.0', id: 4, method: 'thread/list', params: { limit: 'many' } },
      { jsonrpc: '2.0', id: 5, method: 'no/such' },
    ];
    const { ws, messages } = await open();
    for (const b of bad) ws.send(JSON.stringify(b));
    await until(() => answers(messages).length === bad.length);
    ws.close();
    for (const b of bad) {
      const viaHttp = JSON.parse((await post(JSON.stringify(b))).body) as { error?: unknown };
      expect(viaHttp.error, b.method).toBeDefined();
      expect(viaHttp).toEqual(answers(messages).find((m) => m['id'] === b.id));
    }
    const huge = JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'thread/list', params: { searchTerm: 'x'.repeat(MAX_MESSAGE_BYTES) } });
    expect((await post(huge)).status).toBe(413);
    expect((await post(JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'thread/list', params: firstPage }))).status).toBe(200);
  });

  it('is rate-bounded like a socket', async () => {
    const s = await startServer({ engine: session, rendererDir, rate: { burst: 5, perSecond: 1 } });
    try {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'thread/list', params: { ...firstPage, limit: 1 } });
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await post(body, { s })).status);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
    } finally {
      await s.close();
    }
  });
});
