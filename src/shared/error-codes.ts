// JSON-RPC 2.0's error codes, as plain data: code that runs before the schema library is loaded
// (the renderer's boot, its raw socket) needs them too. jsonrpc.ts re-exports them.
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  Internal: -32603,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
