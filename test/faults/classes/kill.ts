// kill -9 of the engine host at random points during backfill and during every mutation, many
// times: after a restart the home must have lost nothing (rollouts byte-identical or grown by the
// whole lines the operation meant to add, each in exactly one place, session_index.jsonl only
// grown by whole lines, no temp files, the journal parseable) and the index must equal what a fresh
// rebuild of the same home and journal gives.
import fs from 'node:fs';
import path from 'node:path';
import { generateDemoHome } from '../../../src/main/engine/demo/generate.ts';
import { mutationHome, tempIn } from '../lib/homes.ts';
import { EngineChild } from '../lib/child.ts';
import { findLosses, journalDamage, snapshotHome, strayTempFiles } from '../lib/home-snapshot.ts';
import { diffViews, freshView, IndexOnlyValues, indexView, type IndexView } from '../lib/index-view.ts';
import { rng, sleep, Tally, type FaultClass, type FaultContext, type FaultRow } from '../lib/report.ts';
import { CASES, caseName, OP_KINDS, planCase, type Pick, type Row } from '../lib/ops.ts';

async function mutationKills(ctx: FaultContext, rounds: number): Promise<FaultRow[]> {
  const r = rng(ctx.seed);
  const pick: Pick = (xs) => (xs.length === 0 ? undefined : xs[Math.floor(r() * xs.length)]);
  const home = mutationHome(tempIn(ctx.workDir, 'kill-home-'), ctx.seed);
  const dataDir = fs.mkdtempSync(path.join(ctx.workDir, 'kill-data-'));

  const stats = new Map(
    OP_KINDS.map((k) => [k, { cases: 0, midOp: 0, shapes: new Set<string>(), failures: new Tally(), ms: 0, avgMs: 40 }]),
  );
  let c = await EngineChild.start({ home, dataDir });
  await c.settle();
  let view = await indexView(c);
  const indexOnly = new IndexOnlyValues();
  try {
    for (let round = 0; round < rounds; round++) {
      for (const kase of CASES) {
        const st = stats.get(kase.kind)!;
        const t0 = performance.now();
        const rows = [...(view.list[0]!.rows as Row[]), ...(view.list[1]!.rows as Row[])];
        const op = planCase(kase, rows, round, pick, r);
        if (!op) {
          st.failures.fail(`${caseName(kase)}: no thread to apply it to (the home is missing a shape)`);
          continue;
        }
        const before = snapshotHome(home);
        // Kill somewhere between "just sent" and a little after the operation usually ends.
        const delay = r() * st.avgMs * 1.3;
        const sentAt = performance.now();
        let repliedAt = 0;
        const reply = c.call(op.method, op.params).then((x) => {
          repliedAt = performance.now();
          return x;
        });
        await sleep(delay);
        await c.kill9();
        const res = await reply;
        const killedMidOp = res.error?.code === -1;
        if (!killedMidOp) {
          st.avgMs = st.avgMs * 0.7 + (repliedAt - sentAt) * 0.3;
          if (res.error) st.failures.fail(`${caseName(kase)} ${JSON.stringify(op.params)} failed before the kill: ${res.error.message}`);
        }
        st.cases++;
        if (kase.shape) st.shapes.add(kase.shape);
        if (killedMidOp) st.midOp++;

        // The restart settles any interrupted move before it answers; a fresh index of the same
        // home and journal is built meanwhile (two cores).
        c = await EngineChild.start({ home, dataDir });
        const [, fresh] = await Promise.all([c.settle(), freshView(home, dataDir, ctx.workDir)]);
        const after = snapshotHome(home);
        const where = `${caseName(kase)} ${JSON.stringify(op.params).slice(0, 120)} (killed after ${delay.toFixed(0)} ms)`;
        for (const p of findLosses(before, after, op.rules)) st.failures.fail(`${where}: ${p}`);
        for (const t of strayTempFiles(home)) st.failures.fail(`${where}: temp file left in the home: ${t}`);
        const j = journalDamage(dataDir);
        st.failures.check(j.bad === 0, () => `${where}: ${j.bad} unparseable journal line(s)`);
        const prev = view;
        view = await indexView(c);
        indexOnly.observe(prev, view);
        for (const d of indexOnly.diff(view, fresh)) st.failures.fail(`${where}: index differs from a fresh rebuild: ${d}`);
        st.ms += performance.now() - t0;
      }
    }
  } finally {
    await c.close();
  }
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
  return OP_KINDS.map((kind) => {
    const st = stats.get(kind)!;
    return {
      class: 'kill -9',
      fault: `during ${kind}`,
      cases: st.cases,
      outcome: `killed mid-operation ${st.midOp}, after it ${st.cases - st.midOp}${st.shapes.size > 0 ? ` (every shape: ${st.shapes.size})` : ''}; restarted, index = fresh rebuild`,
      failures: st.failures.failures,
      ms: st.ms,
      details: st.failures.details,
    };
  });
}

async function backfillKills(ctx: FaultContext, cases: number): Promise<FaultRow> {
  const r = rng(ctx.seed + 7);
  const t0 = performance.now();
  const tally = new Tally();
  const home = fs.mkdtempSync(path.join(ctx.workDir, 'backfill-home-'));
  generateDemoHome({ home, threads: 1500, seed: ctx.seed, treeFraction: 0.2, archivedFraction: 0.1, defaultProvider: 'openai' });
  const before = snapshotHome(home);
  const refDir = fs.mkdtempSync(path.join(ctx.workDir, 'backfill-ref-'));
  let ref: IndexView;
  let fullMs: number;
  {
    const s = performance.now();
    const c = await EngineChild.start({ home, dataDir: refDir });
    await c.settle();
    fullMs = performance.now() - s;
    ref = await indexView(c);
    await c.close();
  }
  let interrupted = 0;
  const dataDir = fs.mkdtempSync(path.join(ctx.workDir, 'backfill-data-'));
  for (let i = 0; i < cases; i++) {
    // A fresh index each time, or resuming the one the previous kill left (kills during a resume).
    if (r() < 0.5) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.mkdirSync(dataDir);
    }
    const delay = r() * fullMs;
    const c = await EngineChild.start({ home, dataDir });
    await sleep(delay);
    const status = (await c.call('spool/index/status', {})).result as { phase: string } | undefined;
    if (status && status.phase !== 'idle') interrupted++;
    await c.kill9();
    const c2 = await EngineChild.start({ home, dataDir });
    await c2.settle();
    const view = await indexView(c2);
    await c2.close();
    for (const d of diffViews(view, ref)) tally.fail(`kill after ${delay.toFixed(0)} ms: index differs from a fresh rebuild: ${d}`);
  }
  for (const p of findLosses(before, snapshotHome(home))) tally.fail(`backfill changed the home: ${p}`);
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(refDir, { recursive: true, force: true });
  return {
    class: 'kill -9',
    fault: 'during backfill (1,500 threads)',
    cases,
    outcome: `killed while indexing ${interrupted}, after ${cases - interrupted}; home untouched, index = fresh rebuild`,
    failures: tally.failures,
    ms: performance.now() - t0,
    details: tally.details,
  };
}

export const killClass: FaultClass = {
  name: 'kill',
  async run(ctx) {
    const rows = [await backfillKills(ctx, Math.max(1, Math.round(4 * ctx.scale)))];
    rows.push(...(await mutationKills(ctx, Math.max(1, Math.round(ctx.scale)))));
    return rows;
  },
};
