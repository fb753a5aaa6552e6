// The shape of an engine method's handler, derived from the method table. A leaf, so that a
// feature low in the engine (the indexer) can declare its handlers without importing the context
// that refers to it.
import type { EngineMethodName, ParamsOf, ResultOf } from '../../shared/protocol/index.ts';

export type EngineHandler<M extends EngineMethodName> = (params: ParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;
/** A handler for every engine method of the table: a method without one fails `tsc` where the engine assembles them. */
export type EngineHandlers = { [M in EngineMethodName]: EngineHandler<M> };
/** The handlers one feature contributes, named by the methods it answers. */
export type HandlersOf<M extends EngineMethodName> = Pick<EngineHandlers, M>;
