// Parsing runs off the engine's thread, in a small pool of worker threads: the engine thread only
// stats files and writes SQLite. Jobs travel in batches (one message per batch each way), because
// per-file messages cost more than parsing a small rollout. With `workers: 0` parsing runs inline
// (tests, tiny homes).
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { checkIntegrity } from '../db/database.ts';
import { parseFile, type ParseJob, type ParseResult } from '../rollout/parse-file.ts';

export interface ParsePool {
  /** Parses the jobs in order; resolves with one result per job. */
  parseBatch(jobs: ParseJob[]): Promise<ParseResult[]>;
  /** Threads parsing in parallel (0 = inline on the calling thread). */
  readonly size: number;
  /** A database's integrity check (`checkIntegrity`), run on a worker: absent where there is none. */
  checkIntegrity?(file: string): Promise<string>;
  close(): Promise<void>;
}

/** Where the worker entry lives when running from source; bundled hosts pass their own path. */
export const defaultParseWorkerUrl = (): URL => new URL('./parse-worker.ts', import.meta.url);

/**
 * One parse worker per core beyond the engine's own thread, at least one and at most four: the
 * engine thread is busy writing SQLite while the workers parse, so a third thread on a two-core
 * machine only adds contention.
 */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

export function parseAllInline(jobs: ParseJob[]): ParseResult[] {
  return jobs.map((j) => parseFile(j));
}

export function createInlinePool(): ParsePool {
  return {
    size: 0,
    parseBatch: (jobs) => Promise.resolve(parseAllInline(jobs)),
    close: () => Promise.resolve(),
  };
}

/** A request posted to a worker: a batch to parse, or an integrity check. */
export type WorkerRequest = ParseJob[] | { checkIntegrity: string };
export type WorkerReply = ParseResult[] | { integrity: string };

interface Pending {
  request: WorkerRequest;
  resolve: (r: WorkerReply) => void;
  reject: (e: Error) => void;
}

/**
 * A pool of worker threads. Batches are posted to a worker at once, to the one with the fewest
 * waiting, and queue in its message port: a worker never waits for the engine thread to hand it the
 * next batch, so it keeps parsing while the engine thread is busy writing a transaction. A worker
 * takes a few hundred milliseconds to load its modules; until the first one is ready, batches are
 * parsed inline, so the newest threads (the first page) do not wait for worker start-up.
 */
export function createWorkerPool(count: number, workerUrl: URL | string = defaultParseWorkerUrl()): ParsePool {
  /** Each worker's batches in the order they were posted; a worker answers them in that order. */
  const waiting = new Map<Worker, Pending[]>();
  let closed = false;
  let anyReady = false;

  const spawn = (): Worker => {
    const w = new Worker(workerUrl);
    w.unref();
    waiting.set(w, []);
    w.on('message', (msg: WorkerReply | 'ready') => {
      if (msg === 'ready') {
        anyReady = true;
        return;
      }
      waiting.get(w)?.shift()?.resolve(msg);
    });
    w.on('error', (err) => {
      const lost = waiting.get(w) ?? [];
      waiting.delete(w);
      // A crashed worker must not lose its jobs: parse them inline so the index still converges.
      for (const p of lost) {
        try {
          p.resolve(Array.isArray(p.request) ? parseAllInline(p.request) : { integrity: checkIntegrity(p.request.checkIntegrity) });
        } catch (e) {
          p.reject(e instanceof Error ? e : new Error(String(err)));
        }
      }
      const i = workers.indexOf(w);
      if (i >= 0 && !closed) workers[i] = spawn();
    });
    return w;
  };

  const workers = Array.from({ length: count }, spawn);

  const leastLoaded = (): Worker => {
    let best = workers[0]!;
    for (const w of workers) if ((waiting.get(w)?.length ?? 0) < (waiting.get(best)?.length ?? 0)) best = w;
    return best;
  };

  const post = (request: WorkerRequest): Promise<WorkerReply> =>
    new Promise<WorkerReply>((resolve, reject) => {
      if (closed) return reject(new Error('parse pool closed'));
      const w = leastLoaded();
      waiting.get(w)!.push({ request, resolve, reject });
      w.postMessage(request);
    });

  return {
    size: count,
    parseBatch(jobs) {
      if (!anyReady && !closed) {
        try {
          return Promise.resolve(parseAllInline(jobs));
        } catch (e) {
          return Promise.reject(e instanceof Error ? e : new Error(String(e)));
        }
      }
      return post(jobs) as Promise<ParseResult[]>;
    },
    async checkIntegrity(file) {
      return ((await post({ checkIntegrity: file })) as { integrity: string }).integrity;
    },
    async close() {
      closed = true;
      for (const list of waiting.values()) for (const p of list.splice(0)) p.reject(new Error('parse pool closed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
