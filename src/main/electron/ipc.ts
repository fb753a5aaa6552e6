// The one IPC request channel, without Electron: the sender is checked (top frame of a trusted
// origin), the arguments are checked (a method name and at most one params value), then the call
// goes through the router, which validates the params against the shared schemas. Whatever
// arrives, the answer is a JSON-RPC response, never a thrown error.
import { ErrorCode, RpcError, errorResponse, type Response } from '../../shared/jsonrpc.ts';
import type { Router } from '../rpc/router.ts';
import { isTrustedSender, type IpcSenderLike } from './policy.ts';

export type IpcRequestHandler = (event: IpcSenderLike, ...args: unknown[]) => Promise<Response | null>;

export function createIpcRequestHandler(router: Router, origins: () => ReadonlySet<string>): IpcRequestHandler {
  let nextId = 1;
  return async (event, ...args) => {
    if (!isTrustedSender(event, origins())) return errorResponse(null, new RpcError(ErrorCode.InvalidRequest, 'untrusted sender'));
    if (args.length < 1 || args.length > 2)
      return errorResponse(null, new RpcError(ErrorCode.InvalidRequest, 'Invalid request: expected (method, params?)'));
    const [method, params] = args;
    if (typeof method !== 'string')
      return errorResponse(null, new RpcError(ErrorCode.InvalidRequest, 'Invalid request: method must be a string'));
    // The preload's request() has no ids of its own: each call gets one so the answer is a request's, never a notification's null.
    return router.handle({ jsonrpc: '2.0', id: nextId++, method, params });
  };
}
