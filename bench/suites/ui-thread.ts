// The thread view in Chromium against the real browser host (`spool serve`) on a generated 250 MB
// rollout of 5,000 turns (codex 0.169's format; the same cached home as the `turns` suite):
// - first paint: from selecting the thread in the list to its newest turns painted (after indexing),
//   over several page loads; target ≤ 50 ms;
// - a scroll with the mouse wheel from the newest turn up to the first and back down: long tasks
//   (> 50 ms) on the renderer's main thread (target 0), the longest one, and the time it took;
// - memory: the JS heap (after a forced GC) and DOM nodes when opened, at the first turn, and back at
//   the newest — bounded, not growing with the turns scrolled through;
// - the Markdown parser on a 64 KB message and on hostile input (what one message can cost).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { chromium, type Page } from '@playwright/test';
import { buildApp } from '../lib/build.ts';
import { longThreadHome, type LongThread } from '../lib/homes.ts';
import { prng, uuidV7, writeRollout } from '../../src/main/engine/demo/generate.ts';
import { median, p95, round } from '../lib/stats.ts';
import type { BenchContext, BenchRow, BenchSuite } from '../lib/types.ts';
import { REPO_ROOT } from '../../test/support/real-home.ts';
import { parseMarkdown } from '../../src/renderer/lib/markdown/parse.ts';
import { describeLongFrames, type LongFrame } from './ui-browse.ts';

const SUITE = 'ui-thread';

/** The few browser globals the page functions below use (this file is type-checked without the DOM library). */
interface DomElement {
  dataset: Record<string, string | undefined>;
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
  click(): void;
  querySelector(selector: string): DomElement | null;
}
interface Dom {
  document: { querySelector(selector: string): DomElement | null };
  requestAnimationFrame(cb: () => void): number;
  __long: number[];
  __frames: LongFrame[];
  PerformanceObserver: new (cb: (list: { getEntries(): LongFrameEntry[] }) => void) => {
    observe(o: { type: string; buffered: boolean }): void;
  };
}
/** A long-task or long-animation-frame entry (the fields used). */
interface LongFrameEntry {
  startTime: number;
  duration: number;
  renderStart?: number;
  styleAndLayoutStart?: number;
  scripts?: { invoker: string; duration: number }[];
}
const NODE = path.join(REPO_ROOT, 'node_modules', '.bin', 'node');

async function serve(home: string, dataDir: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(NODE, [path.join(REPO_ROOT, 'bin', 'spool.js'), 'serve', '--home', home, '--data-dir', dataDir, '--port', '0'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`spool serve did not start: ${stderr}`)), 60_000);
    readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (/^http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(line)) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
  });
  return { url, proc };
}

/** Selects the thread and resolves once its newest turns are painted (laid out at the bottom of the timeline). */
function selectAndTimePaint(page: Page, threadId: string): Promise<number> {
  return page.evaluate(async (id) => {
    const w = globalThis as unknown as Dom;
    const row = w.document.querySelector(`[data-testid="thread-list"] [data-thread-id="${id}"]`)!;
    const t0 = performance.now();
    row.click();
    // Checked in animation frames; a frame whose callback sees them laid out paints them right
    // after, and a task queued from that callback runs once it has.
    await new Promise<void>((resolve) => {
      const done = (): boolean => {
        const tl = w.document.querySelector('[data-testid="timeline"]');
        if (!tl || !tl.querySelector('[data-testid="turn"]')) return false;
        return tl.scrollHeight - tl.scrollTop - tl.clientHeight < 4;
      };
      const tick = (): void => void (done() ? setTimeout(resolve, 0) : w.requestAnimationFrame(tick));
      w.requestAnimationFrame(tick);
    });
    return performance.now() - t0;
  }, threadId);
}

async function heap(page: Page): Promise<{ heapMb: number; nodes: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const m = new Map(metrics.map((x) => [x.name, x.value]));
  await cdp.detach();
  return { heapMb: (m.get('JSHeapUsedSize') ?? 0) / 2 ** 20, nodes: m.get('Nodes') ?? 0 };
}

/**
 * Wheel-scrolls the timeline to one end, 400 px a notch at 60 notches a second (a fast, sustained
 * scroll: ~24,000 px/s); returns the milliseconds it took. The position is read every 10 notches, so
 * the bench itself adds little to the page's main thread.
 */
async function wheelTo(page: Page, end: 'start' | 'end'): Promise<number> {
  const box = (await page.getByTestId('timeline').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const t0 = performance.now();
  for (let i = 0; i < 1_000_000; i++) {
    if (i % 10 === 0) {
      const s = await page.getByTestId('timeline').evaluate((el) => ({
        top: el.scrollTop,
        bottom: el.scrollHeight - el.scrollTop - el.clientHeight,
        atStart: el.dataset['atStart'] === 'true',
        atEnd: el.dataset['atEnd'] === 'true',
      }));
      if (end === 'start' && s.atStart && s.top === 0) break;
      if (end === 'end' && s.atEnd && s.bottom < 4) break;
    }
    await page.mouse.wheel(0, end === 'start' ? -400 : 400);
    await page.waitForTimeout(16);
  }
  return performance.now() - t0;
}

/**
 * The long thread's home plus a second, short thread to switch from (selection is measured in a
 * warm page, as a reader moves between threads). The long rollout is hard-linked, not copied.
 */
function twoThreadHome(ctx: BenchContext, t: LongThread): { home: string; otherId: string } {
  const home = path.join(ctx.workDir, 'homes', `ui-thread-${path.basename(t.home)}`);
  const done = path.join(home, '.generated.json');
  if (!fs.existsSync(done)) {
    fs.rmSync(home, { recursive: true, force: true });
    // The cache may have been filled from another checkout: find the rollout under this home.
    const rel = t.file.slice(t.file.lastIndexOf(`${path.sep}sessions${path.sep}`) + 1);
    const src = path.join(t.home, rel);
    const dest = path.join(home, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    try {
      fs.linkSync(src, dest);
    } catch {
      fs.copyFileSync(src, dest);
    }
    if (fs.existsSync(path.join(t.home, 'config.toml'))) fs.copyFileSync(path.join(t.home, 'config.toml'), path.join(home, 'config.toml'));
    const r = prng(3);
    const createdMs = Date.now() - 40 * 86_400_000;
    const otherId = uuidV7(createdMs, r);
    writeRollout(
      home,
      {
        id: otherId,
        createdMs,
        format: 'paginated',
        source: 'exec',
        cwd: '/home/dev/src/docs-site',
        provider: 'mock',
        model: 'mock-model',
        effort: 'low',
        git: null,
        prompt: 'Fix the broken links in the docs',
        turns: 3,
        archived: false,
        spawn: null,
      },
      r,
      200,
    );
    fs.writeFileSync(done, JSON.stringify({ otherId }));
  }
  return { home, otherId: (JSON.parse(fs.readFileSync(done, 'utf8')) as { otherId: string }).otherId };
}

async function uiRows(ctx: BenchContext, turns: number, bytes: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const t = await longThreadHome(ctx.workDir, { turns, bytes, format: 'paginated' });
  const label = `${Math.round(t.bytes / 1e6)} MB, ${turns.toLocaleString('en-US')} turns`;
  buildApp(ctx);
  const dataDir = fs.mkdtempSync(path.join(ctx.workDir, 'data-'));
  const two = twoThreadHome(ctx, t);
  const { url, proc } = await serve(two.home, dataDir);
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--enable-precise-memory-info'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    // Indexed: the list shows the thread once its rollout (and its turn index) is written.
    await page.locator(`[data-testid="thread-list"] [data-thread-id="${t.threadId}"]`).waitFor({ timeout: 30 * 60_000 });
    await page.waitForTimeout(1000);

    // Cold: right after loading the page (its code not yet optimised by the JS engine).
    const cold: number[] = [];
    for (let i = 0; i < 5; i++) {
      if (i > 0) {
        await page.reload();
        await page.locator(`[data-testid="thread-list"] [data-thread-id="${t.threadId}"]`).waitFor();
        await page.waitForTimeout(300);
      }
      cold.push(await selectAndTimePaint(page, t.threadId));
    }
    // Warm: moving between threads in a page in use.
    const paints: number[] = [];
    for (let i = 0; i < 14; i++) {
      await selectAndTimePaint(page, two.otherId);
      await page.waitForTimeout(200);
      paints.push(await selectAndTimePaint(page, t.threadId));
      await page.waitForTimeout(200);
    }
    const warm = paints.slice(2);
    rows.push({
      suite: SUITE,
      metric: `first paint of the newest turns (${label}), p50`,
      value: round(median(warm)),
      unit: 'ms',
      target: '≤ 50 ms',
      pass: median(warm) <= 50,
      note: `selection → painted, ${warm.length} selections in a warm page`,
    });
    rows.push({ suite: SUITE, metric: `first paint of the newest turns (${label}), p95`, value: round(p95(warm)), unit: 'ms' });
    rows.push({
      suite: SUITE,
      metric: `first paint right after loading the page (${label}), p50`,
      value: round(median(cold)),
      unit: 'ms',
      note: `${cold.length} page loads; the JS engine has not optimised the view's code yet`,
    });

    const opened = await heap(page);
    await page.evaluate(() => {
      const w = globalThis as unknown as Dom;
      w.__long = [];
      w.__frames = [];
      new w.PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__long.push(e.duration);
      }).observe({ type: 'longtask', buffered: false });
      // Long animation frames, with what they spent their time on (attribution for the long tasks).
      new w.PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          const end = e.startTime + e.duration;
          const scripts = e.scripts ?? [];
          const top = [...scripts].sort((a, b) => b.duration - a.duration)[0];
          w.__frames.push({
            ms: e.duration,
            script: scripts.reduce((n, s) => n + s.duration, 0),
            styleLayout: e.styleAndLayoutStart ? end - e.styleAndLayoutStart : 0,
            render: e.renderStart ? end - e.renderStart : 0,
            top: top ? `${top.invoker} ${Math.round(top.duration)} ms` : '',
          });
        }
      }).observe({ type: 'long-animation-frame', buffered: false });
    });
    const up = await wheelTo(page, 'start');
    const atStart = await heap(page);
    const down = await wheelTo(page, 'end');
    const back = await heap(page);
    const long = await page.evaluate(() => (globalThis as unknown as Dom).__long);
    const longFrames = await page.evaluate(() => (globalThis as unknown as Dom).__frames);
    rows.push({
      suite: SUITE,
      metric: `wheel scroll to the first turn and back (${turns.toLocaleString('en-US')} turns): long tasks > 50 ms`,
      value: long.length,
      unit: 'tasks',
      target: '0',
      pass: long.length === 0,
      note: `${long.length ? `longest ${round(Math.max(...long))} ms` : 'none'}${describeLongFrames(longFrames)}`,
    });
    rows.push({
      suite: SUITE,
      metric: 'wheel scroll: time to the first turn',
      value: round(up / 1000),
      unit: 's',
      note: `${round(turns / (up / 1000))} turns/s including page loads`,
    });
    rows.push({ suite: SUITE, metric: 'wheel scroll: time back to the newest turn', value: round(down / 1000), unit: 's' });
    rows.push({
      suite: SUITE,
      metric: 'JS heap: opened / at the first turn / back at the newest',
      value: round(back.heapMb),
      unit: 'MB',
      note: `${round(opened.heapMb)} / ${round(atStart.heapMb)} / ${round(back.heapMb)} MB after GC; DOM nodes ${opened.nodes} / ${atStart.nodes} / ${back.nodes}`,
    });
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

function markdownRows(): BenchRow[] {
  const para = 'The failure comes from a **timezone** assumption in `parseDuration`; see [docs](https://example.com/x) and *notes*.\n';
  const block = `## Heading\n\n${para.repeat(5)}\n- item one with \`code\`\n- item **two**\n\n\`\`\`ts\nconst x = 1;\n\`\`\`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n`;
  const realistic = block.repeat(Math.ceil(65536 / block.length));
  const time = (s: string): number => {
    for (let i = 0; i < 3; i++) parseMarkdown(s);
    const runs: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      parseMarkdown(s);
      runs.push(performance.now() - t0);
    }
    return median(runs);
  };
  // 64 KiB: the largest message the engine shows whole (longer strings are cut to 16 KiB).
  const hostile: Record<string, string> = {
    stars: '*a'.repeat(32_768),
    brackets: `${'['.repeat(65_536)}x`,
    'link openers': '[a]('.repeat(16_384),
    'backtick runs': Array.from({ length: 350 }, (_, i) => `${'`'.repeat(i + 1)}a`).join(''),
    'nested quotes': `${'> '.repeat(32_768)}x`,
  };
  const worst = Object.entries(hostile)
    .map(([k, v]) => [k, time(v)] as const)
    .sort((a, b) => b[1] - a[1])[0]!;
  return [
    { suite: SUITE, metric: 'markdown: parse a 64 KB agent message', value: round(time(realistic)), unit: 'ms', note: 'p50 of 10' },
    {
      suite: SUITE,
      metric: 'markdown: worst hostile 64 KB message',
      value: round(worst[1]),
      unit: 'ms',
      target: '≤ 50 ms',
      pass: worst[1] <= 50,
      note: worst[0],
    },
  ];
}

const suite: BenchSuite = {
  name: SUITE,
  description:
    'the thread view in Chromium: first paint of a 250 MB rollout’s newest turns, a wheel scroll through 5,000 turns (long tasks), memory',
  async run(ctx) {
    const full = ctx.scale === 'full';
    const rows = markdownRows();
    ctx.log(`rollout of ${full ? 5000 : 500} turns, ${full ? 250 : 25} MB…`);
    rows.push(...(await uiRows(ctx, full ? 5000 : 500, full ? 250e6 : 25e6)));
    return rows;
  },
};
export default suite;
