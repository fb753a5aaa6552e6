// What the browser host's security tests share (serve.access, serve.bounds and serve.http-rpc):
// a real server on a copy of the standard home with a live, indexed engine behind it, and small
// clients that speak to it the way a browser or a tool would (a GET, a socket, a POST /rpc).
// Not a test itself; each test file starts its own server, so the files run in parallel.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocket } from 'ws';
import type { EngineSession } from './engine-session.ts';
import { startServer, type RunningServer } from './serve.ts';
import { copyHome, realHome, STANDARD_HOME } from '../../../test/support/real-home.ts';
import { tmpDir } from '../../../test/support/tmp.ts';
import { indexedSession } from '../../../test/support/indexed-session.ts';

export interface ServerFixture {
  session: EngineSession;
  server: RunningServer;
  /** A renderer folder holding index.html and app.js. */
  rendererDir: string;
  home: string;
}

export async function startFixture(): Promise<ServerFixture> {
  const home = copyHome(realHome(...STANDARD_HOME).home, tmpDir('spool-sec-home-'));
  const session = await indexedSession(home, tmpDir('spool-sec-data-'));
  const rendererDir = tmpDir('spool-sec-ui-');
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Spool</title>');
  fs.writeFileSync(path.join(rendererDir, 'app.js'), 'console.log(1)');
  const server = await startServer({ engine: session, rendererDir });
  return { session, server, rendererDir, home };
}

export async function closeFixture(f: Partial<ServerFixture>): Promise<void> {
  await f.server?.close();
  await f.session?.close();
}

export type Socket = { ws: WebSocket; messages: Record<string, unknown>[] };
type HttpAnswer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** Clients of the fixture's server (`current()` is read at each call: the server starts in beforeAll). */
export function clientsOf(current: () => RunningServer): {
  get(urlPath: string, headers?: Record<string, string>, port?: number): Promise<HttpAnswer>;
  connect(query: string, headers?: Record<string, string>, s?: RunningServer): Promise<Socket | { status: number }>;
  open(s?: RunningServer): Promise<Socket>;
  post(body: string, opts?: { query?: string; headers?: Record<string, string>; s?: RunningServer }): Promise<HttpAnswer>;
} {
  function get(urlPath: string, headers: Record<string, string> = {}, port = current().port): Promise<HttpAnswer> {
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
  function connect(query: string, headers: Record<string, string> = {}, s = current()): Promise<Socket | { status: number }> {
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/rpc${query}`, { headers });
    const messages: Record<string, unknown>[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as Record<string, unknown>));
    return new Promise((resolve) => {
      ws.once('open', () => resolve({ ws, messages }));
      ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
      ws.once('error', () => resolve({ status: -1 }));
    });
  }

  async function open(s = current()): Promise<Socket> {
    const c = await connect(`?token=${s.token}`, {}, s);
    if (!('ws' in c)) throw new Error(`socket refused: ${c.status}`);
    return c;
  }

  /** A `POST /rpc`, as the page's boot code sends it unless the test says otherwise. */
  function post(body: string, opts: { query?: string; headers?: Record<string, string>; s?: RunningServer } = {}): Promise<HttpAnswer> {
    const s = opts.s ?? current();
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

  return { get, connect, open, post };
}

export async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const answers = (messages: Record<string, unknown>[]): Record<string, unknown>[] => messages.filter((m) => 'id' in m);
