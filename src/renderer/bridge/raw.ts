// The renderer's raw line to the engine: Electron's preload (window.spool) or, in browser mode, the
// WebSocket of `spool serve`. Answers are unvalidated JSON-RPC envelopes; bridge/index.ts validates
// them for the app. This module loads no schema library and no React, because the boot code
// (../main.ts) uses it to ask for the first screen's data while the app's bundle is still loading;
// the app then takes that answer instead of asking again (see takePrefetched).
import type { RawBridge } from '../../shared/bridge.ts';
import { createWsRawBridge } from './ws-raw.ts';
import { httpRequester } from './http-raw.ts';
import { createPrefetcher, type Prefetcher } from './prefetch.ts';

declare global {
  interface Window {
    spool?: RawBridge;
  }
}

let raw: RawBridge | null = null;
const connectionListeners = new Set<(up: boolean) => void>();
/** The browser host's socket is open now. */
let connected = false;

export function getRawBridge(): RawBridge {
  raw ??= window.spool ?? connectWebSocket();
  return raw;
}

const rpcUrl = (scheme: 'http' | 'ws'): string => {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const secure = location.protocol === 'https:' ? 's' : '';
  return `${scheme}${secure}://${location.host}/rpc?token=${encodeURIComponent(token)}`;
};

function connectWebSocket(): RawBridge {
  const ws = createWsRawBridge(rpcUrl('ws'));
  ws.onConnectionChange((up) => {
    connected = up;
    for (const l of connectionListeners) l(up);
  });
  return ws;
}

/** Resolves once the line is up: at once over IPC, when the socket is open in browser mode. */
export function untilConnected(): Promise<void> {
  if (window.spool || connected) return Promise.resolve();
  return new Promise((resolve) => {
    const off = onConnectionChange((up) => {
      if (!up) return;
      off();
      resolve();
    });
  });
}

/** The browser host's socket going down and coming back (Electron's IPC does not drop). */
export function onConnectionChange(cb: (up: boolean) => void): () => void {
  connectionListeners.add(cb);
  return () => connectionListeners.delete(cb);
}

// The boot's prefetch (prefetch.ts) over this line: main.ts sends, the app's bridge takes.
let prefetcher: Prefetcher | null = null;
// In browser mode the prefetch is a `POST /rpc`: it leaves at once, while the socket cannot send
// before its open event has run on this thread.
const prefetcherOf = (): Prefetcher => {
  const line = getRawBridge();
  prefetcher ??= createPrefetcher(window.spool ? line : { request: httpRequester(rpcUrl('http')), subscribe: line.subscribe });
  return prefetcher;
};

export const prefetch: Prefetcher['prefetch'] = (method, params, staleOn) => prefetcherOf().prefetch(method, params, staleOn);
export const takePrefetched: Prefetcher['take'] = (method, params) => (prefetcher ? prefetcher.take(method, params) : undefined);
