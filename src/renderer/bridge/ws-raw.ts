// The browser host's WebSocket as a RawBridge: JSON-RPC requests with ids, answers matched by id,
// notifications passed on, reconnection with backoff. It validates nothing (an answer is the
// response envelope as received; bridge/index.ts checks it against the protocol) and imports no
// schema library, so the boot code can open the socket while the app's bundle still loads.
import { ErrorCode } from '../../shared/error-codes.ts';
import type { RawBridge } from '../../shared/bridge.ts';

export interface WsRawBridge extends RawBridge {
  onConnectionChange(cb: (up: boolean) => void): () => void;
}

type Notification = { method: string; params: unknown };

export function createWsRawBridge(url: string): WsRawBridge {
  let ws: WebSocket | null = null;
  let nextId = 1;
  let attempt = 0;
  const pending = new Map<number, (envelope: unknown) => void>();
  const queue: string[] = [];
  const listeners = new Set<(n: Notification) => void>();
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
      if (typeof msg !== 'object' || msg === null) return;
      const m = msg as { id?: unknown; method?: unknown; params?: unknown };
      if (!('id' in m)) {
        if (typeof m.method === 'string') for (const l of listeners) l({ method: m.method, params: m.params });
        return;
      }
      if (typeof m.id !== 'number') return;
      const settle = pending.get(m.id);
      if (!settle) return;
      pending.delete(m.id);
      settle(msg);
    };
    sock.onclose = () => {
      ws = null;
      for (const l of connListeners) l(false);
      // Requests in flight get an error answer (the server may or may not have carried them out).
      for (const [id, settle] of pending)
        settle({ jsonrpc: '2.0', id, error: { code: ErrorCode.Internal, message: 'connection to Spool lost' } });
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
      return new Promise((resolve) => {
        pending.set(id, resolve);
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
