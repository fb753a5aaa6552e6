// Worker-thread entry: parses rollout files for the pool, one job at a time.
import { parentPort } from 'node:worker_threads';
import { parseFile, type ParseJob } from '../rollout/parse-file.ts';

if (!parentPort) throw new Error('parse-worker must run in a worker thread');
const port = parentPort;
port.on('message', (job: ParseJob) => {
  port.postMessage(parseFile(job));
});
