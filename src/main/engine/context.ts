// What every engine feature gets: the one database handle and the services around it, passed
// down explicitly (no globals).
import type { Db } from './db/database.ts';
import type { EngineEvents } from './events.ts';
import type { CodexHome } from './home.ts';
import type { Indexer } from './indexer/indexer.ts';
import type { UserOverlay } from './user/overlay.ts';
import type { EngineMethodName, ParamsOf, ResultOf } from '../../shared/protocol/index.ts';

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

export type EngineHandler<M extends EngineMethodName> = (params: ParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;
/** A handler for every engine method of the table: a method without one fails `tsc` where the engine assembles them. */
export type EngineHandlers = { [M in EngineMethodName]: EngineHandler<M> };
/** The handlers one feature contributes, named by the methods it answers. */
export type HandlersOf<M extends EngineMethodName> = Pick<EngineHandlers, M>;
