// The browser host's doors, each proven against the real server and the real engine: loopback
// only; the token (constant-time) for the page and for the socket; the socket's Origin; bad URLs;
// and a damaged index reported to every client that gets in, not only to the terminal.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EngineSession } from './engine-session.ts';
import { CONTENT_SECURITY_POLICY, startServer, tokenMatches, type RunningServer } from './serve.ts';
import { clientsOf, closeFixture, startFixture, until } from './serve.fixture.ts';
import { tmpDir } from '../../../test/support/tmp.ts';

let session: EngineSession;
let server: RunningServer;
let rendererDir: string;
let home: string;

beforeAll(async () => {
  ({ session, server, rendererDir, home } = await startFixture());
});
afterAll(() => closeFixture({ server, session }));

const { get, connect, open } = clientsOf(() => server);

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
