// The real `codex app-server` as a test peer: differential tests send it the same requests as
// Spool's engine and compare. It runs the pinned codex (node_modules) through the reference
// scripts' client (stdio JSON-RPC, killed by PID on close).
//
// Codex writes its own sqlite files into the home it serves: give it a copy (copyHome() leaves
// the sqlite files behind, so codex backfills its state DB from the rollouts, as Spool indexes
// them, rather than reusing the generator's live DB whose timestamps come from another clock).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { copyHome, referenceDir, type RealHomeOptions } from './real-home.ts';
import { createRouter, type EngineLike } from '../../src/main/rpc/router.ts';

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

interface LibModule {
  findCodex(): { bin: string; pathDir: string | null };
  codexEnv(home: string, codex: { bin: string; pathDir: string | null }, extra?: Record<string, string>): NodeJS.ProcessEnv;
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
  const c = await AppServerClient.start({
    home,
    clientInfo: { name: 'spool_differential', title: 'spool differential tests', version: '0.1.0' },
  });
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

/**
 * Runs the pinned codex CLI on `home` (e.g. `codex archive <name>`), bounded in time and killed
 * with its process if it overruns. Resolves with its exit status and output.
 */
export async function runCodexCli(
  home: string,
  args: string[],
  timeoutMs = 60_000,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const lib = (await import(pathToFileURL(path.join(referenceDir(), 'lib.mjs')).href)) as LibModule;
  const codex = lib.findCodex();
  const r = spawnSync(codex.bin, args, {
    env: lib.codexEnv(home, codex),
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    input: '',
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
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

/**
 * A private copy of a real home for a differential test, with every rollout's mtime moved to the
 * middle of its millisecond. Why: copying a file can set its mtime only through a float number of
 * seconds, which lands a few hundred nanoseconds off, often just below a millisecond boundary; codex
 * truncates the exact nanoseconds while Node's float `mtimeMs` rounds up there, so the two would read
 * the same copied file as different milliseconds (updated_at, cursors). Mid-millisecond, both agree.
 */
export function differentialHome(src: string): string {
  const home = copyHome(src);
  for (const dir of ['sessions', 'archived_sessions']) settleMtimes(path.join(home, dir));
  return home;
}

function settleMtimes(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) settleMtimes(p);
    else if (e.name.endsWith('.jsonl')) {
      const ms = Math.floor(fs.statSync(p).mtimeMs);
      fs.utimesSync(p, (ms + 0.5) / 1000, (ms + 0.5) / 1000);
    }
  }
}

/**
 * Fields where Spool's `Thread` deliberately differs from codex's (docs/CODEX-COMPAT.md, "Differences from Codex:
 * protocol"), by where they differ.
 * - `extra`: Spool's additions (`extra.spool`); codex sends null.
 * - In thread/list codex leaves `forkedFromId`, `threadSource` and (outside relation listings)
 *   `parentThreadId` null, though its thread/read reports them; Spool reports the same values in both.
 * - `name` of a paginated thread: codex keeps it only in its own DB, which a backfill does not
 *   restore; Spool reads session_index.jsonl, as codex does for legacy threads.
 * Two differences come from the indexer rather than the protocol, and are allowed only in their
 * exact form: the cwd may be spelled differently if it is the same directory (codex resolves
 * symlinks in some paths — its read-repair — and not in others, and keeps a thread's first cwd
 * where Spool keeps its latest); and codex 0.169 no longer reads the model and effort from the
 * turn_context lines of rollouts written before codex 0.98 (it reports null), while Spool does.
 */
export const SPOOL_ONLY_FIELDS = ['extra'] as const;
export const LIST_NULLED_BY_CODEX = ['forkedFromId', 'threadSource', 'parentThreadId'] as const;

export interface ThreadDiffOptions {
  /** Compare as thread/list answers (codex nulls some fields there). */
  inList?: boolean;
  /**
   * Codex's current DB keys (codexDbKeys): where its allocator moved a thread's updated_at or
   * recency_at away from the rollout's, codex's `updatedAt`/`recencyAt` seconds are its moved value's.
   */
  codexKeys?: Map<string, CodexKeys>;
}

type AnyThread = Record<string, unknown>;

/** The path with symlinks resolved, as codex stores a thread's cwd (the path itself when it is gone). */
function canonical(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

const olderThan = (version: unknown, major: number, minor: number): boolean => {
  const m = typeof version === 'string' ? /^(\d+)\.(\d+)\./.exec(version) : null;
  return m !== null && (Number(m[1]) < major || (Number(m[1]) === major && Number(m[2]) < minor));
};

/** True when codex's DB holds another key than Spool's for this thread, and codex reports that one. */
function movedByCodex(codex: AnyThread, spool: AnyThread, key: 'updated_at' | 'recency_at', keys: Map<string, CodexKeys>): boolean {
  const theirs = keys.get(String(codex['id']))?.[key];
  const extra = (spool['extra'] as { spool?: { updatedAtMs?: number; recencyAtMs?: number } } | null)?.spool;
  const mine = key === 'updated_at' ? extra?.updatedAtMs : extra?.recencyAtMs;
  return theirs !== undefined && theirs !== mine && codex[key === 'updated_at' ? 'updatedAt' : 'recencyAt'] === Math.floor(theirs / 1000);
}

/** Human-readable differences between codex's and Spool's view of one thread (empty when equal). */
export function threadDiffs(codex: AnyThread, spool: AnyThread, opts: ThreadDiffOptions = {}): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(codex), ...Object.keys(spool)]);
  for (const k of keys) {
    if ((SPOOL_ONLY_FIELDS as readonly string[]).includes(k)) continue;
    const a = codex[k];
    const b = spool[k];
    if (opts.inList && (LIST_NULLED_BY_CODEX as readonly string[]).includes(k) && a === null) continue;
    if (k === 'name' && codex['historyMode'] === 'paginated' && a === null) continue;
    if (k === 'cwd' && typeof a === 'string' && typeof b === 'string' && canonical(a) === canonical(b)) continue;
    if ((k === 'model' || k === 'reasoningEffort') && a === null && b !== null && olderThan(codex['cliVersion'], 0, 98)) continue;
    // thread/read of a thread in codex's state DB reports its creation second as updatedAt (docs/CODEX-COMPAT.md,
    // "Differences from Codex: indexing"); it differs from the rollout's mtime when the thread was
    // last written in a later second than it was created.
    if (k === 'updatedAt' && !opts.inList && opts.codexKeys?.has(String(codex['id'])) && a === codex['createdAt']) continue;
    if (
      (k === 'updatedAt' || k === 'recencyAt') &&
      opts.codexKeys &&
      movedByCodex(codex, spool, k === 'updatedAt' ? 'updated_at' : 'recency_at', opts.codexKeys)
    )
      continue;
    if (JSON.stringify(a) !== JSON.stringify(b))
      out.push(`${String(spool['id'] ?? codex['id'])} ${k}: codex ${JSON.stringify(a)} ≠ spool ${JSON.stringify(b)}`);
  }
  return out;
}

/** Spool's engine behind its real router, with the same request interface as the codex peer. */
export interface SpoolPeer {
  request<T = unknown>(method: string, params?: unknown): Promise<RpcOutcome<T>>;
  call<T = unknown>(method: string, params?: unknown): Promise<T>;
}

export function spoolPeer(engine: EngineLike): SpoolPeer {
  const router = createRouter({ engine });
  let nextId = 1;
  const request = async <T>(method: string, params?: unknown): Promise<RpcOutcome<T>> => {
    const t0 = performance.now();
    const r = await router.handle({ jsonrpc: '2.0', id: nextId++, method, ...(params === undefined ? {} : { params }) });
    const ms = performance.now() - t0;
    if (!r) throw new Error(`no response to ${method}`);
    return 'error' in r ? { error: r.error, ms } : { result: r.result as T, ms };
  };
  return {
    request,
    async call<T>(method: string, params?: unknown): Promise<T> {
      const r = await request<T>(method, params);
      if (r.error) throw new Error(`spool ${method} failed: ${r.error.code} ${r.error.message}`);
      return r.result as T;
    },
  };
}

/** The multi-version home the protocol tests use (kept small: four versions, 12 sessions). */
export const MIXED_HOME: [string, RealHomeOptions] = ['mixed', { sessions: 12, versions: '0.8.0,0.47.0,0.98.0,0.169.0' }];

export interface BackfilledFile {
  /** Home-relative path with '/' separators (codex's backfill watermark). */
  relPath: string;
  mtimeMs: number;
  threadId: string;
}

/**
 * The updated_at (and recency_at) milliseconds codex's state DB holds after its backfill of these
 * rollouts (docs/FORMAT.md §3.4, §7.3): files in watermark (path) order through codex's unique-ms
 * allocator, which keeps a high-water mark H and gives a file whose mtime is not newer than H, but
 * within a second of it, H + 1 instead of its mtime. Spool keeps the mtime; the two orders differ
 * wherever that happened (docs/CODEX-COMPAT.md: "Differences from Codex").
 */
export function codexBackfillUpdatedAt(files: BackfilledFile[]): Map<string, number> {
  const out = new Map<string, number>();
  let high = 0;
  for (const f of [...files].sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0))) {
    const c = f.mtimeMs;
    let v: number;
    if (c > high) v = high = c;
    else if (c + 1000 <= high) v = c;
    else v = ++high;
    out.set(f.threadId, v);
  }
  return out;
}

export interface CodexKeys {
  created_at: number;
  updated_at: number;
  recency_at: number;
}

/**
 * The sort keys (ms) codex's state DB holds right now for each thread. They drift from the files'
 * mtimes as codex works: its unique-ms allocator moves a value to H + 1 whenever a backfill or a
 * read-repair writes a row within a second of its high-water mark H.
 */
export function codexDbKeys(home: string): Map<string, CodexKeys> {
  const db = new Database(path.join(home, 'state_5.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, created_at_ms AS c, updated_at_ms AS u, recency_at_ms AS r FROM threads').all() as {
      id: string;
      c: number;
      u: number;
      r: number;
    }[];
    return new Map(rows.map((r) => [r.id, { created_at: r.c, updated_at: r.u, recency_at: r.r }]));
  } finally {
    db.close();
  }
}
