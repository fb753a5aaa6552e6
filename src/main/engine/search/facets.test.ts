// spool/facets against thread/list: every count is how many threads thread/list lists under the
// same filters, with the facet's own dimension narrowed to that one value. The expected counts are
// built from thread/list answers alone (one listing per value, combined as the filters' AND), on a
// generated home with several providers, source kinds, sub-agent trees, both collections and a few
// preview-less threads, under many mixes of filters.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { generateDemoHome, prng } from '../demo/generate.ts';
import {
  ALL_SOURCE_KINDS,
  type FacetsParams,
  type FacetsResult,
  type Thread,
  type ThreadListParams,
  type ThreadSourceKind,
} from '../../../shared/protocol/index.ts';
import { tmpDir } from '../../../../test/support/tmp.ts';
import { listAll as listEveryPage } from '../../../../test/support/list-all.ts';

let engine: Engine;
const NOW = Date.UTC(2026, 10, 1);
const DAYS = 60;

/** A rollout with nothing but its session_meta: indexed, but with an empty preview. */
function writePreviewless(home: string, from: string, n: number): void {
  const meta = JSON.parse(fs.readFileSync(from, 'utf8').split('\n')[0]!) as { payload: { id: string } };
  const id = `01a0${String(n).padStart(4, '0')}-0000-7000-8000-${String(n).padStart(12, '0')}`;
  meta.payload.id = id;
  const dir = path.join(home, 'sessions', '2026', '10', '15');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `rollout-2026-10-15T10-00-0${n}-${id}.jsonl`), JSON.stringify(meta) + '\n');
}

beforeAll(async () => {
  const root = tmpDir('spool-facets-');
  const home = path.join(root, 'home');
  generateDemoHome({
    home,
    threads: 400,
    seed: 5,
    nowMs: NOW,
    days: DAYS,
    treeFraction: 0.3,
    archivedFraction: 0.25,
    turnPaddingBytes: 0,
    maxTurns: 2,
  });
  const rollouts = fs.readdirSync(path.join(home, 'sessions'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.jsonl'));
  for (let i = 0; i < 6; i++) writePreviewless(home, path.join(home, 'sessions', rollouts[i * 7]!), i);
  engine = Engine.open({ home, dataDir: path.join(root, 'data'), parseWorkers: 0 });
  await engine.sync();
});
afterAll(() => engine.close());

const listAll = (p: ThreadListParams): Promise<Thread[]> => listEveryPage(engine, p);
const listed = async (p: ThreadListParams): Promise<Set<string>> => new Set((await listAll(p)).map((t) => t.id));

const EVERYTHING: ThreadListParams = { sourceKinds: [...ALL_SOURCE_KINDS], modelProviders: [], includeEmptyPreview: true };

/** Listings of each value of each dimension alone, in one collection or both. */
interface Listings {
  all: Set<string>;
  withPreview: Set<string>;
  cwd: Map<string, Set<string>>;
  provider: Map<string, Set<string>>;
  kind: Map<ThreadSourceKind, Set<string>>;
  /**
   * The kind a thread is counted under: its own. As a filter `subAgent` means every sub-agent kind
   * (thread/list's semantics); as a count it holds the sub-agents no other kind names.
   */
  ownKind: Map<ThreadSourceKind, Set<string>>;
  createdAfter: Map<number, Set<string>>;
  createdBefore: Map<number, Set<string>>;
}

const BOUNDS = [NOW - 45 * 86_400_000, NOW - 20 * 86_400_000, NOW - 5 * 86_400_000];

async function listings(archived: boolean): Promise<Listings> {
  const base = { ...EVERYTHING, archived };
  const threads = await listAll(base);
  const all = new Set(threads.map((t) => t.id));
  const cwds = new Set(threads.map((t) => t.cwd));
  const providers = new Set(threads.map((t) => t.modelProvider));
  const each = async <K>(values: Iterable<K>, params: (v: K) => ThreadListParams): Promise<Map<K, Set<string>>> => {
    const m = new Map<K, Set<string>>();
    for (const v of values) m.set(v, await listed({ ...base, ...params(v) }));
    return m;
  };
  const kind = await each(ALL_SOURCE_KINDS, (k) => ({ sourceKinds: [k] }));
  const named = union([...kind].filter(([k]) => k.startsWith('subAgent') && k !== 'subAgent').map(([, s]) => s));
  const ownKind = new Map(kind);
  ownKind.set('subAgent', new Set([...kind.get('subAgent')!].filter((id) => !named.has(id))));
  return {
    all,
    withPreview: await listed({ ...base, includeEmptyPreview: false }),
    cwd: await each(cwds, (c) => ({ cwd: [c] })),
    provider: await each(providers, (p) => ({ modelProviders: [p] })),
    kind,
    ownKind,
    createdAfter: await each(BOUNDS, (ms) => ({ createdAfterMs: ms })),
    createdBefore: await each(BOUNDS, (ms) => ({ createdBeforeMs: ms })),
  };
}

const union = (sets: Iterable<Set<string>>): Set<string> => {
  const u = new Set<string>();
  for (const s of sets) for (const id of s) u.add(id);
  return u;
};
const within = (s: Set<string>, ...filters: (Set<string> | null)[]): number =>
  [...s].filter((id) => filters.every((f) => f === null || f.has(id))).length;

/** What spool/facets should answer, from the listings alone. */
function expected(l: Listings, p: FacetsParams): FacetsResult {
  const pick = <K>(m: Map<K, Set<string>>, values: readonly K[] | null | undefined): Set<string> | null =>
    values && values.length > 0 ? union(values.map((v) => m.get(v) ?? new Set<string>())) : null;
  const byCwd = pick(l.cwd, p.cwd);
  const byProvider = pick(l.provider, p.modelProviders);
  const byKind = pick(l.kind, p.sourceKinds);
  const shared = [
    p.includeEmptyPreview === true ? null : l.withPreview,
    p.createdAfterMs != null ? l.createdAfter.get(p.createdAfterMs)! : null,
    p.createdBeforeMs != null ? l.createdBefore.get(p.createdBeforeMs)! : null,
  ];
  const counts = <K extends string>(m: Map<K, Set<string>>, ...others: (Set<string> | null)[]) =>
    [...m]
      .map(([value, s]) => ({ value, count: within(s, ...shared, ...others) }))
      .filter((c) => c.count > 0)
      .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const q = p.cwdQuery?.toLowerCase();
  const cwds = counts(new Map([...l.cwd].filter(([c]) => q === undefined || c.toLowerCase().includes(q))), byProvider, byKind);
  return {
    cwds: cwds.slice(0, p.cwdLimit ?? 200),
    cwdCount: cwds.length,
    providers: counts(l.provider, byCwd, byKind),
    sourceKinds: counts(l.ownKind, byCwd, byProvider),
    total: within(l.all, ...shared, byCwd, byProvider, byKind),
  };
}

/** Both collections' listings as one (a facet query without `archived`). */
function merged(a: Listings, b: Listings): Listings {
  const m = <K>(x: Map<K, Set<string>>, y: Map<K, Set<string>>): Map<K, Set<string>> => {
    const out = new Map<K, Set<string>>();
    for (const k of new Set([...x.keys(), ...y.keys()])) out.set(k, union([x.get(k) ?? new Set(), y.get(k) ?? new Set()]));
    return out;
  };
  return {
    all: union([a.all, b.all]),
    withPreview: union([a.withPreview, b.withPreview]),
    cwd: m(a.cwd, b.cwd),
    provider: m(a.provider, b.provider),
    kind: m(a.kind, b.kind),
    ownKind: m(a.ownKind, b.ownKind),
    createdAfter: m(a.createdAfter, b.createdAfter),
    createdBefore: m(a.createdBefore, b.createdBefore),
  };
}

describe('spool/facets', () => {
  it('counts, per value, what thread/list lists under the other filters, in many mixes of filters', async () => {
    const active = await listings(false);
    const archived = await listings(true);
    const both = merged(active, archived);
    // The home has what the test needs to mean something.
    expect(active.cwd.size).toBeGreaterThan(5);
    expect(active.provider.size).toBeGreaterThan(1);
    expect([...active.kind.values()].filter((s) => s.size > 0).length).toBeGreaterThan(2);
    expect(archived.all.size).toBeGreaterThan(20);
    expect(active.all.size - active.withPreview.size).toBeGreaterThan(0);

    const r = prng(99);
    const some = <T>(xs: readonly T[]): T[] => xs.filter(() => r() < 0.3);
    const maybe = <T>(v: T): T | undefined => (r() < 0.4 ? v : undefined);
    const cwds = [...both.cwd.keys()];
    const providers = [...both.provider.keys()];
    for (let i = 0; i < 60; i++) {
      const collection = i % 3 === 0 ? undefined : i % 3 === 1 ? false : true;
      const p: FacetsParams = {
        ...(collection !== undefined ? { archived: collection } : {}),
        cwd: maybe(some(cwds)),
        modelProviders: maybe(some(providers)),
        sourceKinds: maybe(some(ALL_SOURCE_KINDS)),
        createdAfterMs: maybe(BOUNDS[Math.floor(r() * 2)]!),
        createdBeforeMs: maybe(BOUNDS[1 + Math.floor(r() * 2)]!),
        includeEmptyPreview: maybe(true),
        cwdQuery: maybe(['SRC/A', 'core', 'e'][Math.floor(r() * 3)]!),
        cwdLimit: maybe(1 + Math.floor(r() * 5)),
      };
      const l = collection === undefined ? both : collection ? archived : active;
      expect(await engine.call('spool/facets', p), JSON.stringify(p)).toEqual(expected(l, p));
    }
  });
});
