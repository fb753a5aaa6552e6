// One JSON-RPC request as a `POST /rpc` to the browser host (a read; see src/main/host/http-rpc.ts).
// A fetch leaves the moment it is made, where the WebSocket must wait for its open event to run on
// this thread; the boot code uses it for the first page. The answer is the response envelope, as
// received; a failure becomes an error envelope, as a dropped socket does.
import { ErrorCode } from '../../shared/error-codes.ts';
import type { RawBridge } from '../../shared/bridge.ts';

export function httpRequester(url: string): RawBridge['request'] {
  return async (method, params) => {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 0, method, params }),
        cache: 'no-store',
        credentials: 'omit',
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return (await res.json()) as unknown;
    } catch (e) {
      return {
        jsonrpc: '2.0',
        id: 0,
        error: { code: ErrorCode.Internal, message: `Spool did not answer: ${e instanceof Error ? e.message : String(e)}` },
      };
    }
  };
}
