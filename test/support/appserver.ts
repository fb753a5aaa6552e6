// The real `codex app-server` as a test peer: differential tests send it the same requests as
// Spool's engine and compare. It runs the pinned codex (node_modules) through the reference
// scripts' client (stdio JSON-RPC, killed by PID on close).
//
// Codex writes its own sqlite files into the home it serves: give it a copy (copyHome() leaves
// the sqlite files behind, so codex backfills its state DB from the rollouts, as Spool indexes
// them, rather than reusing the generator's live DB whose timestamps come from another clock).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { referenceDir } from './real-home.ts';

export interface RpcErr {
  code: number;
  message: string;
}
export interface RpcOutcome<T = unknown> {
  result?: T;
  error?: RpcErr;
  ms: number;
}
export interface PeerNotification {
  method: string;
  params: Record<string, unknown>;
}

/** What the vendored `appserver-client.mjs` exports (it is plain ESM, typed here). */
interface RawClient {
  request(method: string, params?: unknown, opts?: { timeoutMs?: number }): Promise<RpcOutcome>;
  mark(): number;
  notifications: PeerNotification[];
  notifDropped: number;
  close(): Promise<unknown>;
  pid: number;
}
interface ClientModule {
  AppServerClient: { start(o: { home: string; clientInfo?: unknown }): Promise<RawClient> };
}

export interface AppServerPeer {
  readonly home: string;
  readonly pid: number;
  /** Sends one request; resolves with the result or the JSON-RPC error (never throws for an error answer). */
  request<T = unknown>(method: string, params?: unknown): Promise<RpcOutcome<T>>;
  /** Like request(), but throws on an error answer. */
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
  /** Position in the notification stream (pass to notificationsSince). */
  mark(): number;
  /** Notifications received since a mark(), optionally only those with the given method names. */
  notificationsSince(mark: number, methods?: string[]): PeerNotification[];
  close(): Promise<void>;
}

let modulePromise: Promise<ClientModule> | null = null;
const loadClient = (): Promise<ClientModule> =>
  (modulePromise ??= import(pathToFileURL(path.join(referenceDir(), 'appserver-client.mjs')).href) as Promise<ClientModule>);

/**
 * Starts `codex app-server` on `home` and, unless `waitForBackfill` is false, waits until codex has
 * backfilled its state DB (before that codex answers some requests from a file scan only).
 */
export async function startAppServer(home: string, opts: { waitForBackfill?: boolean } = {}): Promise<AppServerPeer> {
  const { AppServerClient } = await loadClient();
  const c = await AppServerClient.start({ home, clientInfo: { name: 'spool_differential', title: 'spool differential tests', version: '0.1.0' } });
  const peer: AppServerPeer = {
    home,
    pid: c.pid,
    request: <T>(method: string, params?: unknown) => c.request(method, params, { timeoutMs: 120_000 }) as Promise<RpcOutcome<T>>,
    async call<T>(method: string, params?: unknown): Promise<T> {
      const r = await c.request(method, params, { timeoutMs: 120_000 });
      if (r.error) throw new Error(`codex ${method} failed: ${r.error.code} ${r.error.message}`);
      return r.result as T;
    },
    mark: () => c.mark(),
    notificationsSince(mark, methods) {
      const from = Math.max(0, mark - c.notifDropped);
      return c.notifications.slice(from).filter((n) => !methods || methods.includes(n.method));
    },
    async close() {
      await c.close();
    },
  };
  if (opts.waitForBackfill !== false) {
    try {
      await waitForBackfill(home);
    } catch (err) {
      await peer.close();
      throw err;
    }
  }
  return peer;
}

/** Resolves once codex's state DB in `home` reports its backfill complete. */
export async function waitForBackfill(home: string, timeoutMs = 120_000): Promise<void> {
  const file = path.join(home, 'state_5.sqlite');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (fs.existsSync(file)) {
      let status: string | undefined;
      try {
        const db = new Database(file, { readonly: true, fileMustExist: true });
        try {
          status = (db.prepare('SELECT status FROM backfill_state WHERE id = 1').get() as { status: string } | undefined)?.status;
        } finally {
          db.close();
        }
      } catch {
        // The DB is being created or migrated: ask again shortly.
      }
      if (status === 'complete') return;
    }
    if (Date.now() > deadline) throw new Error(`codex did not finish its backfill of ${home} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs `fn` with a started peer and always closes it. */
export async function withAppServer<T>(home: string, fn: (peer: AppServerPeer) => Promise<T>): Promise<T> {
  const peer = await startAppServer(home);
  try {
    return await fn(peer);
  } finally {
    await peer.close();
  }
}
