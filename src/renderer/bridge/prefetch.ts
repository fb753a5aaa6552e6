// One answer asked for early and taken once by the code that needs it. The boot code
// (../main.ts) asks for the list's first page while the app's bundle loads; the thread window
// takes it (synchronously, when it is already here, so the app's first render has the rows).
// Plain TypeScript over a RawBridge: no schema library, no DOM.
import type { RawBridge } from '../../shared/bridge.ts';

/** A prefetched answer, as the raw line gave it (a JSON-RPC response envelope). */
export interface RawEarlyAnswer {
  /** Set once the answer is here. */
  settled: { envelope: unknown } | undefined;
  answer: Promise<unknown>;
}

export interface Prefetcher {
  /**
   * Sends a request now, for `take` later. A notification named in `staleOn` (something changed
   * what the answer describes) discards it: the app then asks afresh, after it has subscribed, so
   * it cannot miss the change. Resolves when the answer is here (or failed).
   */
  prefetch(method: string, params: unknown, staleOn: readonly string[]): Promise<void>;
  /** The prefetched answer to exactly this request, once; undefined if there is none (ask now). */
  take(method: string, params: unknown): RawEarlyAnswer | undefined;
}

/** The same request whatever order its params' members were written in. */
export function requestKey(method: string, params: unknown): string {
  return JSON.stringify([method, params ?? null], (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** An answer not taken by then was not for the app (it opened another route, or started slowly). */
const TTL_MS = 10_000;

export function createPrefetcher(raw: RawBridge): Prefetcher {
  const entries = new Map<string, { early: RawEarlyAnswer; stop: () => void }>();
  const drop = (key: string): RawEarlyAnswer | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    entry.stop();
    entries.delete(key);
    return entry.early;
  };
  return {
    prefetch(method, params, staleOn) {
      const key = requestKey(method, params);
      drop(key);
      const early: RawEarlyAnswer = { settled: undefined, answer: raw.request(method, params) };
      // Never taken, a failure must not surface as an unhandled rejection; taken, it still rejects.
      const here = early.answer.then(
        (envelope) => {
          early.settled = { envelope };
        },
        () => undefined,
      );
      const off = raw.subscribe((n) => {
        if (staleOn.includes(n.method)) drop(key);
      });
      const timer = setTimeout(() => drop(key), TTL_MS);
      entries.set(key, {
        early,
        stop: () => {
          off();
          clearTimeout(timer);
        },
      });
      return here;
    },
    take(method, params) {
      return entries.size === 0 ? undefined : drop(requestKey(method, params));
    },
  };
}
