// Parsing runs off the engine's thread, in a small pool of worker threads: the engine thread only
// stats files and writes SQLite. With `workers: 0` parsing runs inline (tests, tiny homes).
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { parseFile, type ParseJob, type ParseResult } from '../rollout/parse-file.ts';

export interface ParsePool {
  parse(job: ParseJob): Promise<ParseResult>;
  readonly size: number;
  close(): Promise<void>;
}

/** Where the worker entry lives when running from source; bundled hosts pass their own path. */
export const defaultParseWorkerUrl = (): URL => new URL('./parse-worker.ts', import.meta.url);

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

export function createInlinePool(): ParsePool {
  return {
    size: 0,
    parse: (job) => Promise.resolve(parseFile(job)),
    close: () => Promise.resolve(),
  };
}

interface Pending {
  job: ParseJob;
  resolve: (r: ParseResult) => void;
  reject: (e: Error) => void;
}

export function createWorkerPool(count: number, workerUrl: URL | string = defaultParseWorkerUrl()): ParsePool {
  const idle: Worker[] = [];
  const busy = new Map<Worker, Pending>();
  const queue: Pending[] = [];
  let closed = false;

  const spawn = (): Worker => {
    const w = new Worker(workerUrl);
    w.unref();
    w.on('message', (result: ParseResult) => {
      const p = busy.get(w);
      busy.delete(w);
      p?.resolve(result);
      release(w);
    });
    w.on('error', (err) => {
      const p = busy.get(w);
      busy.delete(w);
      // A crashed worker must not lose the job: parse it inline so the index still converges.
      if (p) {
        try {
          p.resolve(parseFile(p.job));
        } catch (e) {
          p.reject(e instanceof Error ? e : new Error(String(err)));
        }
      }
      const i = workers.indexOf(w);
      if (i >= 0 && !closed) {
        workers[i] = spawn();
        release(workers[i]);
      }
    });
    return w;
  };

  const release = (w: Worker): void => {
    const next = queue.shift();
    if (next) {
      busy.set(w, next);
      w.postMessage(next.job);
    } else idle.push(w);
  };

  const workers = Array.from({ length: count }, spawn);
  idle.push(...workers);

  return {
    size: count,
    parse(job) {
      return new Promise<ParseResult>((resolve, reject) => {
        if (closed) return reject(new Error('parse pool closed'));
        const p = { job, resolve, reject };
        const w = idle.pop();
        if (w) {
          busy.set(w, p);
          w.postMessage(job);
        } else queue.push(p);
      });
    },
    async close() {
      closed = true;
      for (const p of queue.splice(0)) p.reject(new Error('parse pool closed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
