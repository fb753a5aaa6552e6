// The host side of the engine worker: implements EngineLike for the router by posting validated
// calls to the worker, and relays the engine's notifications.
import { Worker } from 'node:worker_threads';
import { RpcError } from '../../shared/jsonrpc.ts';
import type { AnyNotification, EngineMethodName, ParamsOf, ResultOf } from '../../shared/protocol/index.ts';
import { JsonText, type EngineLike } from '../rpc/router.ts';
import type { EngineWorkerData, FromWorker, ToWorker } from './engine-protocol.ts';

export const defaultEngineWorkerUrl = (): URL => new URL('./engine-worker.ts', import.meta.url);

export class EngineClient implements EngineLike {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(n: AnyNotification) => void>();
  private closedPromise: Promise<void> | null = null;
  readonly startupMessages: string[] = [];
  onInternalError: (detail: string) => void = () => undefined;

  private constructor(worker: Worker) {
    this.worker = worker;
  }

  static start(data: EngineWorkerData, workerUrl: URL | string = defaultEngineWorkerUrl()): Promise<EngineClient> {
    const worker = new Worker(workerUrl, { workerData: data });
    const client = new EngineClient(worker);
    return new Promise((resolve, reject) => {
      const onEarlyExit = (code: number): void => reject(new Error(`engine worker exited during start (code ${code})`));
      worker.once('exit', onEarlyExit);
      worker.on('error', (err) => {
        reject(err);
        client.failAll(err);
      });
      worker.on('message', (m: FromWorker) => {
        switch (m.t) {
          case 'ready':
            worker.off('exit', onEarlyExit);
            client.startupMessages.push(...m.messages);
            worker.on('exit', () => client.failAll(new Error('engine worker exited')));
            resolve(client);
            break;
          case 'fatal': {
            const e = new Error(m.error);
            e.name = m.name;
            reject(e);
            break;
          }
          case 'result':
            client.settle(m.id, (p) => p.resolve(m.json !== undefined ? new JsonText(m.json) : m.result));
            break;
          case 'error':
            if (m.internal) client.onInternalError(m.internal);
            client.settle(m.id, (p) => p.reject(new RpcError(m.error.code, m.error.message, m.error.data)));
            break;
          case 'note':
            for (const l of client.listeners) l(m.note);
            break;
          case 'closed':
            break;
        }
      });
    });
  }

  private settle(id: number, f: (p: { resolve: (v: unknown) => void; reject: (e: Error) => void }) => void): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    f(p);
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(new RpcError(-32603, `internal error: ${err.message}`));
    this.pending.clear();
  }

  call<M extends EngineMethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const id = this.nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ t: 'call', id, method, params } satisfies ToWorker);
    });
  }

  /** The same call, answered with the result as JSON text. */
  callJson(method: EngineMethodName, params: unknown): Promise<JsonText> {
    const id = this.nextId++;
    return new Promise<JsonText>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ t: 'call', id, method, params, json: true } satisfies ToWorker);
    });
  }

  onNotification(listener: (n: AnyNotification) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    this.closedPromise ??= new Promise<void>((resolve) => {
      const done = (): void => resolve();
      this.worker.once('exit', done);
      this.worker.postMessage({ t: 'close' } satisfies ToWorker);
      setTimeout(() => {
        void this.worker.terminate().then(done);
      }, 5000).unref();
    });
    return this.closedPromise;
  }
}
