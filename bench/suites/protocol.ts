// thread/list page latency on a home of real codex rollouts (100k threads in the full run): in the
// engine, over `spool serve`'s WebSocket (router + engine worker), and from the real
// `codex app-server` on the same home (its state DB path, and its default file-scan path), for
// every sort key, at depth 0, 50 % and 99 % of the listing, with every filter the UI offers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { Engine } from '../../src/main/engine/engine.ts';
import { EngineSession } from '../../src/main/host/engine-session.ts';
import { startServer } from '../../src/main/host/serve.ts';
import { buildListSql, KEY_COLUMNS } from '../../src/main/engine/threads/list-sql.ts';
import { toListQuery } from '../../src/main/engine/threads/list.ts';
import { ALL_SOURCE_KINDS, formatNextCursor, type ThreadListParams } from '../../src/shared/protocol/index.ts';
import { startAppServer } from '../../test/support/appserver.ts';
import { realScaleHome } from '../lib/homes.ts';
import { quantile, round } from '../lib/stats.ts';
import type { BenchRow, BenchSuite } from '../lib/types.ts';
import { processQuiet } from '../lib/quiet.ts';

const SUITE = 'protocol';
/** Threads per page: what Spool's list asks for. */
const PAGE = 50;
const KEYS = ['created_at', 'updated_at', 'recency_at'] as const;
const DEPTHS = [0, 0.5, 0.99] as const;
const ALL = { sourceKinds: [...ALL_SOURCE_KINDS], modelProviders: [] } satisfies ThreadListParams;

interface Cell {
  label: string;
  key: (typeof KEYS)[number];
  depth: number;
  params: ThreadListParams;
  total: number;
}

type Caller = (params: ThreadListParams) => Promise<unknown>;

async function sample(call: Caller, params: ThreadListParams, n: number, warmup: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await call(params);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await call(params);
    out.push(performance.now() - t0);
  }
  return out;
}

/** A JSON-RPC client over the WebSocket of `spool serve`. */
async function wsClient(port: number, token: string): Promise<{ call: Caller; close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${token}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const pending = new Map<number, (v: unknown) => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as { id?: number; result?: unknown; error?: { message: string } };
    if (m.id === undefined) return;
    pending.get(m.id)?.(m.error ? new Error(m.error.message) : m.result);
    pending.delete(m.id);
  });
  let next = 1;
  return {
    call: (params) =>
      new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, (v) => (v instanceof Error ? reject(v) : resolve(v)));
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'thread/list', params }));
      }),
    close: () => ws.close(),
  };
}

/** The filters and sorts of the matrix, each with the cursor that starts a page at the given depth. */
function cells(engine: Engine): Cell[] {
  const db = engine.db;
  const cwd = (
    db.prepare("SELECT cwd FROM threads WHERE archived = 0 AND cwd <> '' GROUP BY cwd ORDER BY count(*) DESC LIMIT 1").get() as {
      cwd: string;
    }
  ).cwd;
  const provider = (db.prepare('SELECT model_provider AS p FROM threads GROUP BY p ORDER BY count(*) DESC LIMIT 1').get() as { p: string })
    .p;
  const middle = (
    db
      .prepare(
        "SELECT preview FROM threads WHERE archived = 0 AND preview <> '' ORDER BY created_at_ms LIMIT 1 OFFSET (SELECT count(*) / 2 FROM threads WHERE archived = 0)",
      )
      .get() as { preview: string }
  ).preview;
  const term = middle.slice(0, 16);
  const parent = (
    db.prepare('SELECT parent_id FROM spawn_edges GROUP BY parent_id ORDER BY count(*) DESC LIMIT 1').get() as { parent_id: string }
  ).parent_id;
  const filters: [string, ThreadListParams, boolean][] = [
    ['codex defaults', {}, true],
    ['everything', ALL, true],
    ['archived', { ...ALL, archived: true }, true],
    ['one cwd', { ...ALL, cwd }, true],
    ['one provider', { ...ALL, modelProviders: [provider] }, true],
    ['kind exec', { ...ALL, sourceKinds: ['exec'] }, true],
    ['sub-agents', { ...ALL, sourceKinds: ['subAgent'] }, true],
    [`search "${term}"`, { ...ALL, searchTerm: term }, true],
    // A term nothing matches: the worst case of a substring search, which walks every thread.
    ['search, no match', { ...ALL, searchTerm: 'no thread says this' }, false],
    ['parentThreadId', { parentThreadId: parent }, false],
  ];
  const out: Cell[] = [];
  for (const [label, base, deep] of filters) {
    for (const key of KEYS) {
      const q = toListQuery({ ...base, sortKey: key }, () => engine.indexer.writer.defaultProvider)!;
      const everything = buildListSql({ ...q, limit: 1_000_000_000 });
      const total = (db.prepare(`SELECT count(*) AS n FROM (${everything.sql})`).get(...everything.args) as { n: number }).n;
      for (const depth of deep ? DEPTHS : [0]) {
        const at = Math.floor(total * depth);
        let cursor: string | undefined;
        if (at > 0) {
          const upTo = buildListSql({ ...q, limit: at - 1 });
          const rows = db.prepare(upTo.sql).all(...upTo.args) as Record<string, number | string>[];
          const last = rows[at - 1]!;
          cursor = formatNextCursor(last[KEY_COLUMNS[key]] as number, last['id'] as string);
        }
        out.push({ label, key, depth, total, params: { ...base, sortKey: key, limit: PAGE, ...(cursor ? { cursor } : {}) } });
      }
    }
  }
  return out;
}

const name = (c: Cell): string => `${c.label}, ${c.key}, depth ${Math.round(c.depth * 100)}%`;
const ms = (v: number): number => round(v, 3);

const suite: BenchSuite = {
  name: SUITE,
  description: 'thread/list page latency (p50, p99): engine, WebSocket and codex app-server on the same home of real rollouts',
  async run(ctx) {
    const families = ctx.scale === 'full' ? 77_000 : 2_000;
    ctx.log(`home of ${families} cloned codex families (codex backfills its state DB once)…`);
    const t0 = performance.now();
    const { home } = realScaleHome(ctx.workDir, families, true);
    ctx.log(`  ready in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const dataDir = path.join(ctx.workDir, `protocol-index-${families}`);
    const rows: BenchRow[] = [];

    // Engine, in-process, live (watching the home) as the app runs it: read-repair then trusts a
    // file it checked a moment ago, until the watcher reports a change.
    // Closed whatever happens: an engine left running (its watcher, its parse workers) would load
    // the machine under every suite after this one.
    const engine = Engine.open({ home, dataDir });
    let matrix: Cell[];
    const engineTimes = new Map<Cell, number[]>();
    try {
      const ti = performance.now();
      const summary = await engine.startLive();
      await engine.integrity; // a large index's integrity check, on a parse worker just after start
      const threads = (engine.db.prepare('SELECT count(*) AS n FROM threads').get() as { n: number }).n;
      ctx.log(`Spool's index: ${threads} threads (${summary.parsed} files parsed in ${((performance.now() - ti) / 1000).toFixed(1)} s)`);
      rows.push({
        suite: SUITE,
        metric: 'threads in the home',
        value: threads,
        unit: 'threads',
        note: `${families} families; page size ${PAGE}`,
      });
      matrix = cells(engine);
      for (const c of matrix)
        engineTimes.set(c, await sample((p) => engine.call('thread/list', p), c.params, ctx.scale === 'full' ? 200 : 50, 5));
      // The counts the browse screen asks for after every index change (its filter menus and thread
      // count), on the engine's thread: a list request that arrives meanwhile waits for them.
      const counts = { archived: false, sourceKinds: ALL_SOURCE_KINDS.filter((k) => !k.startsWith('subAgent')), includeEmptyPreview: true };
      const f = await sample(() => engine.call('spool/facets', counts), {}, 30, 3);
      const projects = (await engine.call('spool/facets', counts)).cwdCount;
      rows.push({
        suite: SUITE,
        metric: "engine p50: spool/facets (the browse screen's counts)",
        value: ms(quantile(f, 0.5)),
        unit: 'ms',
        target: '≤ 15 ms',
        pass: quantile(f, 0.5) <= 15,
        note: `p99 ${ms(quantile(f, 0.99))} ms; ${projects} projects`,
      });
    } finally {
      await engine.close();
    }

    // Over the WebSocket of `spool serve` (router on the main thread, engine in its worker, live).
    const session = await EngineSession.start({ home, dataDir, live: true });
    const wireTimes = new Map<Cell, number[]>();
    try {
      // Steady state, as for the engine above: the start-up reconcile (a stat of every rollout) done.
      for (let i = 0; (await session.call('spool/index/status', {})).phase !== 'idle' && i < 6000; i++)
        await new Promise((r) => setTimeout(r, 50));
      await processQuiet(process.pid); // and the index's deferred integrity check, on a parse worker
      const server = await startServer({ engine: session, rendererDir: fs.mkdtempSync(path.join(os.tmpdir(), 'spool-bench-ui-')) });
      try {
        const client = await wsClient(server.port, server.token);
        for (const c of matrix) wireTimes.set(c, await sample(client.call, c.params, ctx.scale === 'full' ? 200 : 50, 5));
        client.close();
      } finally {
        await server.close();
      }
    } finally {
      await session.close();
    }

    // The real codex app-server on the same home: its state DB path, and (where it has one) its
    // default path, which scans rollout files and repairs its DB before answering.
    ctx.log('codex app-server…');
    const codex = await startAppServer(home);
    const codexDb = new Map<Cell, number[]>();
    const codexScan = new Map<Cell, number[]>();
    try {
      for (const c of matrix) {
        codexDb.set(
          c,
          await sample((p) => codex.call('thread/list', { ...p, useStateDbOnly: true }), c.params, ctx.scale === 'full' ? 20 : 10, 2),
        );
        if ((c.label === 'codex defaults' || c.label === 'everything') && c.key !== 'recency_at') {
          codexScan.set(c, await sample((p) => codex.call('thread/list', p), c.params, ctx.scale === 'full' ? 5 : 3, 1));
        }
      }
    } finally {
      await codex.close();
    }

    let worstEngine = 0;
    let worstWire = 0;
    for (const c of matrix) {
      const e = engineTimes.get(c)!;
      const w = wireTimes.get(c)!;
      const d = codexDb.get(c)!;
      const s = codexScan.get(c);
      const ep50 = quantile(e, 0.5);
      const wp50 = quantile(w, 0.5);
      worstEngine = Math.max(worstEngine, ep50);
      worstWire = Math.max(worstWire, wp50);
      const codexNote = `codex useStateDbOnly p50 ${ms(quantile(d, 0.5))} / p99 ${ms(quantile(d, 0.99))} ms${s ? `; codex default path p50 ${ms(quantile(s, 0.5))} ms` : ''}`;
      rows.push({
        suite: SUITE,
        metric: `engine p50: ${name(c)}`,
        value: ms(ep50),
        unit: 'ms',
        target: '≤ 1 ms',
        pass: ep50 <= 1,
        note: `p99 ${ms(quantile(e, 0.99))} ms; ${c.total} match`,
      });
      rows.push({
        suite: SUITE,
        metric: `WebSocket p50: ${name(c)}`,
        value: ms(wp50),
        unit: 'ms',
        target: '≤ 3 ms',
        pass: wp50 <= 3,
        note: `p99 ${ms(quantile(w, 0.99))} ms; ${codexNote}`,
      });
    }
    rows.push({
      suite: SUITE,
      metric: 'engine p50, worst cell',
      value: ms(worstEngine),
      unit: 'ms',
      target: '≤ 1 ms',
      pass: worstEngine <= 1,
    });
    rows.push({
      suite: SUITE,
      metric: 'WebSocket p50, worst cell',
      value: ms(worstWire),
      unit: 'ms',
      target: '≤ 3 ms',
      pass: worstWire <= 3,
    });
    const median = (m: Map<Cell, number[]>): number =>
      quantile(
        [...m.values()].map((v) => quantile(v, 0.5)),
        0.5,
      );
    rows.push({
      suite: SUITE,
      metric: 'median cell p50: engine / WebSocket / codex DB / codex default',
      value: ms(median(engineTimes)),
      unit: 'ms',
      note: `${ms(median(wireTimes))} / ${ms(median(codexDb))} / ${ms(median(codexScan))} ms`,
    });
    return rows;
  },
};
export default suite;
