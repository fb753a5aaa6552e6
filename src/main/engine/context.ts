// What every engine feature gets: the one database handle and the services around it, passed
// down explicitly (no globals).
import type { Db } from './db/database.ts';
import type { EngineEvents } from './events.ts';
import type { CodexHome } from './home.ts';
import type { Indexer } from './indexer/indexer.ts';
import type { UserOverlay } from './user/overlay.ts';

export interface EngineContext {
  db: Db;
  home: CodexHome;
  dataDir: string;
  events: EngineEvents;
  indexer: Indexer;
  overlay: UserOverlay;
  /** The provider threads without one are recorded under (config.toml's model_provider). */
  defaultProvider(): string;
}

export type { EngineHandler, EngineHandlers, HandlersOf } from './handler-types.ts';
