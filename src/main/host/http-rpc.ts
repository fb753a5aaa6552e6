// `POST /rpc`: one JSON-RPC request over plain HTTP, for reads only. The page's boot code sends its
// first request this way because a WebSocket can send only once its open event has run on the
// page's main thread, which is busy evaluating the app's bundle just then; a fetch leaves at once.
// Everything else (and every change) goes over the socket, which also carries notifications.
//
// The same gates as the socket, and a few of HTTP's own: the token in the URL (no cookie, so no
// cross-site request can carry it), the Origin when a browser sends one, a JSON content type (a
// cross-site page cannot send one without a CORS preflight, which is refused), a size bound, a rate
// and an in-flight bound.
import type http from 'node:http';
import { ErrorCode, RequestEnvelope, RpcError, errorResponse } from '../../shared/jsonrpc.ts';
import { isMutation } from '../../shared/protocol/index.ts';
import { serializeResponse, type Router } from '../rpc/router.ts';

export interface HttpRpcOptions {
  router: Router;
  /** The token presented in the URL is ours (constant-time). */
  tokenOk: (presented: string | null) => boolean;
  allowedOrigins: () => ReadonlySet<string>;
  /** Takes one token from the host's request bucket; false when it is empty. */
  takeRate: () => boolean;
  maxBytes: number;
  maxInFlight: number;
}

export function createHttpRpcHandler(o: HttpRpcOptions): (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void {
  let inFlight = 0;
  const plain = (res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers }).end(`${text}\n`);
  };
  const json = (res: http.ServerResponse, text: string): void => {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(text);
  };

  return (req, res, url) => {
    if (!o.tokenOk(url.searchParams.get('token'))) return plain(res, 401, 'Spool: /rpc needs the token printed by `spool serve`.');
    const origin = req.headers.origin;
    if (origin !== undefined && !o.allowedOrigins().has(origin)) return plain(res, 403, 'Spool: requests from another origin are refused.');
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return plain(res, 415, 'Spool: /rpc takes application/json.');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > o.maxBytes) return plain(res, 413, `Spool: a request is at most ${o.maxBytes} bytes.`, { Connection: 'close' });
    if (!o.takeRate()) return plain(res, 429, 'Spool: too many requests: slow down.', { 'Retry-After': '1' });
    if (inFlight >= o.maxInFlight) return plain(res, 503, 'Spool: too many requests waiting for an answer.', { 'Retry-After': '1' });

    inFlight += 1;
    let done = false;
    const finish = (): void => {
      if (!done) inFlight -= 1;
      done = true;
    };
    res.on('close', finish);
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      bytes += c.length;
      if (bytes > o.maxBytes) {
        req.removeAllListeners('data');
        plain(res, 413, `Spool: a request is at most ${o.maxBytes} bytes.`, { Connection: 'close' });
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      let value: unknown;
      try {
        value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return json(res, JSON.stringify(errorResponse(null, new RpcError(ErrorCode.ParseError, 'Parse error: the body is not JSON'))));
      }
      const envelope = RequestEnvelope.safeParse(value);
      if (!envelope.success)
        return json(
          res,
          JSON.stringify(errorResponse(null, new RpcError(ErrorCode.InvalidRequest, 'Invalid request: /rpc takes one request with an id'))),
        );
      const { id, method } = envelope.data;
      if (isMutation(method)) {
        return json(
          res,
          JSON.stringify(errorResponse(id, new RpcError(ErrorCode.InvalidRequest, `${method} changes things: send it over the WebSocket`))),
        );
      }
      void o.router.handle(value).then(
        (response) => {
          if (!res.writableEnded && response) json(res, serializeResponse(response));
        },
        () => {
          if (!res.writableEnded) json(res, JSON.stringify(errorResponse(id, new RpcError(ErrorCode.Internal, 'internal error'))));
        },
      );
    });
  };
}
