// Fuzz of the Electron IPC path: Electron-shaped invoke events (our top frame, a subframe, foreign
// origins, a destroyed frame) carrying hostile (method, params) pairs into the real IPC handler
// (src/main/electron/ipc.ts), through the router, to the real engine worker on a copy of a real
// home. Every call gets a JSON-RPC response; nothing from a foreign frame reaches the engine; the
// host stays up and its memory bounded.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineSession } from '../../src/main/host/engine-session.ts';
import { createRouter } from '../../src/main/rpc/router.ts';
import { createIpcRequestHandler } from '../../src/main/electron/ipc.ts';
import { APP_ORIGIN, type IpcSenderLike } from '../../src/main/electron/policy.ts';
import {
  checkAnswer,
  describeOutcomes,
  FUZZ_SEED,
  hostileParams,
  memory,
  METHOD_NAMES,
  fuzzHome,
  newOutcomes,
  PATH_LIKE,
  samples,
} from './requests.ts';

const RUNS = 4000;
const WARMUP = 300;
let session: EngineSession;
let ids: string[] = [];

beforeAll(async () => {
  ({ session, ids } = await fuzzHome('ipc'));
  expect(ids.length).toBeGreaterThan(5);
});
afterAll(async () => {
  await session?.close();
});

function frameEvent(url: string, top: boolean): IpcSenderLike {
  const mainFrame = { url: top ? url : `${APP_ORIGIN}/index.html` };
  return { senderFrame: top ? mainFrame : { url }, sender: { mainFrame } };
}

const trusted = (): IpcSenderLike => frameEvent(`${APP_ORIGIN}/index.html`, true);
const foreignEvent = fc.oneof(
  fc
    .constantFrom(
      'https://evil.example/',
      'http://127.0.0.1:5173/',
      'file:///etc/passwd',
      'spool://evil/index.html',
      'spool://app.evil/',
      'about:blank',
      'data:text/html,x',
      'null',
      '',
      'javascript:alert(1)',
      'chrome://settings',
    )
    .map((u) => frameEvent(u, true)),
  fc.constantFrom(`${APP_ORIGIN}/index.html`, 'https://evil.example/').map((u) => frameEvent(u, false)),
  fc.constant<IpcSenderLike>({ senderFrame: null, sender: { mainFrame: {} } }),
  fc.webUrl().map((u) => frameEvent(u, true)),
);

describe('IPC fuzz', () => {
  it(`answers ${RUNS} hostile invocations with JSON-RPC, refuses foreign frames, stays up`, async () => {
    let engineCalls = 0;
    const counted = { call: ((m, p) => (engineCalls++, session.call(m, p))) as EngineSession['call'] };
    const router = createRouter({
      engine: counted,
      host: { 'host/info': () => ({ host: 'electron', platform: process.platform, canReveal: false, canSaveDialog: false }) },
    });
    const handle = createIpcRequestHandler(router, () => new Set([APP_ORIGIN]));

    const args = fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...METHOD_NAMES).chain((m) => hostileParams(m, ids).map((p) => [m, p] as unknown[])) },
      {
        weight: 2,
        arbitrary: fc.tuple(fc.oneof(fc.string(), fc.constantFrom(...PATH_LIKE)), fc.jsonValue({ maxDepth: 2 })).map((a) => a as unknown[]),
      },
      { weight: 2, arbitrary: fc.array(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)), { maxLength: 4 }) },
    );
    const call = fc.oneof(
      { weight: 5, arbitrary: fc.tuple(fc.constant(true), fc.constant(trusted()), args) },
      { weight: 1, arbitrary: fc.tuple(fc.constant(false), foreignEvent, args) },
    );

    const start = await memory();
    let before = start;
    let i = 0;
    const out = newOutcomes();
    const problems: string[] = [];
    let foreign = 0;
    for (const [isTrusted, event, a] of samples(call, RUNS)) {
      // Measured after a warm-up: schemas compiled, statements prepared, caches filled once.
      if (i++ === WARMUP) before = await memory();
      const callsBefore = engineCalls;
      const answer = await handle(event, ...a);
      if (!isTrusted) {
        foreign++;
        if (engineCalls !== callsBefore) problems.push(`a foreign frame reached the engine: ${JSON.stringify(event)}`);
        expect(answer).toMatchObject({ id: null, error: { code: -32600, message: 'untrusted sender' } });
      }
      const p = checkAnswer(answer, a[0], out);
      if (p) problems.push(`${p}\n  args: ${JSON.stringify(a)?.slice(0, 300)}`);
    }
    // The host is still up: a valid call succeeds.
    const ok = await handle(trusted(), 'thread/list', { limit: 1 });
    expect(ok).toMatchObject({ jsonrpc: '2.0', result: { data: expect.any(Array) } });
    const after = await memory();
    console.log(
      `${describeOutcomes('IPC', out)}; ${foreign} from foreign frames; seed ${FUZZ_SEED}; host memory at start rss ${start.rssMb} MB heap ${start.heapMb} MB, after warm-up rss ${before.rssMb} MB heap ${before.heapMb} MB, after rss ${after.rssMb} MB heap ${after.heapMb} MB`,
    );
    expect(problems.slice(0, 5)).toEqual([]);
    expect(out.requests).toBe(RUNS);
    expect(foreign).toBeGreaterThan(RUNS / 10);
    // Generous: hostile inputs must not leave megabytes behind each.
    expect(after.heapMb - before.heapMb).toBeLessThan(150);
    expect(after.rssMb - before.rssMb).toBeLessThan(600);
  });
});
