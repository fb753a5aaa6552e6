// Indexing: full backfill time and throughput on homes of real codex rollouts (the reference
// scripts' scale mode: real bytes, ~80 kB per rollout), the time until the first page of the list
// is right, the cost of one turn appended to a 100 MB rollout, peak memory, and the real
// `codex app-server`'s own first-start backfill on the same home, side by side.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Engine } from '../../src/main/engine/engine.ts';
import { ALL_SOURCE_KINDS, type ThreadListParams } from '../../src/shared/protocol/index.ts';
import { realScaleHome } from '../lib/homes.ts';
import { bigRolloutHome, codexFirstStartMs, dropPageCache, readAllRollouts, rssSampler } from '../lib/index-bench.ts';
import type { BenchContext, BenchRow, BenchSuite } from '../lib/types.ts';
import { median, round } from '../lib/stats.ts';

const S = 'index';
/** The first pages a client asks for: codex's defaults, and the app's own (every source, 50 rows). */
const FIRST_PAGES: ThreadListParams[] = [{}, { sourceKinds: [...ALL_SOURCE_KINDS], modelProviders: [], limit: 50 }];

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** CPU time of the engine's own thread (the bench runs the engine on its main thread). */
function threadCpuMs(): number {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
}

function freshDataDir(ctx: BenchContext): string {
  return fs.mkdtempSync(path.join(ctx.workDir, 'data-'));
}

async function firstPages(e: Engine): Promise<string> {
  const pages = await Promise.all(FIRST_PAGES.map((p) => e.call('thread/list', p)));
  return JSON.stringify(pages.map((r) => r.data.map((t) => [t.id, t.name, t.preview, t.updatedAt])));
}

function engineWorkers(e: Engine): number {
  return e.indexer.poolSize;
}

async function fullIndex(ctx: BenchContext, home: string, label: string, cold: boolean): Promise<{ rows: BenchRow[]; expected: string }> {
  const dataDir = freshDataDir(ctx);
  const rss = rssSampler();
  const cpu0 = cpuMs();
  const main0 = threadCpuMs();
  const t0 = performance.now();
  const engine = Engine.open({ home, dataDir });
  const s = await engine.sync();
  const ms = performance.now() - t0;
  const cpu = cpuMs() - cpu0;
  const mainCpu = threadCpuMs() - main0;
  const peak = rss.stop();
  const expected = await firstPages(engine);
  const threads = engine.indexer.progress.threads;
  await engine.close();
  // A restart: the index is there, and the first pages should be at once.
  const r0 = performance.now();
  const reopened = Engine.open({ home, dataDir });
  await firstPages(reopened);
  const restartMs = performance.now() - r0;
  await reopened.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const mb = s.bytesParsed / 1e6;
  const mbps = mb / (ms / 1000);
  // The engine thread and the parse workers run side by side: on two otherwise idle cores the run
  // takes about as long as its busiest thread. Shown next to the measured figure, which suffers
  // whatever else the machine is doing.
  const workerCpu = cpu - mainCpu;
  const bound = mb / (Math.max(mainCpu, workerCpu / Math.max(1, engineWorkers(engine))) / 1000);
  ctx.log(
    `${label}: ${threads} threads, ${mb.toFixed(0)} MB in ${(ms / 1000).toFixed(1)} s (${mbps.toFixed(0)} MB/s; CPU: engine thread ${(mainCpu / 1000).toFixed(1)} s, parse workers ${(workerCpu / 1000).toFixed(1)} s)`,
  );
  if (cold) {
    return {
      expected,
      rows: [
        {
          suite: S,
          metric: `${label}: full index, cold page cache`,
          value: round(ms / 1000),
          unit: 's',
          note: `${round(mbps)} MB/s; every rollout read from the disk`,
        },
      ],
    };
  }
  return {
    expected,
    rows: [
      {
        suite: S,
        metric: `${label}: full index`,
        value: round(ms / 1000),
        unit: 's',
        note: `${threads} threads, ${s.parsed} files, ${mb.toFixed(0)} MB; rollouts in the page cache`,
      },
      {
        suite: S,
        metric: `${label}: throughput`,
        value: round(mbps),
        unit: 'MB/s',
        target: '≥ 200 MB/s',
        pass: mbps >= 200,
        note: `measured; ${round(mb / (cpu / 1000))} MB per CPU-second`,
      },
      {
        suite: S,
        metric: `${label}: throughput, CPU-bound`,
        value: round(bound),
        unit: 'MB/s',
        note: `MB ÷ CPU time of the busiest thread (engine ${(mainCpu / 1000).toFixed(1)} s, workers ${(workerCpu / 1000).toFixed(1)} s)`,
      },
      { suite: S, metric: `${label}: peak memory`, value: round(peak / 2 ** 20), unit: 'MB', note: 'resident, engine + parse workers' },
      {
        suite: S,
        metric: `${label}: restart → first pages`,
        value: round(restartMs),
        unit: 'ms',
        target: '≤ 1000 ms',
        pass: restartMs <= 1000,
        note: 'the index already built: open, then the codex-default and all-sources pages',
      },
    ],
  };
}

/** Time from opening the engine on a fresh data folder until the first pages equal the final ones. */
async function firstPageMs(ctx: BenchContext, home: string, expected: string, label: string): Promise<BenchRow> {
  const dataDir = freshDataDir(ctx);
  const t0 = performance.now();
  const engine = Engine.open({ home, dataDir });
  const live = engine.startLive().catch(() => undefined);
  let ms = Number.NaN;
  for (;;) {
    if ((await firstPages(engine)) === expected) {
      ms = performance.now() - t0;
      break;
    }
    if (performance.now() - t0 > 600_000) break;
    await sleep(5);
  }
  await engine.close();
  await live;
  fs.rmSync(dataDir, { recursive: true, force: true });
  return {
    suite: S,
    metric: `${label}: first page right after`,
    value: round(ms),
    unit: 'ms',
    target: '≤ 1000 ms',
    pass: ms <= 1000,
    note: 'fresh data folder; codex-default and all-sources pages',
  };
}

/** One turn appended to a long rollout under a live engine: time until visible and bytes parsed. */
async function appendCost(ctx: BenchContext, bytes: number): Promise<BenchRow[]> {
  const big = bigRolloutHome(ctx.workDir, bytes);
  const dataDir = freshDataDir(ctx);
  const engine = Engine.open({ home: big.home, dataDir });
  await engine.startLive();
  const rel = path.relative(big.home, big.file).split(path.sep).join('/');
  const size0 = fs.statSync(big.file).size;
  const times: number[] = [];
  const ratios: number[] = [];
  let appended = 0;
  for (let i = 0; i < 7; i++) {
    const turns = (await engine.call('thread/read', { threadId: big.threadId })).thread.extra!.spool.turnCount;
    const before = engine.indexer.stats.recent.length;
    const text = big.nextTurn();
    const t0 = performance.now();
    fs.appendFileSync(big.file, text);
    const size = fs.statSync(big.file).size;
    for (;;) {
      const done = engine.indexer.stats.recent.slice(before).some((r) => r.relPath === rel && r.toOffset === size);
      if (done && (await engine.call('thread/read', { threadId: big.threadId })).thread.extra!.spool.turnCount === turns + 1) break;
      if (performance.now() - t0 > 30_000) throw new Error('appended turn never became visible');
      await sleep(1);
    }
    times.push(performance.now() - t0);
    const parsed = engine.indexer.stats.recent
      .slice(before)
      .filter((r) => r.relPath === rel)
      .reduce((s, r) => s + r.bytesRead, 0);
    ratios.push(parsed / Buffer.byteLength(text));
    appended = Buffer.byteLength(text);
    await sleep(100);
  }
  await engine.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const ms = median(times);
  const label = `append one turn to a ${Math.round(size0 / 1e6)} MB rollout`;
  return [
    {
      suite: S,
      metric: `${label}: visible after`,
      value: round(ms),
      unit: 'ms',
      target: '≤ 200 ms',
      pass: ms <= 200,
      note: `median of ${times.length}; watcher debounce included`,
    },
    {
      suite: S,
      metric: `${label}: bytes parsed / bytes appended`,
      value: round(median(ratios)),
      unit: '×',
      target: '≈ 1',
      pass: median(ratios) < 1.5,
      note: `${(appended / 1024).toFixed(1)} kB appended per turn`,
    },
  ];
}

const suite: BenchSuite = {
  name: 'index',
  description: 'backfill MB/s, first page, append cost, memory, vs codex app-server (real-scale homes)',
  async run(ctx) {
    const sizes = ctx.scale === 'full' ? [1_000, 10_000, 100_000] : [1_000];
    const rows: BenchRow[] = [];
    for (const threads of sizes) {
      const label = `${threads / 1000}k threads`;
      ctx.log(`${label}: home (reference scripts' scale mode)…`);
      // Scale mode clones families of ~1.3 threads.
      const { home } = realScaleHome(ctx.workDir, Math.round(threads / 1.3));
      // The disk sets a floor that no indexer goes under, and it differs from machine to machine:
      // the files are read once from a cold cache (where the kernel allows dropping it) to show
      // that floor, a cold index follows, and the throughput target is checked on the warm run.
      const cold = dropPageCache();
      const read = readAllRollouts(home);
      rows.push({
        suite: S,
        metric: `${label}: reading the rollouts alone`,
        value: round(read.ms / 1000),
        unit: 's',
        note: `${round(read.bytes / 1e3 / read.ms)} MB/s, one thread, ${cold ? 'cold page cache' : 'page cache as found'}: the floor under any indexer`,
      });
      if (dropPageCache()) rows.push(...(await fullIndex(ctx, home, label, true)).rows);
      readAllRollouts(home);
      const { rows: r, expected } = await fullIndex(ctx, home, label, false);
      rows.push(...r);
      rows.push(await firstPageMs(ctx, home, expected, label));
      ctx.log(`${label}: codex app-server first start…`);
      const spoolS = r[0]!.value;
      try {
        const codexMs = await codexFirstStartMs(home);
        rows.push({
          suite: S,
          metric: `${label}: codex app-server first-start backfill`,
          value: round(codexMs / 1000),
          unit: 's',
          note: `rollouts in the page cache, as for Spool (${spoolS} s): Spool is ${round(codexMs / 1000 / spoolS, 1)}× faster`,
        });
      } catch (err) {
        rows.push({
          suite: S,
          metric: `${label}: codex app-server first-start backfill`,
          value: Number.NaN,
          unit: 's',
          note: `failed: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
    }
    rows.push(...(await appendCost(ctx, ctx.scale === 'full' ? 100 * 1024 * 1024 : 10 * 1024 * 1024)));
    return rows;
  },
};
export default suite;
