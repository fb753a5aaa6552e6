// Fuzz of the browser host's `POST /rpc` (reads over plain HTTP): the same hostile texts as the
// WebSocket fuzz, posted to the real `spool serve` server on a copy of a real home. Each gets a
// JSON-RPC answer (HTTP 200) or, over the size bound, 413; changes are refused, never carried out;
// the host stays up and memory stays bounded.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineSession } from '../../src/main/host/engine-session.ts';
import { MAX_MESSAGE_BYTES, startServer, type RunningServer } from '../../src/main/host/serve.ts';
import { isMutation } from '../../src/shared/protocol/index.ts';
import { tmpDir } from '../support/tmp.ts';
import { checkAnswer, describeOutcomes, FUZZ_SEED, hostileText, memory, fuzzHome, methodOf, newOutcomes, samples } from './requests.ts';

const RUNS = 1500;
const WARMUP = 200;
let session: EngineSession;
let server: RunningServer;
let ids: string[] = [];
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  ({ session, ids } = await fuzzHome('http'));
  expect(ids.length).toBeGreaterThan(5);
  // The rate bound is proven on its own (serve.bounds.test.ts).
  server = await startServer({ engine: session, rendererDir: tmpDir('spool-http-fuzz-ui-'), rate: { burst: 1e9, perSecond: 1e9 } });
});
afterAll(async () => {
  agent.destroy();
  await server?.close();
  await session?.close();
});

function post(text: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: `/rpc?token=${server.token}`,
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

describe('POST /rpc fuzz', () => {
  it(`answers ${RUNS} hostile bodies with JSON-RPC (or 413 over the bound), carries out no change, stays up`, async () => {
    const start = await memory();
    let before = start;
    let i = 0;
    const out = newOutcomes();
    const problems: string[] = [];
    let oversized = 0;
    let changesRefused = 0;
    for (const text of samples(hostileText(ids), RUNS)) {
      if (i++ === WARMUP) before = await memory();
      const r = await post(text);
      if (Buffer.byteLength(text) > MAX_MESSAGE_BYTES) {
        if (r.status !== 413) problems.push(`oversized body (${Buffer.byteLength(text)} bytes) got HTTP ${r.status}`);
        oversized++;
        continue;
      }
      if (r.status !== 200) {
        problems.push(`HTTP ${r.status} on ${text.slice(0, 200)}`);
        continue;
      }
      const method = methodOf(text);
      const answer = JSON.parse(r.body) as { result?: unknown; error?: { message: string } };
      if (isMutation(method)) {
        if (answer.result !== undefined) problems.push(`a change went through over HTTP: ${text.slice(0, 200)}`);
        else if (/WebSocket/.test(answer.error?.message ?? '')) changesRefused++;
      }
      const p = checkAnswer(answer, method, out);
      if (p) problems.push(`${p}\n  sent: ${text.slice(0, 300)}`);
    }
    const last = JSON.parse(
      (await post(JSON.stringify({ jsonrpc: '2.0', id: 'final', method: 'thread/list', params: { limit: 1 } }))).body,
    ) as unknown;
    expect(last).toMatchObject({ id: 'final', result: { data: expect.any(Array) } });
    const after = await memory();
    console.log(
      `${describeOutcomes('POST /rpc', out)}; ${changesRefused} changes refused; ${oversized} oversized bodies refused with 413; seed ${FUZZ_SEED}; host memory at start rss ${start.rssMb} MB heap ${start.heapMb} MB, after warm-up rss ${before.rssMb} MB heap ${before.heapMb} MB, after rss ${after.rssMb} MB heap ${after.heapMb} MB`,
    );
    expect(problems.slice(0, 5)).toEqual([]);
    expect(out.requests + oversized).toBe(RUNS);
    expect(changesRefused).toBeGreaterThan(0);
    expect(after.heapMb - before.heapMb).toBeLessThan(150);
    expect(after.rssMb - before.rssMb).toBeLessThan(600);
  });
});
