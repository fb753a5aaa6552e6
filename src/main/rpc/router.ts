// The one JSON-RPC router. Every host (Electron IPC, the browser WebSocket, the CLI) hands it raw
// messages; it parses, validates the envelope and the params against the shared schemas, then
// dispatches to the engine or to the host. Nothing reaches a handler unvalidated. In development
// and tests, the results of codex's methods are checked against codex's schema too (result-check.ts).
import { type z } from 'zod';
import { ErrorCode, RequestEnvelope, RpcError, errorResponse, type RequestId, type Response } from '../../shared/jsonrpc.ts';
import {
  isHostMethod,
  isMethodName,
  methods,
  type HostMethodName,
  type MethodName,
  type ParamsOf,
  type ResultOf,
  type EngineMethodName,
} from '../../shared/protocol/index.ts';
import { resultCheckFromEnv, type ResultCheck } from './result-check.ts';

export type HostHandlers = { [M in HostMethodName]?: (params: ParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>> };

export interface EngineLike {
  call<M extends EngineMethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  /** The same call with the result as JSON text (an engine in a worker serialises it there). */
  callJson?(method: EngineMethodName, params: unknown): Promise<JsonText>;
}

/** A result already serialised to JSON: a response carrying one is written by serializeResponse. */
export class JsonText {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** A response as JSON text; a JsonText result is spliced in as it is. */
export function serializeResponse(r: Response): string {
  const result = (r as { result?: unknown }).result;
  if (!(result instanceof JsonText)) return JSON.stringify(r);
  return `{"jsonrpc":"2.0","id":${JSON.stringify(r.id)},"result":${result.text}}`;
}

export interface Router {
  /** Handles one message (a JSON string or an already-parsed value). Resolves to null for notifications. */
  handle(message: unknown): Promise<Response | null>;
}

export interface RouterOptions {
  engine: EngineLike;
  host?: HostHandlers;
  /** Called for unexpected (non-RpcError) failures, for logging. */
  onInternalError?: (method: string, err: unknown) => void;
  /**
   * Engine results as JsonText where the engine can give them (a host that writes text, like the
   * WebSocket): responses must then be written with serializeResponse.
   */
  engineJson?: boolean;
  /**
   * How results of codex's methods are checked against codex's schema: by default as
   * SPOOL_CHECK_RESULTS asks (not at all when it is unset); `false` never (a packaged app, or a
   * test of routing with a stand-in engine); or with this check. A result that fails it is answered
   * as an internal error, so that a test sees it.
   */
  checkResults?: ResultCheck | false;
}

function describeIssues(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

const idOf = (v: unknown): RequestId | null => {
  if (typeof v !== 'object' || v === null) return null;
  const id = (v as { id?: unknown }).id;
  // Only an id the envelope schema accepts is echoed: an answer must itself be a valid response.
  return (typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && id.length <= 200) ? id : null;
};

/** Validates params for a method; codex's own methods report schema errors the way codex does. */
export function validateParams<M extends MethodName>(method: M, raw: unknown): ParamsOf<M> {
  const spec = methods[method];
  const parsed = spec.params.safeParse(raw === undefined || raw === null ? {} : raw);
  if (!parsed.success) {
    const detail = describeIssues(parsed.error);
    throw spec.codexCompatible
      ? new RpcError(ErrorCode.InvalidRequest, `Invalid request: ${detail}`)
      : new RpcError(ErrorCode.InvalidParams, `Invalid params: ${detail}`);
  }
  return parsed.data as ParamsOf<M>;
}

export function createRouter(opts: RouterOptions): Router {
  const check = opts.checkResults === false ? null : opts.checkResults ? Promise.resolve(opts.checkResults) : resultCheckFromEnv();
  const checked = async (method: MethodName, result: unknown): Promise<unknown> => {
    if (!check) return result;
    const errors = (await check)(method, result instanceof JsonText ? JSON.parse(result.text) : result);
    if (errors.length > 0) throw new Error(`the result of ${method} does not match codex's schema: ${errors.slice(0, 5).join('; ')}`);
    return result;
  };

  const dispatch = async (method: MethodName, params: unknown): Promise<unknown> => {
    if (isHostMethod(method)) {
      const h = opts.host?.[method] as ((p: unknown) => unknown) | undefined;
      if (!h) throw new RpcError(ErrorCode.MethodNotFound, `${method} is not available in this host`);
      return h(validateParams(method, params));
    }
    const valid = validateParams(method, params) as ParamsOf<typeof method>;
    if (opts.engineJson && opts.engine.callJson) return opts.engine.callJson(method, valid);
    return opts.engine.call(method, valid);
  };

  return {
    async handle(message) {
      let value: unknown = message;
      if (typeof message === 'string') {
        try {
          value = JSON.parse(message);
        } catch {
          return errorResponse(null, new RpcError(ErrorCode.ParseError, 'Parse error: message is not valid JSON'));
        }
      }
      const env = RequestEnvelope.safeParse(value);
      if (!env.success) {
        // A well-formed notification from a client (e.g. codex's `initialized`) gets no answer.
        if (
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          !('id' in value) &&
          typeof (value as { method?: unknown }).method === 'string'
        )
          return null;
        return errorResponse(idOf(value), new RpcError(ErrorCode.InvalidRequest, `Invalid request: ${describeIssues(env.error)}`));
      }
      const { id, method, params } = env.data;
      if (!isMethodName(method))
        return errorResponse(id, new RpcError(ErrorCode.MethodNotFound, `method not found: ${method.slice(0, 100)}`));
      try {
        const result = await checked(method, (await dispatch(method, params)) ?? {});
        return { jsonrpc: '2.0', id, result };
      } catch (err) {
        if (err instanceof RpcError) return errorResponse(id, err);
        opts.onInternalError?.(method, err);
        const msg = err instanceof Error ? err.message : String(err);
        return errorResponse(id, new RpcError(ErrorCode.Internal, `internal error: ${msg.slice(0, 500)}`));
      }
    },
  };
}
