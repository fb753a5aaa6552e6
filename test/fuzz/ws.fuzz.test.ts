// Fuzz of the browser host's WebSocket: hostile texts (requests, non-requests, malformed JSON,
// batches, huge and deep values, path-like ids, forged cursors) sent to the real `spool serve`
// server (serve.ts + the engine worker on a copy of a real home). Each gets a JSON-RPC answer (a
// frame over the size bound closes that socket with 1009), the host stays up, memory stays bounded.
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineSession } from '../../src/main/host/engine-session.ts';
import { MAX_MESSAGE_BYTES, startServer, type RunningServer } from '../../src/main/host/serve.ts';
import { tmpDir } from '../support/tmp.ts';
import {
  checkAnswer,
  describeOutcomes,
  expectsAnswer,
  FUZZ_SEED,
  hostileText,
  memory,
  fuzzHome,
  methodOf,
  newOutcomes,
  samples,
} from './requests.ts';

const RUNS = 4000;
const WARMUP = 300;
/** Fresh socket every so often: the per-socket rate bound is tested on its own (serve.bounds.test.ts). */
const PER_SOCKET = 1000;
let session: EngineSession;
let server: RunningServer;
let ids: string[] = [];

beforeAll(async () => {
  ({ session, ids } = await fuzzHome('ws'));
  expect(ids.length).toBeGreaterThan(5);
  // The bound on changes is proven on its own (serve.bounds.test.ts); here mutations must reach the engine.
  server = await startServer({ engine: session, rendererDir: tmpDir('spool-ws-fuzz-ui-'), mutationRate: { burst: 1e9, perSecond: 1e9 } });
});
afterAll(async () => {
  await server?.close();
  await session?.close();
});

type Event = { kind: 'message'; value: unknown } | { kind: 'close'; code: number };

/** A socket whose answers (not notifications) are read one at a time. */
async function open(): Promise<{ ws: WebSocket; next: (ms?: number) => Promise<Event> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`, { maxPayload: 64 * 1024 * 1024 });
  const queue: Event[] = [];
  let wake: (() => void) | null = null;
  const push = (e: Event): void => {
    queue.push(e);
    wake?.();
  };
  ws.on('message', (d) => {
    const v = JSON.parse(String(d)) as Record<string, unknown>;
    if (!('id' in v) && typeof v['method'] === 'string') return; // a notification from the engine
    push({ kind: 'message', value: v });
  });
  ws.on('close', (code) => push({ kind: 'close', code }));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = async (ms = 15_000): Promise<Event> => {
    const deadline = Date.now() + ms;
    while (queue.length === 0) {
      if (Date.now() > deadline) throw new Error('no answer');
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 100);
      });
      wake = null;
    }
    return queue.shift()!;
  };
  return { ws, next };
}

describe('WebSocket fuzz', () => {
  it(`answers ${RUNS} hostile messages with JSON-RPC, closes on oversized frames, stays up`, async () => {
    const start = await memory();
    let before = start;
    let i = 0;
    const out = newOutcomes();
    const problems: string[] = [];
    let oversized = 0;
    let silent = 0;
    let sock = await open();
    let sent = 0;
    for (const text of samples(hostileText(ids), RUNS)) {
      // Measured after a warm-up: schemas compiled, statements prepared, caches filled once.
      if (i++ === WARMUP) before = await memory();
      if (sent++ % PER_SOCKET === PER_SOCKET - 1) {
        sock.ws.close();
        sock = await open();
      }
      sock.ws.send(text);
      if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES) {
        const e = await sock.next();
        if (e.kind !== 'close' || e.code !== 1009)
          problems.push(`oversized frame (${Buffer.byteLength(text)} bytes) got ${JSON.stringify(e).slice(0, 200)}`);
        oversized++;
        sock = await open();
        continue;
      }
      if (!expectsAnswer(text)) {
        silent++;
        continue;
      }
      const e = await sock.next();
      if (e.kind === 'close') {
        problems.push(`socket closed (${e.code}) on ${text.slice(0, 200)}`);
        sock = await open();
        continue;
      }
      const method = methodOf(text);
      const p = checkAnswer(e.value, method, out);
      if (p) problems.push(`${p}\n  sent: ${text.slice(0, 300)}`);
    }
    // The host is still up, and a client notification got no answer in between: a valid request now gets its own.
    sock.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'final', method: 'thread/list', params: { limit: 1 } }));
    const last = await sock.next();
    expect(last).toMatchObject({ kind: 'message', value: { id: 'final', result: { data: expect.any(Array) } } });
    sock.ws.close();
    const after = await memory();
    console.log(
      `${describeOutcomes('WebSocket', out)}; ${oversized} oversized frames closed with 1009; ${silent} notifications (no answer); seed ${FUZZ_SEED}; host memory at start rss ${start.rssMb} MB heap ${start.heapMb} MB, after warm-up rss ${before.rssMb} MB heap ${before.heapMb} MB, after rss ${after.rssMb} MB heap ${after.heapMb} MB`,
    );
    expect(problems.slice(0, 5)).toEqual([]);
    expect(out.requests + oversized + silent).toBe(RUNS);
    expect(after.heapMb - before.heapMb).toBeLessThan(150);
    expect(after.rssMb - before.rssMb).toBeLessThan(600);
  });
});
