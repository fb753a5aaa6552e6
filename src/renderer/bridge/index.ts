// The renderer's only way out: a typed SpoolBridge over Electron's preload (window.spool) or, in
// browser mode, over the WebSocket of `spool serve`. Same JSON-RPC either way.
import { RpcError, ResponseEnvelope, ErrorCode } from '../../shared/jsonrpc.ts';
import { isNotificationName, notifications, type AnyNotification } from '../../shared/protocol/index.ts';
import type { RawBridge, SpoolBridge } from '../../shared/bridge.ts';
import { createWsBridge } from './ws-bridge.ts';

declare global {
  interface Window {
    spool?: RawBridge;
  }
}

function fromIpc(raw: RawBridge): SpoolBridge {
  return {
    async request(method, params) {
      // The preload returns the JSON-RPC response envelope; errors keep their codes.
      const res = ResponseEnvelope.safeParse(await raw.request(method, params));
      if (!res.success) throw new RpcError(ErrorCode.Internal, 'malformed response from the main process');
      if ('error' in res.data) throw new RpcError(res.data.error.code, res.data.error.message, res.data.error.data);
      return res.data.result as never;
    },
    subscribe(listener) {
      return raw.subscribe((n) => {
        if (!isNotificationName(n.method)) return;
        const parsed = notifications[n.method].safeParse(n.params);
        if (parsed.success) listener({ method: n.method, params: parsed.data } as AnyNotification);
      });
    },
  };
}

function fromWs(raw: RawBridge): SpoolBridge {
  return {
    request: (method, params) => raw.request(method, params) as never,
    subscribe: (listener) => raw.subscribe((n) => listener(n as AnyNotification)),
  };
}

let bridge: SpoolBridge | null = null;
let connectionListeners: ((up: boolean) => void)[] = [];

export function getBridge(): SpoolBridge {
  if (bridge) return bridge;
  if (window.spool) {
    bridge = fromIpc(window.spool);
  } else {
    const token = new URLSearchParams(location.search).get('token') ?? '';
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = createWsBridge(`${scheme}://${location.host}/rpc?token=${encodeURIComponent(token)}`);
    ws.onConnectionChange((up) => {
      for (const l of connectionListeners) l(up);
    });
    bridge = fromWs(ws);
  }
  return bridge;
}

export function onConnectionChange(cb: (up: boolean) => void): () => void {
  connectionListeners.push(cb);
  return () => {
    connectionListeners = connectionListeners.filter((l) => l !== cb);
  };
}
