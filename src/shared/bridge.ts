// The one interface the renderer talks through. Electron's preload implements it over IPC; the
// browser host implements it over a WebSocket. Both carry the same JSON-RPC.
import type { ParamsOf, MethodName, ResultOf } from './protocol/methods.ts';
import type { AnyNotification } from './protocol/notifications.ts';

/** An answer asked for before the app loaded (the renderer's boot prefetch). */
export interface EarlyAnswer<T> {
  /** The answer, if it is here already: the first render can use it. */
  ready: T | undefined;
  /** The answer when it comes; rejects as `request` would. */
  answer: Promise<T>;
}

export interface SpoolBridge {
  request<M extends MethodName>(method: M, params?: ParamsOf<M>): Promise<ResultOf<M>>;
  /** The boot's prefetched answer to exactly this request, once; undefined if there is none (ask with `request`). */
  takePrefetched<M extends MethodName>(method: M, params: ParamsOf<M>): EarlyAnswer<ResultOf<M>> | undefined;
  /** Returns an unsubscribe function. */
  subscribe(listener: (notification: AnyNotification) => void): () => void;
}

/** What the Electron preload exposes: untyped at the boundary, validated on the other side. */
export interface RawBridge {
  request(method: string, params?: unknown): Promise<unknown>;
  subscribe(listener: (notification: { method: string; params: unknown }) => void): () => void;
}
