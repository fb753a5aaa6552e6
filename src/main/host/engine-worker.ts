// Worker-thread entry that owns the engine, so SQLite and indexing never run on a host's main
// event loop (Electron's main process, or the browser host's HTTP/WebSocket server).
import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../engine/engine.ts';
import { RpcError } from '../../shared/jsonrpc.ts';
import type { EngineMethodName } from '../../shared/protocol/index.ts';
import type { EngineWorkerData, FromWorker, ToWorker } from './engine-protocol.ts';

if (!parentPort) throw new Error('engine-worker must run in a worker thread');
const port = parentPort;
const data = workerData as EngineWorkerData;
const post = (m: FromWorker): void => port.postMessage(m);

let engine: Engine;
try {
  engine = Engine.open({
    home: data.home,
    dataDir: data.dataDir,
    ...(data.parseWorkers !== undefined ? { parseWorkers: data.parseWorkers } : {}),
    ...(data.parseWorkerUrl ? { parseWorkerUrl: data.parseWorkerUrl } : {}),
  });
} catch (err) {
  post({ t: 'fatal', error: err instanceof Error ? err.message : String(err), name: err instanceof Error ? err.name : 'Error' });
  throw err;
}

engine.events.on((note) => post({ t: 'note', note }));
for (const text of engine.startupMessages) engine.events.emit('spool/message', { level: 'warning', text });
if (data.live) {
  engine
    .startLive((err) =>
      engine.events.emit('spool/message', { level: 'error', text: `indexing: ${err instanceof Error ? err.message : String(err)}` }),
    )
    .catch(() => undefined);
}
post({ t: 'ready', messages: engine.startupMessages });

port.on('message', (m: ToWorker) => {
  if (m.t === 'close') {
    engine.close().finally(() => {
      post({ t: 'closed' });
      port.close();
    });
    return;
  }
  engine.call(m.method as EngineMethodName, m.params as never).then(
    // Serialised here, off the host's thread, and sent as one string: cheaper to pass between
    // threads than the object graph (a page of threads), which the host would serialise anyway.
    (result) => post(m.json ? { t: 'result', id: m.id, json: JSON.stringify(result ?? {}) } : { t: 'result', id: m.id, result }),
    (err: unknown) => {
      if (err instanceof RpcError) post({ t: 'error', id: m.id, error: err.toJSON() });
      else
        post({
          t: 'error',
          id: m.id,
          error: { code: -32603, message: `internal error: ${err instanceof Error ? err.message : String(err)}` },
          internal: err instanceof Error ? (err.stack ?? err.message) : String(err),
        });
    },
  );
});
