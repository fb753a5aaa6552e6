// The state engine: one SQLite handle, the home it indexes, the indexer and watcher, and the
// handlers for every engine-answered method. Plain Node: no `electron` import anywhere below here.
import path from 'node:path';
import fs from 'node:fs';
import {
  damagedMarker,
  defaultMigrationsDir,
  hasSchemaOf,
  isCorruptionError,
  loadMigrations,
  migrationsDigest,
  moveAside,
  openDatabase,
  resetIndex,
  type Db,
  type Migration,
} from './db/database.ts';
import { EngineEvents } from './events.ts';
import { CodexHome } from './home.ts';
import { Indexer, type ReconcileSummary } from './indexer/indexer.ts';
import { createInlinePool, createWorkerPool, defaultWorkerCount, type ParsePool } from './indexer/parse-pool.ts';
import { HomeWatcher } from './indexer/watcher.ts';
import { RpcError, ErrorCode } from '../../shared/jsonrpc.ts';
import { isRepaired, type EngineMethodName, type ParamsOf, type ResultOf } from '../../shared/protocol/index.ts';
import type { EngineContext, EngineHandler, EngineHandlers } from './context.ts';
import { UserOverlay } from './user/overlay.ts';
import { threadHandlers } from './threads/handlers.ts';
import { indexHandlers } from './indexer/handlers.ts';
import { searchHandlers } from './search/handlers.ts';
import { bulkHandlers } from './bulk/handlers.ts';
import { PARSER_VERSION } from './rollout/parser.ts';
import { servedThreads, staleRows, VerifiedFiles } from './indexer/read-repair.ts';
import { graphHandlers } from './graph/handlers.ts';

export const SPOOL_VERSION = '0.1.0';
export const INDEX_FILE = 'index.sqlite';

export interface EngineOptions {
  /** The CODEX_HOME to index. */
  home: string;
  /** Spool's own data folder (its index and user journal live here). */
  dataDir: string;
  /** Parse worker threads; 0 parses inline. Default: one per core beyond the engine's, at most 4. */
  parseWorkers?: number;
  /** A parse pool to use instead of making one (benchmarks and tests wrap the real one); the engine closes it. */
  pool?: ParsePool;
  parseWorkerUrl?: URL | string;
  migrationsDir?: string;
  /** Backfill lease length and how often a non-owner polls the owner (tests shorten them). */
  leaseSeconds?: number;
  followPollMs?: number;
  /** From what size a damaged-index check runs after start instead of at open (tests lower it). */
  deferIntegrityCheckAtBytes?: number;
}

/**
 * How long read-repair trusts a file it has just checked, while the watcher runs. A change the
 * watcher reports forgets every check at once; this bounds how long one it missed can hide.
 */
const VERIFIED_WHILE_WATCHED_MS = 2000;

const recoveredMessage = (movedTo: string, reason: string): string =>
  `Spool's index was damaged (${reason}); it was moved to ${movedTo} and is being rebuilt from your rollouts.`;

export class Engine {
  readonly db: Db;
  readonly home: CodexHome;
  readonly dataDir: string;
  readonly events = new EngineEvents();
  readonly indexer: Indexer;
  readonly overlay: UserOverlay;
  readonly ctx: EngineContext;
  readonly handlers: EngineHandlers;
  private readonly pool: ParsePool;
  private watcher: HomeWatcher | null = null;
  /** Messages for the user gathered before any client was listening (e.g. a recovered index). */
  readonly startupMessages: string[] = [];

  private constructor(opts: EngineOptions) {
    this.home = new CodexHome(opts.home);
    this.dataDir = path.resolve(opts.dataDir);
    fs.mkdirSync(this.dataDir, { recursive: true });
    const workers = opts.parseWorkers ?? defaultWorkerCount();
    // The pool starts once the index is open: a refused index (from a newer Spool) must not leave
    // worker threads behind. Whether it will have workers decides where the integrity check runs.
    const workerPool = opts.pool ? opts.pool.checkIntegrity !== undefined : workers > 0;
    const dbFile = path.join(this.dataDir, INDEX_FILE);
    const migrations = loadMigrations(opts.migrationsDir ?? defaultMigrationsDir());
    let deferredCheck: boolean;
    for (let attempt = 0; ; attempt++) {
      let migratedFrom: number | null = null;
      let checkLater = false;
      this.db = openDatabase(dbFile, {
        // A large index is checked on a parse worker after start, so the first page does not wait.
        ...(workerPool ? { deferIntegrityCheck: (d: boolean) => (checkLater = d) } : {}),
        ...(opts.deferIntegrityCheckAtBytes !== undefined ? { deferCheckAtBytes: opts.deferIntegrityCheckAtBytes } : {}),
        migrations,
        onRecovered: (movedTo, reason) => this.startupMessages.push(recoveredMessage(movedTo, reason)),
        onMigrated: (from) => {
          migratedFrom = from;
        },
      });
      try {
        this.ensureCurrentIndex(migratedFrom, migrations);
        this.overlay = new UserOverlay(this.db, this.dataDir);
        this.overlay.reload();
        deferredCheck = checkLater;
        break;
      } catch (err) {
        // Without the full check at open, damage can first show here: the same remedy.
        this.db.close();
        if (!isCorruptionError(err) || attempt > 0) throw err;
        const reason = err instanceof Error ? err.message : String(err);
        this.startupMessages.push(recoveredMessage(moveAside(dbFile, reason), reason));
      }
    }
    this.pool = opts.pool ?? (workers > 0 ? createWorkerPool(workers, opts.parseWorkerUrl) : createInlinePool());
    if (deferredCheck) this.integrity = this.checkIntegrityLater(dbFile);
    this.indexer = new Indexer({
      db: this.db,
      home: this.home,
      pool: this.pool,
      events: this.events,
      overlay: this.overlay,
      ...(opts.leaseSeconds !== undefined ? { leaseSeconds: opts.leaseSeconds } : {}),
      ...(opts.followPollMs !== undefined ? { followPollMs: opts.followPollMs } : {}),
    });
    this.ctx = {
      db: this.db,
      home: this.home,
      dataDir: this.dataDir,
      events: this.events,
      indexer: this.indexer,
      overlay: this.overlay,
      defaultProvider: () => this.indexer.writer.defaultProvider,
    };
    // Any change to the index (a file written, moved or gone) may concern a file read-repair
    // checked: forget them all.
    this.events.on((n) => {
      if (n.method === 'spool/index/changed') this.verified.clear();
    });
    // Each feature contributes the handlers of its methods; the map is complete by type (EngineHandlers).
    this.handlers = {
      initialize: () => ({
        userAgent: `spool/${SPOOL_VERSION}`,
        codexHome: this.home.root,
        platformFamily: process.platform === 'win32' ? 'windows' : 'unix',
        platformOs: process.platform === 'darwin' ? 'macos' : process.platform,
        spool: { version: SPOOL_VERSION, dataDir: this.dataDir },
      }),
      ...indexHandlers(this.indexer, this.overlay, this.dataDir),
      ...threadHandlers(this.ctx),
      ...graphHandlers(this.ctx),
      ...searchHandlers(this.ctx),
      ...bulkHandlers(this.ctx, (m, p) => this.call(m, p)),
    };
  }

  static open(opts: EngineOptions): Engine {
    return new Engine(opts);
  }

  /**
   * The index is a cache of one home, built by one parser version with one schema: when the data
   * folder points at another home, the schema was migrated, or the parser changed what it
   * extracts, the index is emptied and rebuilt from the rollouts (and the user journal).
   */
  private ensureCurrentIndex(migratedFrom: number | null, migrations: Migration[]): void {
    const meta = (key: string): string | null =>
      (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
    const home = meta('home');
    const parser = meta('parser_version');
    const reasons: string[] = [];
    const digest = migrationsDigest(migrations);
    if (migratedFrom !== null && migratedFrom > 0) reasons.push('schema');
    // Built by other migrations than these (or before the digest was kept): its schema must be
    // the one these build, or it is rebuilt. (A development build once applied a migration that
    // was changed before it landed: that index had the latest version and a table short a column.)
    else if (meta('migrations') !== digest && !hasSchemaOf(this.db, migrations, digest)) reasons.push('schema');
    // The same folder reached through a symlink is the same home: no rebuild for that.
    if (home !== null && home !== this.home.root && realOrSelf(home) !== realOrSelf(this.home.root)) reasons.push('home');
    if (home !== null && parser !== String(PARSER_VERSION)) reasons.push('parser');
    if (reasons.length > 0) resetIndex(this.db, migrations);
    this.rebuiltBecause = reasons;
    const put = this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.db
      .transaction(() => {
        put.run('home', this.home.root);
        put.run('parser_version', String(PARSER_VERSION));
        put.run('migrations', digest);
      })
      .immediate();
  }

  /** The deferred integrity check of a large index: 'ok', or what is wrong (null when none ran). */
  integrity: Promise<string | null> = Promise.resolve(null);

  /**
   * Damage found after start cannot be repaired under the running engine: the index is marked, the
   * user told, and the next start moves it aside and rebuilds it (openDatabase). Until then the
   * damaged pages may make some requests fail; nothing on disk that is the user's is at risk.
   */
  private async checkIntegrityLater(dbFile: string): Promise<string | null> {
    let result: string;
    try {
      result = (await this.pool.checkIntegrity?.(dbFile)) ?? 'ok';
    } catch {
      return null; // the pool closed first
    }
    if (result !== 'ok') {
      result = result.replace(/\s+/g, ' ').trim();
      fs.writeFileSync(damagedMarker(dbFile), `${result}\n`);
      const text = `Spool's index is damaged (${result}); it will be rebuilt from your rollouts the next time Spool starts.`;
      this.startupMessages.push(text);
      this.events.emit('spool/message', { level: 'warning', text });
    }
    return result;
  }

  /** Why the index was emptied at open (schema, home, parser), if it was. */
  rebuiltBecause: string[] = [];

  /** Brings the index up to date with the home once. */
  sync(): Promise<ReconcileSummary> {
    return this.indexer.reconcile();
  }

  /** Starts live indexing: a first reconcile, then the watcher. */
  startLive(onError: (err: unknown) => void = () => undefined): Promise<ReconcileSummary> {
    const first = this.indexer.reconcile();
    this.watcher = new HomeWatcher(this.home, this.indexer, { onError });
    this.watcher.start();
    this.verified.ttlMs = VERIFIED_WHILE_WATCHED_MS;
    return first;
  }

  /** Served files that read-repair found matching their rows (remembered only while watched). */
  private readonly verified = new VerifiedFiles();

  async call<M extends EngineMethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const h = this.handlers[method] as EngineHandler<M> | undefined;
    if (!h) throw new RpcError(ErrorCode.MethodNotFound, `method not supported yet: ${method}`);
    const result = await h(params);
    if (!isRepaired(method)) return result;
    // Read-repair: never serve a row whose file moved, vanished, changed or belongs to another thread.
    const stale = staleRows(this.db, this.home, servedThreads(result), this.verified);
    if (stale.paths.length === 0 && stale.threads.length === 0) return result;
    await this.indexer.repair(stale);
    return h(params);
  }

  async close(): Promise<void> {
    this.watcher?.close();
    await this.indexer.close();
    await this.pool.close();
    this.db.close();
  }
}

function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}
