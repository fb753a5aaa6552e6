// Worker-thread entry: parses batches of rollout files for the pool.
import { parentPort } from 'node:worker_threads';
import type { ParseJob } from '../rollout/parse-file.ts';
import { parseAllInline } from './parse-pool.ts';

if (!parentPort) throw new Error('parse-worker must run in a worker thread');
const port = parentPort;
port.on('message', (jobs: ParseJob[]) => {
  port.postMessage(parseAllInline(jobs));
});
// Modules are loaded: the pool may send work here instead of parsing on its own thread.
port.postMessage('ready');
