// The bridge over the browser host's WebSocket: JSON-RPC requests with ids, responses matched by
// id, notifications validated against the protocol's schemas, and reconnection with backoff.
import { ResponseEnvelope, RpcError, ErrorCode } from '../../shared/jsonrpc.ts';
import { isNotificationName, notifications, type AnyNotification } from '../../shared/protocol/index.ts';
import type { RawBridge } from '../../shared/bridge.ts';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export function createWsBridge(url: string): RawBridge & { onConnectionChange(cb: (up: boolean) => void): () => void } {
  let ws: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  const listeners = new Set<(n: { method: string; params: unknown }) => void>();
  const connListeners = new Set<(up: boolean) => void>();

  const connect = (): void => {
    const sock = new WebSocket(url);
    ws = sock;
    sock.onopen = () => {
      attempt = 0;
      for (const m of queue.splice(0)) sock.send(m);
      for (const l of connListeners) l(true);
    };
    sock.onmessage = (ev: MessageEvent<string>) => {
      let msg: unknown;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (typeof msg === 'object' && msg !== null && 'method' in msg && !('id' in msg)) {
        const { method, params } = msg as { method: unknown; params: unknown };
        if (typeof method !== 'string' || !isNotificationName(method)) return;
        const parsed = notifications[method].safeParse(params);
        if (!parsed.success) return;
        for (const l of listeners) l({ method, params: parsed.data } as AnyNotification);
        return;
      }
      const res = ResponseEnvelope.safeParse(msg);
      if (!res.success || res.data.id === null || typeof res.data.id !== 'number') return;
      const p = pending.get(res.data.id);
      if (!p) return;
      pending.delete(res.data.id);
      if ('error' in res.data) p.reject(new RpcError(res.data.error.code, res.data.error.message, res.data.error.data));
      else p.resolve(res.data.result);
    };
    sock.onclose = () => {
      ws = null;
      for (const l of connListeners) l(false);
      for (const p of pending.values()) p.reject(new RpcError(ErrorCode.Internal, 'connection to Spool lost'));
      pending.clear();
      const delay = Math.min(5000, 200 * 2 ** attempt++);
      setTimeout(connect, delay);
    };
  };
  connect();

  return {
    request(method, params) {
      const id = nextId++;
      const text = JSON.stringify({ jsonrpc: '2.0', id, method, params });
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        if (ws && ws.readyState === WebSocket.OPEN) ws.send(text);
        else queue.push(text);
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConnectionChange(cb) {
      connListeners.add(cb);
      return () => connListeners.delete(cb);
    },
  };
}
