// The backfill: newest files first (the first page is right after the first batch), progress
// for clients, resumable after a clean stop or a crash, and leased so that a second Spool process
// on the same data folder waits for the owner instead of doing the work twice.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { Engine } from '../engine.ts';
import { generateDemoHome } from '../demo/generate.ts';
import { createInlinePool, type ParsePool } from './parse-pool.ts';
import { ALL_SOURCE_KINDS, type AnyNotification, type IndexProgress, type ThreadListParams } from '../../../shared/protocol/index.ts';
import { REPO_ROOT } from '../../../../test/support/real-home.ts';
import { waitFor } from '../../../../test/support/wait.ts';
import { tmpDir } from '../../../../test/support/tmp.ts';

const everything: ThreadListParams = { modelProviders: [], sourceKinds: [...ALL_SOURCE_KINDS], limit: 25 };
const tmp = (p: string): string => tmpDir(p);
let home: string;
let files: number;

beforeAll(() => {
  home = path.join(tmp('spool-bf-'), 'home');
  generateDemoHome({ home, threads: 700, seed: 3, days: 200 });
  files = countRollouts(home);
});

function countRollouts(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile() && e.name.endsWith('.jsonl') && e.name.startsWith('rollout-')) n++;
  return n;
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/spool.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The real inline pool, made slow: one batch at a time, as one worker parses them, each after a wait. */
function slowPool(delayMs: number): ParsePool {
  const inner = createInlinePool();
  let last: Promise<unknown> = Promise.resolve();
  const parseBatch: ParsePool['parseBatch'] = (jobs) => {
    const next = last.then(async () => (await sleep(delayMs), inner.parseBatch(jobs)));
    last = next.catch(() => undefined);
    return next;
  };
  return { size: 1, parseBatch, close: () => inner.close() };
}

describe('backfill', () => {
  it('writes the newest threads first: at every step of the backfill the first page is a prefix of the final one', async () => {
    const engine = Engine.open({ home, dataDir: tmp('spool-bf-data-'), parseWorkers: 1 });
    const pages: Promise<string[]>[] = [];
    engine.events.on((n) => {
      if (n.method === 'spool/index/changed' && n.params.reason === 'backfill' && n.params.threadIds.length > 0)
        pages.push(engine.call('thread/list', everything).then((r) => r.data.map((t) => t.id)));
    });
    const s = await engine.sync();
    expect(s.backfill).toBe(true);
    const final = (await engine.call('thread/list', everything)).data.map((t) => t.id);
    expect(final).toHaveLength(25);
    const seen = await Promise.all(pages);
    expect(seen.length).toBeGreaterThan(1);
    for (const page of seen) expect(page).toEqual(final.slice(0, page.length));
    expect(seen[0]!.length).toBeGreaterThan(0);

    // Files were parsed by day directory, newest first; then archived_sessions/.
    const parsed = engine.indexer.stats.recent.map((r) => r.relPath);
    expect(parsed).toHaveLength(files);
    const days = parsed.filter((p) => p.startsWith('sessions/')).map((p) => p.slice('sessions/'.length, 'sessions/YYYY/MM/DD'.length));
    expect(days.length).toBeGreaterThan(600);
    for (let i = 1; i < days.length; i++) expect(days[i]! <= days[i - 1]!, `${days[i]} after ${days[i - 1]}`).toBe(true);
    expect(parsed.slice(days.length).every((p) => p.startsWith('archived_sessions/'))).toBe(true);
    await engine.close();
  });

  it('reports progress: files and bytes done, totals and rate, then idle', async () => {
    const engine = Engine.open({ home, dataDir: tmp('spool-bf-data-'), parseWorkers: 1 });
    const progress: IndexProgress[] = [];
    engine.events.on((n: AnyNotification) => {
      if (n.method === 'spool/index/progress') progress.push(n.params);
    });
    await engine.sync();
    const backfill = progress.filter((p) => p.phase === 'backfill');
    expect(backfill.length).toBeGreaterThan(1);
    const done = backfill.at(-1)!;
    expect(done.filesTotal).toBe(files);
    expect(done.filesDone).toBe(files);
    expect(done.bytesDone).toBe(done.bytesTotal);
    expect(done.bytesTotal).toBeGreaterThan(files * 1000);
    expect(backfill.some((p) => p.rate > 0 && p.filesDone < p.filesTotal)).toBe(true);
    expect(backfill.some((p) => p.scanning === true)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ phase: 'idle', threads: files });
    expect(engine.indexer.lease.state()).toMatchObject({
      status: 'complete',
      filesDone: files,
      filesTotal: files,
      lastWatermark: expect.stringMatching(/\.jsonl$/),
    });
    await engine.close();
  });

  it('resumes where a stopped backfill left off', async () => {
    const dataDir = tmp('spool-bf-data-');
    const first = Engine.open({ home, dataDir, pool: slowPool(40) });
    const run = first.sync();
    await waitFor(() => first.indexer.stats.filesParsed >= 200, 'part of the backfill');
    await first.close();
    await run;
    const written = (
      new Database(path.join(dataDir, 'index.sqlite'), { readonly: true }).prepare('SELECT count(*) AS n FROM files').get() as { n: number }
    ).n;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(files);

    const second = Engine.open({ home, dataDir, parseWorkers: 0 });
    expect(second.indexer.lease.state().status).toBe('pending');
    const s = await second.sync();
    expect(s.backfill).toBe(true);
    expect(s.parsed).toBe(files - written);
    expect(second.indexer.lease.state().status).toBe('complete');
    expect((second.db.prepare('SELECT count(*) AS n FROM threads').get() as { n: number }).n).toBe(files);
    await second.close();
  });

  it('lets a second Spool process wait for the owner instead of indexing twice', async () => {
    const dataDir = tmp('spool-bf-data-');
    const owner = Engine.open({ home, dataDir, pool: slowPool(150) });
    const run = owner.sync();
    await waitFor(() => owner.indexer.stats.filesParsed > 0, 'the owner to start');
    // Not spawnSync: the owner runs on this event loop and must keep working meanwhile.
    const child = await runCli(['index', '--home', home, '--data-dir', dataDir, '--json']);
    expect(child.code, child.stderr).toBe(0);
    const out = JSON.parse(child.stdout) as {
      summary: { followed: boolean; parsed: number; backfill: boolean };
      report: { threads: number };
    };
    const s = await run;
    expect(s.backfill).toBe(true);
    expect(s.parsed).toBe(files);
    expect(out.summary.followed).toBe(true);
    expect(out.summary.parsed).toBe(0);
    expect(out.report.threads).toBe(files);
    await owner.close();
  });

  it('takes over a backfill whose owner crashed', async () => {
    const big = path.join(tmp('spool-bf-big-'), 'home');
    const total = generateDemoHome({ home: big, threads: 2500, seed: 4, turnPaddingBytes: 12_000 }).files;
    const dataDir = tmp('spool-bf-data-');
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/spool.js'), 'index', '--home', big, '--data-dir', dataDir, '--json'], {
      stdio: 'ignore',
    });
    const state = (): { status: string; files_done: number } | undefined => {
      try {
        const db = new Database(path.join(dataDir, 'index.sqlite'), { readonly: true, fileMustExist: true });
        try {
          return db.prepare('SELECT status, files_done FROM backfill_state').get() as { status: string; files_done: number };
        } finally {
          db.close();
        }
      } catch {
        return undefined;
      }
    };
    await waitFor(() => (state()?.files_done ?? 0) > 0, 'the child to checkpoint', 60_000, 5);
    process.kill(child.pid!, 'SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const crashed = state()!;
    expect(crashed.status, 'the child finished before it could be killed: use a bigger home').toBe('running');

    // The owner's process is gone from this machine: its lease is free at once.
    const next = Engine.open({ home: big, dataDir, parseWorkers: 1 });
    const s = await next.sync();
    expect(s.followed).toBe(false);
    expect(s.backfill).toBe(true);
    expect(s.parsed).toBeLessThan(total);
    expect((next.db.prepare('SELECT count(*) AS n FROM threads').get() as { n: number }).n).toBe(total);
    expect(next.indexer.lease.state().status).toBe('complete');
    await next.close();
  });

  it('waits while a live owner on another machine holds the lease, and takes over when it lapses', async () => {
    const dataDir = tmp('spool-bf-data-');
    const engine = Engine.open({ home, dataDir, parseWorkers: 0, leaseSeconds: 1, followPollMs: 50 });
    // Renewed "just now" (a second ahead, so the 1 s lease cannot lapse in under a second however
    // the clock's seconds fall).
    const renewed = Math.floor(Date.now() / 1000) + 1;
    engine.db.prepare("UPDATE backfill_state SET status = 'running', owner = 'another-host:4242:abcd', updated_at = ?").run(renewed);
    const t0 = Date.now();
    const s = await engine.sync();
    expect(s.followed).toBe(true);
    expect(s.backfill).toBe(true);
    expect(s.parsed).toBe(files);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    await engine.close();
  });
});
