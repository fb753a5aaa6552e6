// Worker-thread entry: parses batches of rollout files for the pool.
import { parentPort } from 'node:worker_threads';
import { checkIntegrity } from '../db/database.ts';
import { parseAllInline, type WorkerReply, type WorkerRequest } from './parse-pool.ts';

if (!parentPort) throw new Error('parse-worker must run in a worker thread');
const port = parentPort;
port.on('message', (request: WorkerRequest) => {
  if (Array.isArray(request)) port.postMessage(parseAllInline(request) satisfies WorkerReply);
  else port.postMessage({ integrity: checkIntegrity(request.checkIntegrity) } satisfies WorkerReply);
});
// Modules are loaded: the pool may send work here instead of parsing on its own thread.
port.postMessage('ready');
