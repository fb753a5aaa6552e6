// `spool serve`: the browser host. HTTP serves the built renderer and a WebSocket at /rpc carries
// the same JSON-RPC as Electron's IPC (reads may also come as one `POST /rpc`; see http-rpc.ts),
// bound to 127.0.0.1 only. A random token is required for the
// page (then kept in an HttpOnly cookie for its assets) and for the socket; the socket's Origin
// must be this server's; message size and rate are bounded.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { createRouter, serializeResponse, type HostHandlers, type EngineLike } from '../rpc/router.ts';
import { RpcError, RequestId, errorResponse, ErrorCode } from '../../shared/jsonrpc.ts';
import { isMutation } from '../../shared/protocol/index.ts';
import type { AnyNotification } from '../../shared/protocol/index.ts';
import { isInside } from '../engine/home.ts';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './serve-headers.ts';
import { createHttpRpcHandler } from './http-rpc.ts';

export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Token bucket per socket: a burst, then a sustained rate (requests per second). */
export const RATE_BURST = 2000;
export const RATE_PER_SECOND = 1000;
/** A tighter bucket for methods that change files or user state (the method table's `mutates`). */
export const MUTATION_BURST = 100;
export const MUTATION_PER_SECOND = 20;
/** Requests of one socket being answered at once; more wait in a queue bounded in size, so a flood cannot pile up in memory. */
export const MAX_IN_FLIGHT = 64;
export const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
/** Sockets open at once (one per tab; a few for tools). */
export const MAX_SOCKETS = 32;
/** The only interfaces the host listens on: it serves one user's files to that user's own browser. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '::1', 'localhost']);
const COOKIE = 'spool_token';

export { CONTENT_SECURITY_POLICY };

export interface ServeOptions {
  engine: EngineLike & { onNotification(l: (n: AnyNotification) => void): () => void };
  port?: number;
  /** Loopback only (127.0.0.1, the default, ::1 or localhost); any other address is refused. */
  bindHost?: string;
  rendererDir?: string;
  /** Token buckets per socket, for every request and for mutations (tests lower them to prove the limits). */
  rate?: { burst: number; perSecond: number };
  mutationRate?: { burst: number; perSecond: number };
  /** Requests answered at once per socket, and bytes of requests waiting (tests lower them). */
  bounds?: { inFlight: number; queuedBytes: number };
  /** Messages a client should see when it connects (e.g. the index was corrupt and rebuilt), sent as spool/message. */
  startupMessages?: () => readonly string[];
  token?: string;
  host?: HostHandlers;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  /** The address the server listens on (127.0.0.1 or ::1). */
  address: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export function defaultRendererDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const c = path.join(dir, 'out', 'renderer');
    if (fs.existsSync(path.join(c, 'index.html'))) return c;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('the renderer is not built: run `npm run build` first');
    dir = parent;
  }
}

/** Constant-time comparison of a presented token with ours. */
export function tokenMatches(presented: string | null | undefined, token: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = crypto.createHash('sha256').update(presented).digest();
  const b = crypto.createHash('sha256').update(token).digest();
  return crypto.timingSafeEqual(a, b);
}

function cookieToken(req: http.IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return decodeURIComponent(v.join('='));
  }
  return null;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

function securityHeaders(res: http.ServerResponse): void {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
}

/** The request's URL and its decoded path, or null for a URL no browser sends (bad escapes, NUL). */
function parseRequestUrl(raw: string | undefined): { url: URL; pathname: string } | null {
  try {
    const url = new URL(raw ?? '/', 'http://127.0.0.1');
    const pathname = decodeURIComponent(url.pathname);
    return pathname.includes('\0') ? null : { url, pathname };
  } catch {
    return null;
  }
}

/** A token bucket: `burst` at once, refilled at `perSecond`; true when a token was taken. */
function tokenBucket(r: { burst: number; perSecond: number }): () => boolean {
  let tokens = r.burst;
  let last = Date.now();
  return () => {
    const now = Date.now();
    tokens = Math.min(r.burst, tokens + ((now - last) / 1000) * r.perSecond);
    last = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

export function startServer(opts: ServeOptions): Promise<RunningServer> {
  const bindHost = opts.bindHost ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(bindHost))
    return Promise.reject(new Error(`spool serve listens on loopback only (127.0.0.1, ::1 or localhost), not ${bindHost}`));
  const rate = opts.rate ?? { burst: RATE_BURST, perSecond: RATE_PER_SECOND };
  const mutationRate = opts.mutationRate ?? { burst: MUTATION_BURST, perSecond: MUTATION_PER_SECOND };
  const bounds = opts.bounds ?? { inFlight: MAX_IN_FLIGHT, queuedBytes: MAX_QUEUED_BYTES };
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  const rendererDir = opts.rendererDir ?? defaultRendererDir();
  const log = opts.log ?? (() => undefined);
  const router = createRouter({
    engine: opts.engine,
    engineJson: true,
    host: {
      'host/info': () => ({ host: 'browser', platform: process.platform, canReveal: false, canSaveDialog: false }),
      ...opts.host,
    },
    onInternalError: (method, err) =>
      log(`internal error in ${method}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
  });
  let port = 0;
  const allowedOrigins = (): Set<string> => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`]);

  const httpRpc = createHttpRpcHandler({
    router,
    tokenOk: (presented) => tokenMatches(presented, token),
    allowedOrigins,
    takeRate: tokenBucket(rate),
    maxBytes: MAX_MESSAGE_BYTES,
    maxInFlight: bounds.inFlight,
  });

  const server = http.createServer((req, res) => {
    securityHeaders(res);
    const parsed = parseRequestUrl(req.url);
    if (!parsed) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' }).end('bad request\n');
      return;
    }
    const { url } = parsed;
    if (parsed.pathname === '/rpc' && req.method === 'POST') {
      httpRpc(req, res, url);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const queryToken = url.searchParams.get('token');
    const authorized = tokenMatches(queryToken, token) || tokenMatches(cookieToken(req), token);
    if (!authorized) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('Spool: this page needs the token printed by `spool serve` (open the URL it printed).\n');
      return;
    }
    let rel = parsed.pathname;
    if (rel === '/' || rel === '/index.html') rel = '/index.html';
    const file = path.resolve(rendererDir, `.${rel}`);
    if (!isInside(rendererDir, file) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const headers: Record<string, string> = { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' };
    if (rel === '/index.html') {
      headers['Cache-Control'] = 'no-store';
      headers['Set-Cookie'] = `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
    } else headers['Cache-Control'] = 'private, max-age=31536000, immutable';
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const parsed = parseRequestUrl(req.url);
    const reject = (status: number, why: string): void => {
      socket.write(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (!parsed || parsed.pathname !== '/rpc') return reject(404, 'Not Found');
    if (!tokenMatches(parsed.url.searchParams.get('token'), token)) return reject(401, 'Unauthorized');
    const origin = req.headers.origin;
    // Browsers always send Origin on WebSocket handshakes: one from another site must not get in.
    // Non-browser clients (tests, tools) may omit it; they still need the token.
    if (origin !== undefined && !allowedOrigins().has(origin)) return reject(403, 'Forbidden');
    if (sockets.size >= MAX_SOCKETS) return reject(503, 'Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      for (const text of opts.startupMessages?.() ?? []) {
        ws.send(JSON.stringify({ jsonrpc: '2.0', method: 'spool/message', params: { level: 'warning', text }, emittedAtMs: Date.now() }));
      }
      const anyRequest = tokenBucket(rate);
      const mutation = tokenBucket(mutationRate);
      // Requests are answered MAX_IN_FLIGHT at a time; the rest wait, up to a bound in bytes.
      let inFlight = 0;
      let queuedBytes = 0;
      const queue: { value: unknown; bytes: number }[] = [];
      const refuse = (id: RequestId | null, message: string): void => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(errorResponse(id, new RpcError(ErrorCode.InvalidRequest, message))));
      };
      const pump = (): void => {
        while (inFlight < bounds.inFlight && queue.length > 0) {
          const { value, bytes } = queue.shift()!;
          queuedBytes -= bytes;
          inFlight += 1;
          void router
            .handle(value)
            .then((response) => {
              if (response && ws.readyState === ws.OPEN) ws.send(serializeResponse(response));
            })
            .finally(() => {
              inFlight -= 1;
              pump();
            });
        }
      };
      ws.on('message', (data, isBinary) => {
        if (isBinary) return refuse(null, anyRequest() ? 'binary messages are not accepted' : 'rate limit exceeded: slow down');
        const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
        let value: unknown = text;
        try {
          value = JSON.parse(text);
        } catch {
          // Left as text: the router answers the parse error.
        }
        const envelope =
          typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { id?: unknown; method?: unknown }) : {};
        // A refusal carries the request's id, so the client's pending call fails instead of waiting forever.
        const parsedId = RequestId.safeParse(envelope.id);
        const id = parsedId.success ? parsedId.data : null;
        if (!anyRequest()) return refuse(id, 'rate limit exceeded: slow down');
        if (queuedBytes + text.length > bounds.queuedBytes)
          return refuse(id, 'too many requests waiting for an answer: wait for answers before sending more');
        const method = envelope.method;
        if (isMutation(method) && !mutation()) {
          return refuse(id, `too many changes at once (at most ${mutationRate.perSecond} a second): slow down`);
        }
        queue.push({ value, bytes: text.length });
        queuedBytes += text.length;
        pump();
      });
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
    });
  });

  const unsubscribe = opts.engine.onNotification((n) => {
    // codex 0.169 stamps every notification with the time it was sent.
    const text = JSON.stringify({ jsonrpc: '2.0', method: n.method, params: n.params, emittedAtMs: Date.now() });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, bindHost, () => {
      const addr = server.address();
      port = typeof addr === 'object' && addr ? addr.port : 0;
      const urlHost = bindHost === '::1' ? '[::1]' : bindHost;
      resolve({
        url: `http://${urlHost}:${port}/?token=${token}`,
        address: typeof addr === 'object' && addr ? addr.address : '',
        port,
        token,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe();
            for (const ws of sockets) ws.terminate();
            wss.close();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
