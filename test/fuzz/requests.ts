// Hostile JSON-RPC requests for the transport fuzzers (IPC, WebSocket, POST /rpc, CLI), generated with
// fast-check from the shared method table: every method, every one of its params keys, filled with
// wrong types, huge strings, deep nesting, path-like ids, forged cursors — and envelopes that are
// not requests at all. Also the checks every answer must pass.
import v8 from 'node:v8';
import vm from 'node:vm';
import fc from 'fast-check';
import { z } from 'zod';
import { ErrorCode, ResponseEnvelope } from '../../src/shared/jsonrpc.ts';
import { methods, type MethodName } from '../../src/shared/protocol/index.ts';
import { RESPONSE_SCHEMAS, schemaErrors } from '../support/codex-schema.ts';
import type { EngineSession } from '../../src/main/host/engine-session.ts';
import { indexedSession } from '../support/indexed-session.ts';
import { copyHome, realHome, STANDARD_HOME } from '../support/real-home.ts';
import { tmpDir } from '../support/tmp.ts';

export const METHOD_NAMES = Object.keys(methods) as MethodName[];

/** The keys a method's params object has (unwrapping nullish / optional wrappers). */
export function paramKeys(method: MethodName): string[] {
  let s: z.ZodType = methods[method].params;
  for (let i = 0; i < 4; i++) {
    if (s instanceof z.ZodObject) return Object.keys(s.shape);
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else break;
  }
  return [];
}

/** Ids and paths that try to leave the home, or to confuse a parser. */
export const PATH_LIKE = [
  '../../etc/passwd',
  '../../../../../../etc/shadow',
  '/etc/passwd',
  '/',
  '.',
  '..',
  '~/.ssh/id_rsa',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%252F..%252Fetc',
  'sessions/../../outside',
  'archived_sessions/../../x.jsonl',
  'a\u0000b',
  '019a0000-0000-7000-8000-000000000000\u0000/../../etc/passwd',
  '\u0000',
  'C:\\Windows\\System32\\config\\SAM',
  '\\\\server\\share\\file',
  'file:///etc/passwd',
  'rollout-2025-01-01T00-00-00-019a0000-0000-7000-8000-000000000000.jsonl',
  '019a0000-0000-7000-8000-000000000000/../..',
  'urn:uuid:../../etc',
  '{019a0000-0000-7000-8000-00000000000}',
  '019A0000000070008000000000000000',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '019a0000-0000-7000-8000-000000000000:0:0',
  '../../etc/passwd:0:0',
  'h:../../etc/passwd:1:2',
  '\u202e\u0000../',
];

/** Cursors that look like ours but are not: forged JSON, wrong scopes, huge ordinals, other queries. */
export function forgedCursor(realIds: readonly string[]): fc.Arbitrary<unknown> {
  const id = realIds.length > 0 ? fc.oneof(fc.constantFrom(...realIds), fc.uuid()) : fc.uuid();
  return fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.constantFrom(
      '|',
      '||',
      'x|y',
      '2025-01-01T00:00:00Z|',
      '2025-13-45T99:99:99Z|x',
      '9999-12-31T23:59:59.999Z',
      '-1',
      '{}',
      '[]',
      'null',
      '{"turnId":1}',
    ),
    fc.tuple(fc.date({ noInvalidDate: true }), id).map(([d, i]) => `${d.toISOString()}|${i}`),
    fc
      .tuple(id, fc.integer(), fc.boolean(), fc.constantFrom('turns', 'itemsByCreatedAtOrdinal', 'itemsByUpdatedAtOrdinal', 'x', ''))
      .map(([i, n, inc, kind]) => JSON.stringify({ requestedThreadId: i, rolloutOrdinal: n, includeAnchor: inc, scope: { kind } })),
    fc
      .tuple(fc.oneof(fc.uuid(), fc.constantFrom(...PATH_LIKE)), fc.oneof(fc.boolean(), fc.constant('yes')))
      .map(([t, inc]) => JSON.stringify({ turnId: t, includeAnchor: inc })),
    fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')),
    fc
      .record({
        q: fc.string({ maxLength: 10 }),
        hi: fc.oneof(fc.integer(), fc.constant(null)),
        r: fc.oneof(fc.double(), fc.constant(null)),
        id: fc.oneof(fc.integer(), fc.constant(null)),
      })
      .map((c) => Buffer.from(JSON.stringify(c)).toString('base64url')),
    fc.record({ type: fc.constantFrom('item', 'turn'), itemId: fc.oneof(fc.string(), fc.constantFrom(...PATH_LIKE)) }),
  );
}

/** Strings from MBs down to empty; rare, so a run stays fast. */
const hugeString = fc.integer({ min: 100_000, max: 3_000_000 }).map((n) => 'é'.repeat(Math.floor(n / 2)));
const deep = fc.integer({ min: 50, max: 3000 }).map((n) => {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
});

/** A value for one params key: wrong types, hostile strings, real ids, forged cursors. */
export function hostileValue(realIds: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...PATH_LIKE) },
    { weight: 3, arbitrary: forgedCursor(realIds) },
    { weight: 3, arbitrary: realIds.length > 0 ? fc.constantFrom(...realIds) : fc.uuid() },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.integer(),
        fc.double(),
        fc.boolean(),
        fc.constant(null),
        fc.constant(-1),
        fc.constant(2 ** 53),
        fc.constant(4294967296),
      ),
    },
    { weight: 2, arbitrary: fc.array(fc.oneof(fc.constantFrom(...PATH_LIKE), fc.uuid(), fc.string()), { maxLength: 5 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'archive',
        'unarchive',
        'turns',
        'full',
        'summary',
        'asc',
        'desc',
        'created_at',
        'updated_at',
        'subAgent',
        'cli',
        'vscode',
      ),
    },
    { weight: 1, arbitrary: deep },
  );
}

/** Valid params of each method (given a real thread id), for requests that are wrong in one or two places only. */
function validBase(method: MethodName, id: string): Record<string, unknown> {
  switch (method) {
    case 'initialize':
      return { clientInfo: { name: 'fuzz', version: '1' } };
    case 'thread/list':
      return { limit: 5, sortKey: 'updated_at' };
    case 'spool/item/text':
      return { threadId: id, handle: `${id}:0:0` };
    case 'thread/name/set':
      return { threadId: id, name: 'fuzzed' };
    case 'spool/agent/resolve':
      return { threadId: id, path: '/root' };
    case 'spool/threads/bulk':
      return { action: 'unarchive', threadIds: [id] };
    case 'spool/search':
      return { query: 'hello' };
    case 'spool/thread/families':
      return { parentThreadIds: [id] };
    case 'host/saveFile':
      return { suggestedName: 'a.md', content: 'x', mimeType: 'text/markdown' };
    case 'host/openExternal':
      return { url: 'https://example.com' };
    case 'spool/facets':
    case 'spool/index/status':
    case 'spool/index/report':
    case 'spool/agent/orphans':
    case 'host/info':
    case 'host/openDemoHome':
      return {};
    default:
      return { threadId: id };
  }
}

/** Params for a method: its own keys with hostile values, sometimes extra keys, sometimes not an object at all. */
export function hostileParams(method: MethodName, realIds: readonly string[]): fc.Arbitrary<unknown> {
  const keys = paramKeys(method);
  const value = hostileValue(realIds);
  const own = keys.length > 0 ? fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: keys.length }) : fc.constant({});
  const nearlyValid =
    keys.length > 0
      ? fc
          .tuple(
            realIds.length > 0 ? fc.constantFrom(...realIds) : fc.uuid(),
            fc.dictionary(fc.constantFrom(...keys), value, { minKeys: 1, maxKeys: 2 }),
          )
          .map(([id, bad]) => ({ ...validBase(method, id), ...bad }))
      : fc.constant({});
  return fc.oneof(
    { weight: 10, arbitrary: own },
    { weight: 10, arbitrary: nearlyValid },
    {
      weight: 2,
      arbitrary: fc.tuple(own, fc.dictionary(fc.string({ maxLength: 10 }), value, { maxKeys: 3 })).map(([a, b]) => ({ ...b, ...a })),
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        fc.constant(undefined),
        fc.constant(null),
        fc.integer(),
        fc.string(),
        fc.array(value, { maxLength: 3 }),
        fc.boolean(),
      ),
    },
    { weight: 1, arbitrary: fc.constant({ ['__proto__']: { polluted: true }, constructor: { prototype: { polluted: true } } }) },
  );
}

const knownMethod = fc.constantFrom(...METHOD_NAMES);
const unknownMethod = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    'thread/bogus',
    'Thread/List',
    'thread/list ',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'thread/',
    '/',
    'host/../thread/list',
    '../../etc/passwd',
    '',
  ),
  fc.integer({ min: 201, max: 5000 }).map((n) => 'm'.repeat(n)),
);
const requestId = fc.oneof(fc.integer({ min: -1e9, max: 1e9 }), fc.string({ maxLength: 20 }));
const badId = fc.oneof(
  fc.double({ noInteger: true }),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.constant({}),
  fc.integer({ min: 201, max: 400 }).map((n) => 'i'.repeat(n)),
);

/** A JSON-RPC message as a value (it may be no request at all). */
export function hostileMessage(realIds: readonly string[]): fc.Arbitrary<unknown> {
  const request = fc
    .tuple(requestId, knownMethod, fc.boolean())
    .chain(([id, method, withVersion]) =>
      hostileParams(method, realIds).map((params) => ({ ...(withVersion ? { jsonrpc: '2.0' } : {}), id, method, params })),
    );
  return fc.oneof(
    { weight: 30, arbitrary: request },
    {
      weight: 4,
      arbitrary: fc
        .tuple(requestId, unknownMethod, fc.jsonValue({ maxDepth: 2 }))
        .map(([id, method, params]) => ({ jsonrpc: '2.0', id, method, params })),
    },
    { weight: 3, arbitrary: fc.tuple(badId, knownMethod).map(([id, method]) => ({ jsonrpc: '2.0', id, method, params: {} })) },
    { weight: 2, arbitrary: fc.tuple(requestId, fc.jsonValue({ maxDepth: 1 })).map(([id, method]) => ({ jsonrpc: '2.0', id, method })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(requestId, knownMethod, fc.constantFrom('1.0', '3.0', 2, null))
        .map(([id, method, v]) => ({ jsonrpc: v, id, method })),
    },
    { weight: 3, arbitrary: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.boolean(), fc.double()) },
    { weight: 3, arbitrary: fc.array(request, { minLength: 0, maxLength: 4 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(requestId, knownMethod, hugeString)
        .map(([id, method, s]) => ({ jsonrpc: '2.0', id, method, params: { threadId: s, cursor: s, query: s, name: s } })),
    },
    { weight: 1, arbitrary: fc.tuple(requestId, deep).map(([id, d]) => ({ jsonrpc: '2.0', id, method: 'thread/list', params: d })) },
  );
}

/** A message as the text a socket or a pipe carries: usually the JSON, sometimes malformed. */
export function hostileText(realIds: readonly string[]): fc.Arbitrary<string> {
  const json = hostileMessage(realIds).map((m) => JSON.stringify(m) ?? 'null');
  return fc.oneof(
    { weight: 12, arbitrary: json },
    { weight: 2, arbitrary: fc.tuple(json, fc.nat()).map(([t, n]) => t.slice(0, n % Math.max(1, t.length))) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{',
        '}',
        '[',
        '[[[[',
        '{"id":1,"method":"thread/list"',
        'NaN',
        'undefined',
        '{"id":1,"method":"thread/list",}',
        "{'id':1}",
        '\uFEFF{"id":1,"method":"initialize"}',
      ),
    },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 100_000 }).map((n) => '['.repeat(n)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(json, fc.nat(), fc.integer({ min: 0, max: 255 }))
        .map(([t, at, b]) => `${t.slice(0, at % (t.length + 1))}${String.fromCharCode(b)}${t.slice((at % (t.length + 1)) + 1)}`),
    },
  );
}

/** Whether the router answers this message: everything but a well-formed client notification does. */
export function expectsAnswer(text: string): boolean {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return true;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return true;
  if ('id' in v) return true;
  return typeof (v as { method?: unknown }).method !== 'string';
}

/** The seed of this run (FUZZ_SEED to replay one), printed with every figure. */
export const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

/** `n` samples, generated 100 at a time (a run never holds thousands of MB-sized samples at once). */
export function* samples<T>(arb: fc.Arbitrary<T>, n: number, seed = FUZZ_SEED): Generator<T> {
  for (let done = 0, chunk = 0; done < n; chunk++) {
    const batch = fc.sample(arb, { numRuns: Math.min(100, n - done), seed: (seed + chunk * 7919) | 0 });
    done += batch.length;
    yield* batch;
  }
}

const KNOWN_CODES = new Set<number>(Object.values(ErrorCode));

/** Tally of what came back. */
export interface Outcomes {
  requests: number;
  errors: Map<number, number>;
  results: number;
}
export const newOutcomes = (): Outcomes => ({ requests: 0, errors: new Map(), results: 0 });

/**
 * Checks one answer: a JSON-RPC response; an error has a known code and a bounded message; a
 * result of a codex method passes codex's own schema. Returns a problem, or null.
 */
export function checkAnswer(answer: unknown, method: unknown, out: Outcomes): string | null {
  out.requests += 1;
  const env = ResponseEnvelope.safeParse(answer);
  if (!env.success) return `not a JSON-RPC response: ${JSON.stringify(answer)?.slice(0, 300)}`;
  if ('error' in env.data) {
    const { code, message } = env.data.error;
    out.errors.set(code, (out.errors.get(code) ?? 0) + 1);
    if (!KNOWN_CODES.has(code)) return `unknown error code ${code}: ${message}`;
    if (code === ErrorCode.Internal) return `internal error (a bug): ${message}`;
    if (message.length > 20_000) return `error message of ${message.length} chars (echoes the input?)`;
    return null;
  }
  out.results += 1;
  if (typeof method === 'string' && RESPONSE_SCHEMAS[method]) {
    const errs = schemaErrors('response', method, env.data.result);
    if (errs.length > 0) return `result of ${method} fails codex's schema: ${errs.slice(0, 3).join('; ')}`;
  } else if (typeof env.data.result !== 'object' || env.data.result === null) return `result of ${String(method)} is not an object`;
  return null;
}

export function describeOutcomes(label: string, out: Outcomes): string {
  const errs = [...out.errors.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c}×${n}`)
    .join(' ');
  return `${label}: ${out.requests} requests answered, ${out.results} results, errors ${errs}`;
}

/** The method a hostile text names, when it is JSON with one (for checking its answer). */
export function methodOf(text: string): unknown {
  try {
    return (JSON.parse(text) as { method?: unknown }).method;
  } catch {
    return undefined;
  }
}

/** A copy of the standard real-codex home, indexed, and some of its thread ids for hostile requests to aim at. */
export async function fuzzHome(label: string): Promise<{ session: EngineSession; ids: string[] }> {
  const home = copyHome(realHome(...STANDARD_HOME).home, tmpDir(`spool-${label}-fuzz-home-`));
  const session = await indexedSession(home, tmpDir(`spool-${label}-fuzz-data-`));
  const ids = (await session.call('thread/list', { limit: 100, includeEmptyPreview: true })).data.map((t) => t.id);
  return { session, ids };
}

/** Memory figures of this process, after a collection when the collector is reachable. */
export async function memory(): Promise<{ rssMb: number; heapMb: number }> {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  await new Promise((r) => setTimeout(r, 10));
  const m = process.memoryUsage();
  return { rssMb: Math.round(m.rss / 1048576), heapMb: Math.round(m.heapUsed / 1048576) };
}
