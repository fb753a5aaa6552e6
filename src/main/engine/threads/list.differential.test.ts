// thread/list and thread/read, Spool against the real `codex app-server` on the same real homes
// (codex 0.169, and one written by four codex versions): the same request sequences — every filter,
// every sort key in both directions, paged to the end, then reversed with the backwards cursor —
// must give the same ids in the same order, the same field values (but the deliberate differences
// listed in docs/CODEX-COMPAT.md), and the same cursors.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import {
  ALL_SOURCE_KINDS,
  parseListCursor,
  type Thread,
  type ThreadListParams,
  type ThreadListResult,
} from '../../../shared/protocol/index.ts';
import { realHome, STANDARD_HOME } from '../../../../test/support/real-home.ts';
import { schemaErrors } from '../../../../test/support/codex-schema.ts';
import {
  codexBackfillUpdatedAt,
  codexDbKeys,
  differentialHome,
  MIXED_HOME,
  spoolPeer,
  startAppServer,
  threadDiffs,
  type AppServerPeer,
  type BackfilledFile,
  type SpoolPeer,
} from '../../../../test/support/appserver.ts';

const KEYS = ['created_at', 'updated_at', 'recency_at'] as const;
const UUID = '01a1fccf-0894-77a2-a6ff-3eb67cb4bee2';
const BAD_AND_ODD_IDS = [
  '',
  'nope',
  '01a1fccf',
  '01a1fccf-0894-77a2-a6ff',
  `${UUID}-`,
  `${UUID}2`,
  UUID.slice(0, -1),
  '01a1fccf0-894-77a2-a6ff-3eb67cb4bee2',
  '01a1fccf-08947-7a2-a6ff-3eb67cb4bee2',
  `{${UUID}}`,
  `{${UUID.slice(0, -1)}}`,
  `urn:uuid:${UUID}`,
  `urn:uuid:${UUID.slice(0, -1)}`,
  `URN:UUID:${UUID}`,
  UUID.toUpperCase(),
  UUID.replaceAll('-', ''),
  UUID.replaceAll('-', '').slice(1),
  `ü${UUID.slice(1)}`,
  `${UUID.slice(0, -2)}é2`,
  ` ${UUID}`,
  '-'.repeat(32),
  `${UUID}x`,
  '{}',
  'urn:uuid:',
  `${UUID.slice(0, -2)}-e2`,
  '0-0-0-0-0',
  '🙂',
];
const DIRECTIONS = ['desc', 'asc'] as const;
const ALL = { sourceKinds: [...ALL_SOURCE_KINDS], modelProviders: [] } satisfies ThreadListParams;

interface Side {
  spool: SpoolPeer;
  codex: AppServerPeer;
  engine: Engine;
  /** Threads codex cannot read at all (rollouts older than codex 0.47): kept out of both listings. */
  unreadable: string[];
  home: string;
}

async function open(src: string): Promise<Side> {
  const home = differentialHome(src);
  const engine = Engine.open({ home, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'spool-diff-')), parseWorkers: 0 });
  await engine.sync();
  const codex = await startAppServer(home);
  const unreadable = (engine.db.prepare("SELECT id FROM threads WHERE format = 'bare' ORDER BY id").all() as { id: string }[]).map(
    (r) => r.id,
  );
  return { spool: spoolPeer(engine), codex, engine, unreadable, home };
}

/** The filters a differential run covers, drawn from what the home holds. */
function filtersFor(s: Side): [string, ThreadListParams][] {
  const db = s.engine.db;
  const cwds = (
    db.prepare("SELECT cwd, count(*) AS n FROM threads WHERE archived = 0 AND preview <> '' GROUP BY cwd ORDER BY n DESC, cwd").all() as {
      cwd: string;
    }[]
  ).map((r) => r.cwd);
  const parent = db
    .prepare('SELECT parent_id AS id FROM spawn_edges GROUP BY parent_id ORDER BY count(*) DESC, parent_id LIMIT 1')
    .get() as { id: string } | undefined;
  const named = db.prepare('SELECT name FROM threads WHERE name IS NOT NULL AND archived = 0 ORDER BY id LIMIT 1').get() as
    { name: string } | undefined;
  const preview = db.prepare("SELECT preview FROM threads WHERE archived = 0 AND preview <> '' ORDER BY created_at_ms LIMIT 1").get() as {
    preview: string;
  };
  const word = preview.preview.split(/\s+/).find((w) => w.length >= 4) ?? preview.preview.slice(0, 4);
  const oldest = (
    db.prepare("SELECT id FROM threads WHERE archived = 0 AND preview <> '' ORDER BY created_at_ms LIMIT 2").all() as { id: string }[]
  ).map((r) => r.id);
  const f: [string, ThreadListParams][] = [
    ['codex defaults', {}],
    ['everything', ALL],
    ['archived', { ...ALL, archived: true }],
    ['interactive kinds ([])', { sourceKinds: [], modelProviders: [] }],
    ...ALL_SOURCE_KINDS.map((k): [string, ThreadListParams] => [`kind ${k}`, { sourceKinds: [k], modelProviders: [] }]),
    ['provider mock', { ...ALL, modelProviders: ['mock'] }],
    ['provider unknown', { ...ALL, modelProviders: ['no-such-provider'] }],
    ['cwd (string)', { ...ALL, cwd: cwds[0]! }],
    ['cwd (two)', { ...ALL, cwd: cwds.slice(0, 2) }],
    ['cwd []', { ...ALL, cwd: [] }],
    ['cwd relative', { ...ALL, cwd: 'repo-alpha' }],
    [`search "${word}"`, { ...ALL, searchTerm: word }],
    [`search "${word.toUpperCase()}" (case-sensitive)`, { ...ALL, searchTerm: word.toUpperCase() }],
    ['excluded', { ...ALL, excludedThreadIds: oldest }],
  ];
  if (named) f.push([`${NAME_SEARCH} "${named.name}"`, { ...ALL, searchTerm: named.name }]);
  if (parent) {
    f.push(['parentThreadId', { parentThreadId: parent.id }]);
    f.push(['ancestorThreadId', { ancestorThreadId: parent.id }]);
    f.push(['parentThreadId, interactive kinds', { parentThreadId: parent.id, sourceKinds: [] }]);
  }
  return f;
}

/**
 * Codex's state DB has no names after a backfill, so only its file-scan path (which reads
 * session_index.jsonl) finds a thread by name; Spool always does.
 */
const NAME_SEARCH = 'search by name';

const withUnreadable = (p: ThreadListParams, s: Side): ThreadListParams =>
  s.unreadable.length === 0 ? p : { ...p, excludedThreadIds: [...s.unreadable, ...(p.excludedThreadIds ?? [])] };

const ids = (r: ThreadListResult): string[] => r.data.map((t) => t.id);

/** Codex's state-DB path floors the first row's key to its second before stepping 1 ms out. */
function flooredBackwards(exact: string, direction: 'asc' | 'desc'): string {
  const c = parseListCursor(exact)!;
  const key = direction === 'desc' ? c.ms + 1 : c.ms - 1;
  const floored = Math.floor(key / 1000) * 1000;
  return new Date(direction === 'desc' ? floored - 1 : floored + 1).toISOString();
}

const spoolKey = (t: Thread, key: (typeof KEYS)[number]): number =>
  key === 'created_at' ? t.extra!.spool.createdAtMs : key === 'updated_at' ? t.extra!.spool.updatedAtMs : t.extra!.spool.recencyAtMs;

async function listAll(peer: SpoolPeer | AppServerPeer, params: ThreadListParams): Promise<ThreadListResult> {
  return peer.call<ThreadListResult>('thread/list', { ...params, limit: 100 });
}

async function compareSequence(
  s: Side,
  label: string,
  params: ThreadListParams,
  key: (typeof KEYS)[number],
  direction: (typeof DIRECTIONS)[number],
): Promise<'paged' | 'reordered' | 'whole'> {
  const base: ThreadListParams = { ...withUnreadable(params, s), sortKey: key, sortDirection: direction, limit: 4 };
  const ctx = `${label}, ${key} ${direction}`;
  if (label.startsWith(NAME_SEARCH)) {
    const spool = await listAll(s.spool, base);
    const codex = await listAll(s.codex, base);
    expect(spool.data.length, ctx).toBeGreaterThan(0);
    // recency_at has no file-scan path in codex: it finds nothing by name there.
    if (key === 'recency_at') {
      expect(ids(codex), ctx).toEqual([]);
      return 'whole';
    }
    expect(ids(spool), ctx).toEqual(ids(codex));
    expect(
      spool.data.flatMap((t, i) => threadDiffs(codex.data[i]!, t, { inList: true, codexKeys: codexDbKeys(s.home) })),
      ctx,
    ).toEqual([]);
    return 'whole';
  }

  // Where codex's unique-ms allocator moved a key away from the rollout's value (codexDbKeys),
  // codex orders by its moved values and Spool by the rollouts' (the files' mtimes): then compare
  // whole listings, each against its own keys, instead of pages and cursors.
  const everything = await listAll(s.spool, base);
  const theirs = codexDbKeys(s.home);
  if (everything.data.some((t) => theirs.get(t.id)?.[key] !== spoolKey(t, key))) {
    const sign = direction === 'desc' ? -1 : 1;
    const byKey = (k: (t: Thread) => number) => (a: Thread, b: Thread) => sign * (k(a) - k(b) || (a.id < b.id ? -1 : 1));
    const codexOrder = [...everything.data].sort(byKey((t) => theirs.get(t.id)![key])).map((t) => t.id);
    const spoolOrder = [...everything.data].sort(byKey((t) => spoolKey(t, key))).map((t) => t.id);
    expect(ids(everything), `${ctx}: Spool orders by the rollouts' keys`).toEqual(spoolOrder);
    expect(ids(await listAll(s.codex, { ...base, useStateDbOnly: true })), `${ctx}: codex orders by its DB's keys`).toEqual(codexOrder);
    return 'reordered';
  }

  // Codex answers from a scan of the rollout files unless asked for its state DB, and decides by
  // itself to use the DB for some requests (recency, search, relations, sub-agent kinds). With its
  // defaults it scans, and its backwards cursor is then exactly Spool's.
  const scanned = label === 'codex defaults' && key !== 'recency_at';
  let cursors: { spool?: string; db?: string; scan?: string } = {};
  let first: { spool: ThreadListResult; db: ThreadListResult } | null = null;
  let pages = 0;
  for (;;) {
    const spool = await s.spool.call<ThreadListResult>('thread/list', { ...base, ...(cursors.spool ? { cursor: cursors.spool } : {}) });
    const db = await s.codex.call<ThreadListResult>('thread/list', {
      ...base,
      useStateDbOnly: true,
      ...(cursors.db ? { cursor: cursors.db } : {}),
    });
    const scan = await s.codex.call<ThreadListResult>('thread/list', { ...base, ...(cursors.scan ? { cursor: cursors.scan } : {}) });
    pages++;
    expect(schemaErrors('response', 'thread/list', spool), ctx).toEqual([]);
    expect(ids(spool), `${ctx}, page ${pages} (codex state DB)`).toEqual(ids(db));
    expect(ids(spool), `${ctx}, page ${pages} (codex file scan)`).toEqual(ids(scan));
    const codexKeys = codexDbKeys(s.home);
    const diffs = spool.data.flatMap((t, i) => [
      ...threadDiffs(db.data[i]!, t, { inList: true, codexKeys }),
      ...threadDiffs(scan.data[i]!, t, { inList: true, codexKeys }),
    ]);
    expect(diffs, ctx).toEqual([]);
    if (spool.backwardsCursor !== null) {
      const floored = flooredBackwards(spool.backwardsCursor, direction);
      expect([spool.backwardsCursor, floored], `${ctx}, backwardsCursor (state DB)`).toContain(db.backwardsCursor);
      if (scanned) expect(scan.backwardsCursor, `${ctx}, backwardsCursor (file scan)`).toBe(spool.backwardsCursor);
    } else {
      expect(db.backwardsCursor).toBeNull();
    }
    first ??= { spool, db };
    if (spool.nextCursor === null) {
      // Codex sometimes hands out a cursor for a full last page; the page after it is empty.
      for (const extra of [db, scan]) {
        if (extra.nextCursor === null) continue;
        const after = await s.codex.call<ThreadListResult>('thread/list', {
          ...base,
          ...(extra === db ? { useStateDbOnly: true } : {}),
          cursor: extra.nextCursor,
        });
        expect(ids(after), `${ctx}, codex's page after its last`).toEqual([]);
      }
      break;
    }
    expect(spool.nextCursor, `${ctx}, nextCursor`).toBe(db.nextCursor);
    expect(scan.nextCursor, `${ctx}, more pages (file scan)`).not.toBeNull();
    cursors = { spool: spool.nextCursor, db: db.nextCursor!, scan: scan.nextCursor! };
  }
  // Reversing: each side's backwards cursor, handed to both, with the opposite direction.
  if (first && first.spool.backwardsCursor) {
    const opposite = direction === 'desc' ? 'asc' : 'desc';
    for (const cursor of new Set([first.spool.backwardsCursor, first.db.backwardsCursor!])) {
      const p = { ...base, sortDirection: opposite, limit: 100, cursor } as const;
      const spool = await s.spool.call<ThreadListResult>('thread/list', p);
      const db = await s.codex.call<ThreadListResult>('thread/list', { ...p, useStateDbOnly: true });
      expect(ids(spool), `${ctx}, reversed from ${cursor}`).toEqual(ids(db));
      // Spool's own cursor brings back the first row of the page it came from.
      if (cursor === first.spool.backwardsCursor) expect(spool.data[0]?.id).toBe(first.spool.data[0]!.id);
    }
  }
  return 'paged';
}

describe.each([
  ['codex 0.169 home', () => realHome(...STANDARD_HOME).home],
  ['home written by codex 0.8, 0.47, 0.98 and 0.169', () => realHome(...MIXED_HOME).home],
])('thread/list and thread/read on a %s, against the real codex app-server', (_label, src) => {
  let s: Side;
  beforeAll(async () => {
    s = await open(src());
  });
  afterAll(async () => {
    await s?.codex.close();
    await s?.engine.close();
  });

  it("matches codex's backfill, including the updated_at values its allocator moved", () => {
    // Before any other request: codex's DB as its backfill left it.
    const files = s.engine.db
      .prepare(
        "SELECT f.rel_path AS relPath, f.mtime_ms AS mtimeMs, t.id AS threadId FROM threads AS t JOIN files AS f ON f.rel_path = t.rel_path WHERE t.format <> 'bare'",
      )
      .all() as BackfilledFile[];
    const model = codexBackfillUpdatedAt(files);
    const theirs = codexDbKeys(s.home);
    expect(theirs.size).toBe(model.size);
    for (const [id, v] of model) expect(theirs.get(id)?.updated_at, id).toBe(v);
    for (const row of s.engine.db.prepare("SELECT id, created_at_ms FROM threads WHERE format <> 'bare'").all() as {
      id: string;
      created_at_ms: number;
    }[]) {
      expect(theirs.get(row.id)?.created_at, row.id).toBe(row.created_at_ms);
    }
  });

  it('gives the same pages, fields and cursors for every filter, sort key and direction', async () => {
    const outcome = { paged: 0, reordered: 0, whole: 0 };
    let nonEmpty = 0;
    for (const [label, params] of filtersFor(s)) {
      for (const key of KEYS) {
        for (const direction of DIRECTIONS) outcome[await compareSequence(s, label, params, key, direction)]++;
      }
      const all = await s.spool.call<ThreadListResult>('thread/list', { ...withUnreadable(params, s), limit: 100 });
      if (all.data.length > 0) nonEmpty++;
    }
    // The filters are drawn from the home: most of them must select something.
    expect(outcome.paged).toBeGreaterThan(60);
    expect(nonEmpty).toBeGreaterThan(12);
  });

  it('reads every thread codex can read with the same fields', async () => {
    const rows = s.engine.db.prepare("SELECT id FROM threads WHERE format <> 'bare' ORDER BY id").all() as { id: string }[];
    expect(rows.length).toBeGreaterThan(5);
    for (const { id } of rows) {
      const codex = await s.codex.call<{ thread: Thread }>('thread/read', { threadId: id });
      const spool = await s.spool.call<{ thread: Thread }>('thread/read', { threadId: id });
      expect(schemaErrors('response', 'thread/read', spool)).toEqual([]);
      expect(threadDiffs(codex.thread as never, spool.thread as never, { codexKeys: codexDbKeys(s.home) })).toEqual([]);
    }
  });

  it('refuses what codex refuses, with the same codes and messages', async () => {
    const known = (s.engine.db.prepare("SELECT id FROM threads WHERE format <> 'bare' LIMIT 1").get() as { id: string }).id;
    const cases: [string, unknown][] = [
      ['thread/list', { cursor: 'not-a-cursor' }],
      ['thread/list', { cursor: '1735732800' }],
      ['thread/list', { parentThreadId: known, ancestorThreadId: known }],
      ['thread/list', { parentThreadId: 'zz' }],
      ['thread/list', { ancestorThreadId: '01a1fccf-0894-77a2-a6ff' }],
      ['thread/list', { excludedThreadIds: ['nope'] }],
      ['thread/list', { excludedThreadIds: Array.from({ length: 101 }, () => known) }],
      ['thread/list', { originators: ['x'] }],
      ['thread/list', { sortKey: 'section_position' }],
      ['thread/read', { threadId: '01a1fccf-0000-7000-8000-000000000000' }],
      // Every way Rust's uuid parser can refuse an id, and the forms it accepts.
      ...BAD_AND_ODD_IDS.map((threadId): [string, unknown] => ['thread/read', { threadId }]),
    ];
    for (const [method, params] of cases) {
      const codex = await s.codex.request(method, params);
      const spool = await s.spool.request(method, params);
      expect(spool.error, `${method} ${JSON.stringify(params).slice(0, 80)}`).toEqual(codex.error);
    }
    // Accepted by both: empty allowlists, a section-less sort, nulls.
    for (const params of [{ originators: [] }, { sourceKinds: [], modelProviders: [] }, { cursor: null, limit: null }]) {
      expect((await s.spool.request('thread/list', params)).error).toBeUndefined();
      expect((await s.codex.request('thread/list', params)).error).toBeUndefined();
    }
  });
});
