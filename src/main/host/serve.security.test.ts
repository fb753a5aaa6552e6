// The browser host's defences, each proven against the real server and the real engine: loopback
// only; the token (constant-time) for the page and for the socket; the socket's Origin; bounded
// message size, rate, requests in flight and sockets; bad URLs; and a damaged index reported to
// every client that connects, not only to the terminal.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EngineSession } from './engine-session.ts';
import {
  CONTENT_SECURITY_POLICY,
  MAX_IN_FLIGHT,
  MAX_MESSAGE_BYTES,
  MAX_SOCKETS,
  RATE_BURST,
  startServer,
  tokenMatches,
  type RunningServer,
} from './serve.ts';
import { copyHome, realHome, STANDARD_HOME } from '../../../test/support/real-home.ts';
import { tmpDir } from '../../../test/support/tmp.ts';
import { indexedSession } from '../../../test/support/indexed-session.ts';

let session: EngineSession;
let server: RunningServer;
let rendererDir: string;
let home: string;

beforeAll(async () => {
  home = copyHome(realHome(...STANDARD_HOME).home, tmpDir('spool-sec-home-'));
  session = await indexedSession(home, tmpDir('spool-sec-data-'));
  rendererDir = tmpDir('spool-sec-ui-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Spool</title>');
  fs.writeFileSync(path.join(rendererDir, 'app.js'), 'console.log(1)');
  server = await startServer({ engine: session, rendererDir });
});
afterAll(async () => {
  await server?.close();
  await session?.close();
});

function get(
  urlPath: string,
  headers: Record<string, string> = {},
  port = server.port,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket; resolves with it, or with the HTTP status the upgrade was refused with. */
function connect(
  query: string,
  headers: Record<string, string> = {},
  s = server,
): Promise<{ ws: WebSocket; messages: Record<string, unknown>[] } | { status: number }> {
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/rpc${query}`, { headers });
  const messages: Record<string, unknown>[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Record<string, unknown>));
  return new Promise((resolve) => {
    ws.once('open', () => resolve({ ws, messages }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', () => resolve({ status: -1 }));
  });
}

async function open(s = server): Promise<{ ws: WebSocket; messages: Record<string, unknown>[] }> {
  const c = await connect(`?token=${s.token}`, {}, s);
  if (!('ws' in c)) throw new Error(`socket refused: ${c.status}`);
  return c;
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const answers = (messages: Record<string, unknown>[]): Record<string, unknown>[] => messages.filter((m) => 'id' in m);

describe('loopback only', () => {
  it('listens on 127.0.0.1 by default, and on ::1 when asked', async () => {
    expect(server.address).toBe('127.0.0.1');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const v6 = await startServer({ engine: session, rendererDir, bindHost: '::1' });
    try {
      expect(v6.address).toBe('::1');
      expect(v6.url).toMatch(/^http:\/\/\[::1\]:\d+\//);
    } finally {
      await v6.close();
    }
  });

  it('refuses to bind any other address', async () => {
    for (const bindHost of ['0.0.0.0', '::', '192.0.2.2', 'example.com', '127.0.0.1 ', '']) {
      await expect(startServer({ engine: session, rendererDir, bindHost }), bindHost).rejects.toThrow(/loopback only/);
    }
  });

  it('is not reachable on the machine’s other interfaces', async () => {
    const { networkInterfaces } = await import('node:os');
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && !i.internal && i.family === 'IPv4');
    // Every machine this runs on has one (CI containers included); if not, there is nothing to reach.
    expect(external, 'a non-loopback IPv4 interface').toBeDefined();
    const err = await new Promise<string>((resolve) => {
      const sock = net.connect({ host: external!.address, port: server.port });
      sock.once('connect', () => {
        sock.destroy();
        resolve('connected');
      });
      sock.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(err).toBe('ECONNREFUSED');
  });
});

describe('the token', () => {
  const wrongTokens = (t: string): [string, string][] => [
    ['missing', ''],
    ['empty', '?token='],
    ['wrong, same length', `?token=${'A'.repeat(t.length)}`],
    ['one character off', `?token=${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`],
    ['a prefix', `?token=${t.slice(0, 8)}`],
    ['longer', `?token=${t}x`],
    ['much longer', `?token=${t.repeat(50)}`],
    ['case changed', `?token=${t.toUpperCase() === t ? t.toLowerCase() : t.toUpperCase()}`],
  ];

  it('the page and its assets need it (query or the HttpOnly cookie); every wrong one gets 401', async () => {
    for (const [what, q] of wrongTokens(server.token)) {
      expect((await get(`/${q}`)).status, what).toBe(401);
      expect((await get(`/app.js${q}`)).status, what).toBe(401);
      expect((await get('/app.js', { Cookie: `spool_token=${encodeURIComponent(q.slice(7))}` })).status, `cookie ${what}`).toBe(401);
    }
    const page = await get(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['set-cookie']?.[0]).toMatch(/^spool_token=[^;]+; HttpOnly; SameSite=Strict; Path=\//);
    expect((await get('/app.js', { Cookie: `spool_token=${encodeURIComponent(server.token)}` })).status).toBe(200);
  });

  it('the socket needs it in the URL (a cookie is not enough); every wrong one is refused with 401', async () => {
    for (const [what, q] of wrongTokens(server.token)) expect(await connect(q), what).toEqual({ status: 401 });
    expect(await connect('', { Cookie: `spool_token=${server.token}` })).toEqual({ status: 401 });
    const ok = await open();
    ok.ws.close();
  });

  it('is compared in constant time: timingSafeEqual on equal-length digests, whatever the length presented', () => {
    const spy = vi.spyOn(crypto, 'timingSafeEqual');
    try {
      const token = 'secret-token-0123456789';
      for (const presented of ['', 's', 'secret-token-012345678', token, `${token}x`, 'x'.repeat(10_000), 'é'.repeat(7)]) {
        expect(tokenMatches(presented, token)).toBe(presented === token);
        const [a, b] = spy.mock.lastCall as [Buffer, Buffer];
        expect(a.length).toBe(b.length);
      }
      expect(spy).toHaveBeenCalledTimes(7);
      expect(tokenMatches(null, token)).toBe(false);
      expect(tokenMatches(undefined, token)).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the socket’s Origin', () => {
  it('refuses a foreign origin, the opaque "null" origin, and another port of this host; admits this server’s', async () => {
    const t = `?token=${server.token}`;
    for (const origin of [
      'https://evil.example',
      'null',
      'http://127.0.0.1',
      `http://127.0.0.1:${server.port + 1}`,
      `http://localhost.evil.example:${server.port}`,
      `https://127.0.0.1:${server.port}`,
      'file://',
    ]) {
      expect(await connect(t, { Origin: origin }), origin).toEqual({ status: 403 });
    }
    for (const origin of [`http://127.0.0.1:${server.port}`, `http://localhost:${server.port}`]) {
      const c = await connect(t, { Origin: origin });
      expect('ws' in c, origin).toBe(true);
      if ('ws' in c) c.ws.close();
    }
  });

  it('admits a client that sends no Origin (a tool, not a browser: browsers always send one) only with the token', async () => {
    expect(await connect('')).toEqual({ status: 401 });
    const c = await connect(`?token=${server.token}`);
    expect('ws' in c).toBe(true);
    if ('ws' in c) c.ws.close();
  });
});

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

/** A `POST /rpc`, as the page's boot code sends it unless the test says otherwise. */
function post(
  body: string,
  opts: { query?: string; headers?: Record<string, string>; s?: RunningServer } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const s = opts.s ?? server;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: s.port,
        path: `/rpc${opts.query ?? `?token=${s.token}`}`,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...opts.headers },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

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

describe('bad requests', () => {
  it('answers malformed escapes with 400, traversal with 404, other methods with 405, and stays up', async () => {
    const t = `token=${server.token}`;
    expect((await get(`/%E0%A4%A?${t}`)).status).toBe(400);
    expect((await get(`/%?${t}`)).status).toBe(400);
    expect((await get(`/a%00b?${t}`)).status).toBe(400);
    for (const p of [
      '/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
      '/%2F..%2F..%2Fetc%2Fpasswd',
      '/....//....//etc/passwd',
    ]) {
      const r = await get(`${p}?${t}`);
      expect(r.status, p).toBe(404);
      expect(r.body).not.toMatch(/root:/);
    }
    const post = await new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, path: `/?${t}`, method: 'POST' }, (res) =>
        resolve(res.statusCode ?? 0),
      );
      req.end('x');
    });
    expect(post).toBe(405);
    expect((await get(`/?${t}`)).status).toBe(200);
  });
});

describe('startup messages', () => {
  it('a client that connects later still hears that the index was damaged and rebuilt', async () => {
    const dataDir = tmpDir('spool-sec-corrupt-');
    fs.writeFileSync(path.join(dataDir, 'index.sqlite'), Buffer.alloc(8192, 0x42));
    const damaged = await EngineSession.start({ home, dataDir, parseWorkers: 0, live: false });
    const s = await startServer({ engine: damaged, rendererDir, startupMessages: () => damaged.startupMessages });
    try {
      expect(damaged.startupMessages).toHaveLength(1);
      for (let i = 0; i < 2; i++) {
        const { ws, messages } = await open(s);
        await until(() => messages.length >= 1);
        expect(messages[0]).toMatchObject({
          jsonrpc: '2.0',
          method: 'spool/message',
          params: { level: 'warning', text: expect.stringMatching(/index was damaged/) },
        });
        ws.close();
      }
    } finally {
      await s.close();
      await damaged.close();
    }
  });
});
