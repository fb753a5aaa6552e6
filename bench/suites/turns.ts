// Turns of a very long thread: a generated 250 MB rollout with 5,000 turns (codex 0.169's paginated
// format, and codex 0.98's legacy one), and one turn holding a 100 MB command output. Measured in
// the engine: the first page of newest turns with full items right after indexing (target ≤ 50 ms),
// paging through every turn (p50/p95 per page), the catch-up through a backwards cursor, items/list,
// and the engine thread's longest stall. The real `codex app-server` on the same files, side by side:
// `thread/resume` (which it needs before it lists a paginated thread's turns) and its pages.
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Engine } from '../../src/main/engine/engine.ts';
import type { ThreadTurnsListResult } from '../../src/shared/protocol/index.ts';
import { hugeLineHome, longThreadHome, type LongThread } from '../lib/homes.ts';
import { median, p95, round, timeMany } from '../lib/stats.ts';
import type { BenchContext, BenchRow, BenchSuite } from '../lib/types.ts';
import { startAppServer } from '../../test/support/codex-reference.ts';

const SUITE = 'turns';
const PAGE = 25;

async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/** Runs `fn` while watching how long the engine's (this) thread is kept from its event loop. */
async function stalls<T>(fn: () => Promise<T>): Promise<{ value: T; maxStallMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  try {
    const value = await fn();
    return { value, maxStallMs: h.max / 1e6 };
  } finally {
    h.disable();
  }
}

async function spoolSide(ctx: BenchContext, t: LongThread, label: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dataDir = fs.mkdtempSync(path.join(ctx.workDir, 'data-'));
  const engine = Engine.open({ home: t.home, dataDir });
  try {
    const index = await time(() => engine.sync());
    rows.push({
      suite: SUITE,
      metric: `${label}: index the rollout`,
      value: round(index.ms),
      unit: 'ms',
      note: `${(t.bytes / 1e6).toFixed(0)} MB, ${round(t.bytes / 1e6 / (index.ms / 1000))} MB/s`,
    });

    const params = { threadId: t.threadId, limit: PAGE, itemsView: 'full' as const };
    const first = await time(() => engine.call('thread/turns/list', params) as Promise<ThreadTurnsListResult>);
    rows.push({
      suite: SUITE,
      metric: `${label}: first page after indexing (25 newest turns, full)`,
      value: round(first.ms),
      unit: 'ms',
      target: '≤ 50 ms',
      pass: first.ms <= 50,
    });
    const warm = await timeMany(20, () => engine.call('thread/turns/list', params));
    rows.push({
      suite: SUITE,
      metric: `${label}: first page, warm (p50)`,
      value: round(median(warm)),
      unit: 'ms',
      target: '≤ 50 ms',
      pass: median(warm) <= 50,
    });

    for (const view of ['full', 'summary'] as const) {
      // Requests are answered synchronously on the engine thread: the slowest page is its longest stall.
      const pages = { perPage: [] as number[], turns: 0 };
      let cursor: string | null = null;
      do {
        const page: { ms: number; value: ThreadTurnsListResult } = await time(
          () =>
            engine.call('thread/turns/list', {
              threadId: t.threadId,
              limit: PAGE,
              itemsView: view,
              ...(cursor ? { cursor } : {}),
            }) as Promise<ThreadTurnsListResult>,
        );
        pages.perPage.push(page.ms);
        pages.turns += page.value.data.length;
        cursor = page.value.nextCursor;
      } while (cursor);
      rows.push({
        suite: SUITE,
        metric: `${label}: page through all turns (${view}), p50 per page`,
        value: round(median(pages.perPage)),
        unit: 'ms',
        note: `${pages.turns} turns, ${pages.perPage.length} pages`,
      });
      rows.push({
        suite: SUITE,
        metric: `${label}: page through all turns (${view}), p95 per page`,
        value: round(p95(pages.perPage)),
        unit: 'ms',
        note: `slowest page ${round(Math.max(...pages.perPage))} ms`,
      });
    }
    const head = (await engine.call('thread/turns/list', {
      threadId: t.threadId,
      limit: 5,
      itemsView: 'notLoaded',
    })) as ThreadTurnsListResult;
    const catchUp = await timeMany(20, () =>
      engine.call('thread/turns/list', { threadId: t.threadId, sortDirection: 'asc', cursor: head.backwardsCursor, itemsView: 'full' }),
    );
    rows.push({ suite: SUITE, metric: `${label}: catch-up through backwardsCursor (p50)`, value: round(median(catchUp)), unit: 'ms' });
    const read = await time(() => engine.call('thread/read', { threadId: t.threadId, includeTurns: true }));
    rows.push({
      suite: SUITE,
      metric: `${label}: thread/read includeTurns (every turn, full)`,
      value: round(read.ms),
      unit: 'ms',
      note: `${(JSON.stringify(read.value).length / 1e6).toFixed(1)} MB of JSON`,
    });
    if (label.startsWith('paginated')) {
      const items = await timeMany(20, () => engine.call('thread/items/list', { threadId: t.threadId, limit: 100, sortDirection: 'desc' }));
      rows.push({ suite: SUITE, metric: `${label}: thread/items/list, 100 newest items (p50)`, value: round(median(items)), unit: 'ms' });
    }
  } finally {
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

async function codexSide(t: LongThread, label: string, paginated: boolean, maxPages: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const started = await time(() => startAppServer(t.home));
  const codex = started.value;
  try {
    rows.push({ suite: SUITE, metric: `${label}: codex app-server start`, value: round(started.ms), unit: 'ms' });
    if (paginated) {
      const resume = await codex.request('thread/resume', { threadId: t.threadId }, { timeoutMs: 30 * 60_000 });
      rows.push({
        suite: SUITE,
        metric: `${label}: codex thread/resume`,
        value: round(resume.ms),
        unit: 'ms',
        note: resume.error ? resume.error.message : 'needed before codex lists a paginated thread’s turns',
      });
    }
    const first = await codex.request(
      'thread/turns/list',
      { threadId: t.threadId, limit: PAGE, itemsView: 'full' },
      { timeoutMs: 30 * 60_000 },
    );
    rows.push({
      suite: SUITE,
      metric: `${label}: codex first page (25 newest turns, full)`,
      value: round(first.ms),
      unit: 'ms',
      note: first.error ? first.error.message : '',
    });
    const perPage: number[] = [];
    let cursor = (first.result as ThreadTurnsListResult | undefined)?.nextCursor ?? null;
    while (cursor && perPage.length < maxPages) {
      const r = await codex.request(
        'thread/turns/list',
        { threadId: t.threadId, limit: PAGE, itemsView: 'full', cursor },
        { timeoutMs: 30 * 60_000 },
      );
      perPage.push(r.ms);
      cursor = (r.result as ThreadTurnsListResult | undefined)?.nextCursor ?? null;
    }
    const read = await codex.request('thread/read', { threadId: t.threadId, includeTurns: true }, { timeoutMs: 30 * 60_000 });
    rows.push({
      suite: SUITE,
      metric: `${label}: codex thread/read includeTurns`,
      value: round(read.ms),
      unit: 'ms',
      note: read.error ? read.error.message : '',
    });
    if (perPage.length > 0) {
      rows.push({
        suite: SUITE,
        metric: `${label}: codex paging (full), p50 per page`,
        value: round(median(perPage)),
        unit: 'ms',
        note: `${perPage.length} pages`,
      });
      rows.push({ suite: SUITE, metric: `${label}: codex paging (full), p95 per page`, value: round(p95(perPage)), unit: 'ms' });
    }
  } finally {
    await codex.close();
  }
  return rows;
}

async function hugeLine(ctx: BenchContext, bytes: number): Promise<BenchRow[]> {
  const t = await hugeLineHome(ctx.workDir, bytes);
  const dataDir = fs.mkdtempSync(path.join(ctx.workDir, 'data-'));
  const engine = Engine.open({ home: t.home, dataDir });
  const label = `one ${Math.round(bytes / 1e6)} MB output line`;
  const rows: BenchRow[] = [];
  try {
    const index = await stalls(() => engine.sync());
    rows.push({
      suite: SUITE,
      metric: `${label}: longest engine stall while indexing it`,
      value: round(index.maxStallMs),
      unit: 'ms',
      note: 'parsing runs in the worker pool',
    });
    const page = await timeMany(10, () => engine.call('thread/turns/list', { threadId: t.threadId, itemsView: 'full' }), 1);
    const r = (await engine.call('thread/turns/list', { threadId: t.threadId, itemsView: 'full' })) as ThreadTurnsListResult;
    rows.push({
      suite: SUITE,
      metric: `${label}: turns/list full (p50)`,
      value: round(median(page)),
      unit: 'ms',
      note: `response ${(JSON.stringify(r).length / 1024).toFixed(0)} kB; slowest ${round(Math.max(...page))} ms`,
    });
    const cut = (r.data[0]!.items[1]!['spool'] as { truncated: { handle: string }[] }).truncated[0]!;
    const text = await timeMany(
      10,
      (i) => engine.call('spool/item/text', { threadId: t.threadId, handle: cut.handle, offset: i * 1024 * 1024, limit: 1024 * 1024 }),
      1,
    );
    rows.push({ suite: SUITE, metric: `${label}: spool/item/text, 1 MB page (p50)`, value: round(median(text)), unit: 'ms' });
  } finally {
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

const suite: BenchSuite = {
  name: SUITE,
  description: 'a 250 MB rollout with 5,000 turns: first page, paging, catch-up; a 100 MB line; vs codex app-server',
  async run(ctx) {
    const full = ctx.scale === 'full';
    const turns = full ? 5000 : 500;
    const bytes = full ? 250e6 : 25e6;
    const rows: BenchRow[] = [];
    for (const format of ['paginated', 'legacy'] as const) {
      ctx.log(`${format} rollout: ${turns} turns, ${bytes / 1e6} MB…`);
      const t = await longThreadHome(ctx.workDir, { turns, bytes, format });
      const label = `${format} ${Math.round(t.bytes / 1e6)} MB`;
      rows.push(...(await spoolSide(ctx, t, label)));
      ctx.log(`codex app-server on the same rollout…`);
      // Codex replays a whole legacy rollout for every page: a few pages tell the story.
      rows.push(...(await codexSide(t, label, format === 'paginated', format === 'paginated' ? Infinity : 3)));
    }
    ctx.log('one enormous line…');
    rows.push(...(await hugeLine(ctx, full ? 100e6 : 10e6)));
    return rows;
  },
};
export default suite;
