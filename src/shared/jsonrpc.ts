// JSON-RPC 2.0 envelope, shared by every host (Electron IPC, WebSocket, CLI) and the renderer.
// Codex's app-server speaks "JSON-RPC lite": the `jsonrpc` member is optional on input, so we
// accept it with or without, and always write it.
import { z } from 'zod';
import { ErrorCode } from './error-codes.ts';

export { ErrorCode } from './error-codes.ts';

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** An error that crosses the wire as a JSON-RPC error object. */
export class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.data = data;
  }
  toJSON(): RpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

export const invalidRequest = (message: string, data?: unknown): RpcError => new RpcError(ErrorCode.InvalidRequest, message, data);
export const invalidParams = (message: string, data?: unknown): RpcError => new RpcError(ErrorCode.InvalidParams, message, data);
export const methodNotFound = (method: string): RpcError => new RpcError(ErrorCode.MethodNotFound, `method not found: ${method}`);
export const internalError = (message: string): RpcError => new RpcError(ErrorCode.Internal, message);

export const RequestId = z.union([z.number().int(), z.string().max(200)]);
export type RequestId = z.infer<typeof RequestId>;

export const RequestEnvelope = z.object({
  jsonrpc: z.literal('2.0').optional(),
  id: RequestId,
  method: z.string().min(1).max(200),
  params: z.unknown().optional(),
});
export type RequestEnvelope = z.infer<typeof RequestEnvelope>;

export const NotificationEnvelope = z.object({
  jsonrpc: z.literal('2.0').optional(),
  method: z.string().min(1).max(200),
  params: z.unknown().optional(),
});

export interface SuccessResponse<R = unknown> {
  jsonrpc: '2.0';
  id: RequestId;
  result: R;
}
export interface ErrorResponse {
  jsonrpc: '2.0';
  id: RequestId | null;
  error: RpcErrorObject;
}
export type Response<R = unknown> = SuccessResponse<R> | ErrorResponse;

export interface Notification<P = unknown> {
  jsonrpc: '2.0';
  method: string;
  params: P;
}

export const ResponseEnvelope = z.union([
  z.object({ jsonrpc: z.literal('2.0').optional(), id: RequestId, result: z.unknown() }),
  z.object({
    jsonrpc: z.literal('2.0').optional(),
    id: RequestId.nullable(),
    error: z.object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() }),
  }),
]);

export const isErrorResponse = (r: Response): r is ErrorResponse => 'error' in r;

export function errorResponse(id: RequestId | null, err: RpcError): ErrorResponse {
  return { jsonrpc: '2.0', id, error: err.toJSON() };
}
