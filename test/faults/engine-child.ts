// The engine host the fault suite kills: the real engine worker (`EngineSession`, as `spool serve`
// and Electron run it, live indexing on) behind the real router, speaking newline-delimited
// JSON-RPC on stdin/stdout instead of a WebSocket. Nothing here changes what the engine does; the
// transport is only the cheapest one to kill -9 and restart hundreds of times.
//   node test/faults/engine-child.ts --home H --data-dir D
// stdout: {"ready":true,"messages":[…]} once, then one JSON object a line (responses and
// notifications, in the order the host sends them).
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { EngineSession } from '../../src/main/host/engine-session.ts';
import { createRouter } from '../../src/main/rpc/router.ts';

const { values } = parseArgs({
  options: { home: { type: 'string' }, 'data-dir': { type: 'string' }, 'parse-workers': { type: 'string' } },
});
if (!values.home || !values['data-dir']) throw new Error('engine-child needs --home and --data-dir');

const out = (o: unknown): void => {
  process.stdout.write(`${JSON.stringify(o)}\n`);
};

let session: EngineSession;
try {
  session = await EngineSession.start({
    home: values.home,
    dataDir: values['data-dir'],
    live: true,
    ...(values['parse-workers'] !== undefined ? { parseWorkers: Number(values['parse-workers']) } : {}),
  });
} catch (err) {
  out({ fatal: err instanceof Error ? err.message : String(err) });
  process.exit(3);
}
session.onNotification((n) => out({ jsonrpc: '2.0', ...n }));
const router = createRouter({
  engine: session,
  host: { 'host/info': () => ({ host: 'cli', platform: process.platform, canReveal: false, canSaveDialog: false }) },
});
out({ ready: true, messages: session.startupMessages });

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  void router.handle(line).then((res) => {
    if (res) out(res);
  });
});
rl.on('close', () => {
  void session.close().then(() => process.exit(0));
});
