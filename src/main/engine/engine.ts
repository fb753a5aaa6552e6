// The state engine: one SQLite handle, the home it indexes, the indexer and watcher, and the
// handlers for every engine-answered method. Plain Node: no `electron` import anywhere below here.
import path from 'node:path';
import fs from 'node:fs';
import { openDatabase, type Db } from './db/database.ts';
import { EngineEvents } from './events.ts';
import { CodexHome } from './home.ts';
import { Indexer, type ReconcileSummary } from './indexer/indexer.ts';
import { createInlinePool, createWorkerPool, defaultWorkerCount, type ParsePool } from './indexer/parse-pool.ts';
import { HomeWatcher } from './indexer/watcher.ts';
import { RpcError, ErrorCode } from '../../shared/jsonrpc.ts';
import type { EngineMethodName, ParamsOf, ResultOf } from '../../shared/protocol/index.ts';
import type { EngineContext, EngineHandler, EngineHandlers } from './context.ts';
import { UserOverlay } from './user/overlay.ts';
import { threadHandlers } from './threads/handlers.ts';
import { indexHandlers } from './indexer/handlers.ts';
import { searchHandlers } from './search/handlers.ts';
import { bulkHandlers } from './bulk/handlers.ts';

export const SPOOL_VERSION = '0.1.0';
export const INDEX_FILE = 'index.sqlite';

export interface EngineOptions {
  /** The CODEX_HOME to index. */
  home: string;
  /** Spool's own data folder (its index and user journal live here). */
  dataDir: string;
  /** Parse worker threads; 0 parses inline. Default: one per core, at most 4. */
  parseWorkers?: number;
  parseWorkerUrl?: URL | string;
  migrationsDir?: string;
}

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
    this.db = openDatabase(path.join(this.dataDir, INDEX_FILE), {
      ...(opts.migrationsDir ? { migrationsDir: opts.migrationsDir } : {}),
      onRecovered: (movedTo, reason) => {
        this.startupMessages.push(`Spool's index was damaged (${reason}); it was moved to ${movedTo} and is being rebuilt from your rollouts.`);
      },
    });
    this.ensureHome();
    const workers = opts.parseWorkers ?? defaultWorkerCount();
    this.pool = workers > 0 ? createWorkerPool(workers, opts.parseWorkerUrl) : createInlinePool();
    this.overlay = new UserOverlay(this.db, this.dataDir);
    this.overlay.reload();
    this.indexer = new Indexer({ db: this.db, home: this.home, pool: this.pool, events: this.events, overlay: this.overlay });
    this.ctx = {
      db: this.db,
      home: this.home,
      dataDir: this.dataDir,
      events: this.events,
      indexer: this.indexer,
      overlay: this.overlay,
      defaultProvider: () => this.indexer.writer.defaultProvider,
    };
    // Each feature contributes the handlers of its methods.
    this.handlers = {
      initialize: () => ({
        userAgent: `spool/${SPOOL_VERSION}`,
        codexHome: this.home.root,
        platformFamily: process.platform === 'win32' ? 'windows' : 'unix',
        platformOs: process.platform === 'darwin' ? 'macos' : process.platform,
        spool: { version: SPOOL_VERSION, dataDir: this.dataDir },
      }),
      ...indexHandlers(this.ctx),
      ...threadHandlers(this.ctx),
      ...searchHandlers(this.ctx),
      ...bulkHandlers(this.ctx, (m, p) => this.call(m, p)),
    };
  }

  static open(opts: EngineOptions): Engine {
    return new Engine(opts);
  }

  /** An index belongs to one home: pointing a data folder at another home starts over. */
  private ensureHome(): void {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'home'").get() as { value: string } | undefined;
    if (row && row.value === this.home.root) return;
    this.db.transaction(() => {
      if (row) {
        for (const t of ['files', 'threads', 'turns', 'spawn_edges', 'session_names', 'messages_fts']) this.db.prepare(`DELETE FROM ${t}`).run();
        this.db.prepare("DELETE FROM meta WHERE key <> 'home'").run();
        this.db.prepare("UPDATE backfill_state SET status = 'pending', last_watermark = NULL, owner = NULL WHERE id = 1").run();
      }
      this.db.prepare("INSERT INTO meta (key, value) VALUES ('home', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(this.home.root);
    }).immediate();
  }

  /** Brings the index up to date with the home once. */
  sync(): Promise<ReconcileSummary> {
    return this.indexer.reconcile();
  }

  /** Starts live indexing: a first reconcile, then the watcher. */
  startLive(onError: (err: unknown) => void = () => undefined): Promise<ReconcileSummary> {
    const first = this.indexer.reconcile();
    this.watcher = new HomeWatcher(this.home, this.indexer, { onError });
    this.watcher.start();
    return first;
  }



  async call<M extends EngineMethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const h = this.handlers[method] as EngineHandler<M> | undefined;
    if (!h) throw new RpcError(ErrorCode.MethodNotFound, `method not supported yet: ${method}`);
    return h(params);
  }

  async close(): Promise<void> {
    this.watcher?.close();
    await this.pool.close();
    this.db.close();
  }
}
