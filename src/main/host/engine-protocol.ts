// Messages between a host's main thread and the engine worker. The router runs on the host's main
// thread (it validates everything), so only validated calls cross into the worker.
import type { RpcErrorObject } from '../../shared/jsonrpc.ts';
import type { AnyNotification } from '../../shared/protocol/index.ts';

export interface EngineWorkerData {
  home: string;
  dataDir: string;
  parseWorkers?: number;
  parseWorkerUrl?: string;
  /** Watch the home and keep the index live (hosts); false for one-shot use. */
  live: boolean;
}

/** With `json`, the worker answers with the result already serialised (see JsonText). */
export type ToWorker = { t: 'call'; id: number; method: string; params: unknown; json?: boolean } | { t: 'close' };

export type FromWorker =
  | { t: 'ready'; messages: string[] }
  | { t: 'fatal'; error: string; name: string }
  | { t: 'result'; id: number; result?: unknown; json?: string }
  | { t: 'error'; id: number; error: RpcErrorObject; internal?: string }
  | { t: 'note'; note: AnyNotification }
  | { t: 'closed' };
