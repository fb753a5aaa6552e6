// The real codex CLI appends turns to a thread (`codex exec resume` against the loopback mock
// model, its answer held back so each turn stays open a while) while the engine host indexes the
// growing rollout and a client pages the same thread through cursors, again and again
// (thread/turns/list and thread/items/list, small pages, ascending). No pass may show a turn or an
// item twice or out of order, every pass must be a prefix of the final thread, and the final
// thread must equal a fresh index's and codex app-server's own.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { copyHome, realHome, STANDARD_HOME } from '../../support/real-home.ts';
import { codexBinary, pointHomeAtMock, startAppServer, startMock } from '../../support/codex-reference.ts';
import { EngineChild } from '../lib/child.ts';
import { findLosses, snapshotHome } from '../lib/home-snapshot.ts';
import { tempIn } from '../lib/homes.ts';
import { Tally, type FaultClass, type FaultContext, type FaultRow } from '../lib/report.ts';

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Every turn id and every item id of the thread, paged ascending through cursors. */
async function readThread(
  c: { call(m: string, p: unknown): Promise<{ result?: unknown; error?: { message: string } }> },
  threadId: string,
  pageSize: number,
): Promise<{ turns: string[]; items: string[] }> {
  const turns: string[] = [];
  let cursor: string | null = null;
  do {
    const r = await c.call('thread/turns/list', { threadId, limit: pageSize, sortDirection: 'asc', ...(cursor ? { cursor } : {}) });
    if (!r.result) throw new Error(`thread/turns/list: ${r.error?.message}`);
    const page = r.result as Page<{ id: string }>;
    turns.push(...page.data.map((t) => t.id));
    cursor = page.nextCursor;
  } while (cursor);
  const items: string[] = [];
  cursor = null;
  do {
    const r = await c.call('thread/items/list', { threadId, limit: pageSize + 1, sortDirection: 'asc', ...(cursor ? { cursor } : {}) });
    if (!r.result) throw new Error(`thread/items/list: ${r.error?.message}`);
    const page = r.result as Page<{ turnId: string; item: { id: string } }>;
    items.push(...page.data.map((e) => `${e.turnId}/${e.item.id}`));
    cursor = page.nextCursor;
  } while (cursor);
  return { turns, items };
}

const dupes = (xs: string[]): string[] => xs.filter((x, i) => xs.indexOf(x) !== i);
const isPrefix = (xs: string[], of: string[]): boolean => xs.length <= of.length && xs.every((x, i) => of[i] === x);

export const liveClass: FaultClass = {
  name: 'live',
  async run(ctx: FaultContext): Promise<FaultRow[]> {
    const t0 = performance.now();
    const tally = new Tally();
    const resumes = Math.max(1, Math.round(6 * ctx.scale));
    const home = copyHome(realHome(...STANDARD_HOME).home, tempIn(ctx.workDir, 'live-home-'));
    const dataDir = tempIn(ctx.workDir, 'live-data-');
    const mock = await startMock({ delayMs: 1200 });
    pointHomeAtMock(home, mock.port);
    const c = await EngineChild.start({ home, dataDir });
    let passes = 0;
    let turnsAdded = 0;
    let threadId = '';
    let codexOmits = 0;
    try {
      await c.settle();
      const list = await c.ok<{ data: { id: string; historyMode: string; cliVersion: string; cwd: string; model: string | null }[] }>(
        'thread/list',
        { sourceKinds: ['exec'], modelProviders: [], limit: 100 },
      );
      const thread = list.data.find((t) => t.historyMode === 'paginated' && t.cliVersion === '0.169.0');
      if (!thread) throw new Error('no paginated 0.169 thread in the standard home');
      threadId = thread.id;
      const first = await readThread(c, threadId, 1);
      const before = snapshotHome(home);
      const { codex, env } = await codexBinary();
      const seen: { turns: string[]; items: string[] }[] = [];
      for (let i = 0; i < resumes; i++) {
        const child = spawn(
          codex.bin,
          [
            'exec',
            'resume',
            '--json',
            '--skip-git-repo-check',
            '-m',
            thread.model ?? 'mock-model',
            threadId,
            `Fault suite step ${i + 1}: continue`,
          ],
          { cwd: fs.existsSync(thread.cwd) ? thread.cwd : home, env: env(home), stdio: 'ignore' },
        );
        let exited = false;
        const code = new Promise<number | null>((resolve) => child.on('exit', (x) => ((exited = true), resolve(x))));
        // Page the thread over and over while codex writes it (and once more after it exits).
        for (let last = false; !last;) {
          last = exited;
          const pass = await readThread(c, threadId, 1 + (passes % 3));
          passes++;
          seen.push(pass);
          const d = [...dupes(pass.turns), ...dupes(pass.items)];
          tally.check(d.length === 0, () => `pass ${passes}: shown twice: ${d.slice(0, 3).join(', ')}`);
        }
        const exit = await code;
        tally.check(exit === 0, () => `codex exec resume exited ${exit}`);
      }
      await c.settle();
      const final = await readThread(c, threadId, 100);
      turnsAdded = final.turns.length - first.turns.length;
      tally.check(turnsAdded === resumes, () => `${turnsAdded} turns added for ${resumes} codex runs`);
      tally.check(isPrefix(first.turns, final.turns), () => 'the turns from before codex ran changed');
      for (const [k, p] of seen.entries()) {
        tally.check(
          isPrefix(p.turns, final.turns),
          () => `pass ${k + 1}: turns ${p.turns.join(',')} are not a prefix of the final ${final.turns.join(',')}`,
        );
        // The running turn's items may still change (e.g. a streamed message completes): items are
        // compared up to the last completed turn's.
        tally.check(
          p.items.filter((x) => !final.items.includes(x)).length <= 2,
          () => `pass ${k + 1}: items not in the final thread: ${p.items.filter((x) => !final.items.includes(x)).join(',')}`,
        );
        const kept = p.items.filter((x) => final.items.includes(x));
        tally.check(
          kept.every((x, j) => j === 0 || final.items.indexOf(x) > final.items.indexOf(kept[j - 1]!)),
          () => `pass ${k + 1}: items out of order`,
        );
      }
      // A fresh index of the same home says the same.
      const fresh = await EngineChild.start({ home, dataDir: tempIn(ctx.workDir, 'live-fresh-') });
      try {
        await fresh.settle();
        const f = await readThread(fresh, threadId, 100);
        tally.check(
          JSON.stringify(f) === JSON.stringify(final),
          () => `a fresh index differs: ${JSON.stringify(f).slice(0, 300)} vs ${JSON.stringify(final).slice(0, 300)}`,
        );
      } finally {
        await fresh.close();
      }
      // So does codex app-server itself (on a copy: it writes its own state into the home).
      const copy = copyHome(home, tempIn(ctx.workDir, 'live-codex-'));
      const app = await startAppServer(copy);
      try {
        await app.request('thread/resume', { threadId });
        const wrap = { call: async (m: string, p: unknown) => app.request(m, p) };
        const theirs = await readThread(wrap, threadId, 100);
        // Codex's projection (made at its thread/resume) may leave out turns written before it;
        // every turn it does list, and every turn codex appended here, must be Spool's, in order.
        codexOmits = final.turns.length - theirs.turns.length;
        const newTurns = final.turns.slice(first.turns.length);
        tally.check(
          theirs.turns.length > 0 && isPrefix([...theirs.turns].reverse(), [...final.turns].reverse()),
          () => `codex app-server's turns are not Spool's newest: ${theirs.turns.join(',')} vs ${final.turns.join(',')}`,
        );
        tally.check(
          newTurns.every((t) => theirs.turns.includes(t)),
          () => 'codex app-server does not list every appended turn',
        );
        const mine = final.items.filter((x) => theirs.turns.includes(x.split('/')[0]!));
        tally.check(
          JSON.stringify(theirs.items) === JSON.stringify(mine),
          () => `codex app-server's items differ: ${theirs.items.length} vs ${mine.length}`,
        );
      } finally {
        await app.close();
      }
      // codex only appended to this thread's rollout: every other file is as it was.
      const after = snapshotHome(home);
      const grown = new Set([threadId]);
      for (const p of findLosses(before, after, { mayAppendIndex: true }).filter((x) => !x.startsWith(threadId))) tally.fail(`home: ${p}`);
      tally.check([...after.files.keys()].some((k) => k.includes(threadId)) && grown.size === 1, () => 'the thread file is gone');
    } catch (err) {
      tally.fail(err instanceof Error ? err.message : String(err));
    } finally {
      await c.close();
      await mock.close();
    }
    return [
      {
        class: 'live append',
        fault: 'real codex appends turns while Spool pages them',
        cases: resumes,
        outcome: `${turnsAdded} turns added by codex exec resume, ${passes} paging passes; none lost, none twice; = fresh index; = codex app-server's turns and items${codexOmits > 0 ? ` (its projection omits ${codexOmits} older turn${codexOmits > 1 ? 's' : ''})` : ''}`,
        failures: tally.failures,
        ms: performance.now() - t0,
        details: tally.details,
      },
    ];
  },
};
