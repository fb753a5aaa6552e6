// Disk full while writing. Two ways: (1) a write-failure shim preloaded into the engine host
// (test/faults/enospc-shim.ts: writes under the home and the data folder fail with ENOSPC after a
// byte budget, the crossing write short) for every user write — rename, git edits (legacy: the
// rollout; paginated: the journal), archive / unarchive, close / reopen; (2) a real, full tmpfs
// holding the home and the index, so SQLite itself runs out of space too. Each operation must
// either succeed or fail with a clear JSON-RPC error, leave nothing half-written (rollouts and
// session_index.jsonl intact or grown by whole lines, no temp files, the journal parseable), keep
// the engine up, leave the index matching the files, and succeed once there is space again.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../support/real-home.ts';
import { EngineChild, type RpcReply } from '../lib/child.ts';
import { findLosses, journalDamage, snapshotHome, strayTempFiles } from '../lib/home-snapshot.ts';
import { mutationHome, tempIn } from '../lib/homes.ts';
import { freshView, IndexOnlyValues, indexView, type IndexView } from '../lib/index-view.ts';
import { CASES, caseName, planCase, SHAPES, type Op, type Pick, type Row } from '../lib/ops.ts';
import { rng, Tally, type FaultClass, type FaultContext, type FaultRow } from '../lib/report.ts';

const PLENTY = String(2 ** 40);
const isDiskFull = (e: RpcReply['error']): boolean => !!e && /ENOSPC|no space left|disk is full|SQLITE_FULL/i.test(e.message);
const rowsOf = (v: IndexView): Row[] => [...(v.list[0]!.rows as Row[]), ...(v.list[1]!.rows as Row[])];

interface Probe {
  tally: Tally;
  failedCleanly: number;
  succeeded: number;
  retried: number;
}

/** Runs `op` while writes fail, checks what it left, gives space back, and retries it if it failed. */
async function underPressure(
  c: EngineChild,
  home: string,
  dataDir: string,
  op: Op,
  starve: () => void,
  relieve: () => void,
  p: Probe,
  where: string,
): Promise<void> {
  const before = snapshotHome(home);
  starve();
  const res = await c.call(op.method, op.params);
  const alive = await c.call('thread/list', { limit: 1 });
  relieve();
  if (!alive.result) p.tally.fail(`${where}: the engine did not answer after the write failed: ${JSON.stringify(alive.error)}`);
  if (res.error) {
    if (isDiskFull(res.error) && res.error.code === -32603) p.failedCleanly++;
    else p.tally.fail(`${where}: unclear error: ${res.error.code} ${res.error.message}`);
  } else p.succeeded++;
  for (const l of findLosses(before, snapshotHome(home), op.rules)) p.tally.fail(`${where}: ${l}`);
  for (const t of strayTempFiles(home)) p.tally.fail(`${where}: temp file left in the home: ${t}`);
  const j = journalDamage(dataDir);
  p.tally.check(j.bad === 0, () => `${where}: ${j.bad} unparseable journal line(s)`);
  if (res.error) {
    await c.settle();
    const again = await c.call(op.method, op.params);
    p.retried++;
    if (again.error) p.tally.fail(`${where}: failed again once there was space: ${again.error.message}`);
  }
}

async function shim(ctx: FaultContext, rounds: number): Promise<FaultRow> {
  const t0 = performance.now();
  const r = rng(ctx.seed + 11);
  const pick: Pick = (xs) => (xs.length === 0 ? undefined : xs[Math.floor(r() * xs.length)]);
  const home = mutationHome(tempIn(ctx.workDir, 'enospc-home-'), ctx.seed, 40);
  const dataDir = tempIn(ctx.workDir, 'enospc-data-');
  const budget = path.join(tempIn(ctx.workDir, 'enospc-budget-'), 'bytes');
  fs.writeFileSync(budget, PLENTY);
  const c = await EngineChild.start({
    home,
    dataDir,
    nodeArgs: ['--import', path.join(REPO_ROOT, 'test/faults/enospc-shim.ts')],
    env: { SPOOL_FAULT_SCOPE: path.dirname(home), SPOOL_FAULT_BUDGET_FILE: budget },
  });
  const p: Probe = { tally: new Tally(), failedCleanly: 0, succeeded: 0, retried: 0 };
  const indexOnly = new IndexOnlyValues();
  let cases = 0;
  try {
    await c.settle();
    let view = await indexView(c);
    for (let round = 0; round < rounds; round++) {
      for (const kase of CASES) {
        const op = planCase(kase, rowsOf(view), round, pick, r);
        if (!op) {
          p.tally.fail(`${caseName(kase)}: no thread to apply it to (the home is missing a shape)`);
          continue;
        }
        // No space at all, or space for part of a line: each shape meets both across the operations.
        const bytes = (round + CASES.indexOf(kase)) % 2 === 0 ? 0 : 1 + Math.floor(r() * 200);
        const where = `${caseName(kase)} with ${bytes} bytes free`;
        await underPressure(
          c,
          home,
          dataDir,
          op,
          () => fs.writeFileSync(budget, String(bytes)),
          () => fs.writeFileSync(budget, PLENTY),
          p,
          where,
        );
        cases++;
        await c.settle();
        const prev = view;
        const [mine, fresh] = await Promise.all([indexView(c), freshView(home, dataDir, ctx.workDir)]);
        view = mine;
        indexOnly.observe(prev, view);
        for (const d of indexOnly.diff(view, fresh)) p.tally.fail(`${where}: index differs from a fresh rebuild: ${d}`);
      }
    }
  } finally {
    await c.close();
    for (const d of [home, dataDir, path.dirname(budget)]) fs.rmSync(d, { recursive: true, force: true });
  }
  return {
    class: 'disk full',
    fault: `ENOSPC shim (writes fail after 0–200 bytes; every operation on all ${SHAPES.length} shapes)`,
    cases,
    outcome: `failed with a clear error ${p.failedCleanly}, fit ${p.succeeded}; retried with space: ${p.retried} ok`,
    failures: p.tally.failures,
    ms: performance.now() - t0,
    details: p.tally.details,
  };
}

/** A real full disk: a small tmpfs holding the home and the index, filled to the last byte. */
async function tmpfs(ctx: FaultContext): Promise<FaultRow> {
  const t0 = performance.now();
  const fault = 'full tmpfs (home + index, 0 bytes free)';
  const mnt = tempIn(ctx.workDir, 'tmpfs-');
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mnt], { encoding: 'utf8' });
  if (mount.status !== 0) {
    return {
      class: 'disk full',
      fault,
      cases: 0,
      outcome: '',
      failures: 0,
      notApplicable: `mount -t tmpfs is not permitted here (${(mount.stderr || mount.error?.message || '').trim()}); the shim covers the writes`,
      ms: 0,
    };
  }
  const r = rng(ctx.seed + 13);
  const pick: Pick = (xs) => (xs.length === 0 ? undefined : xs[Math.floor(r() * xs.length)]);
  const p: Probe = { tally: new Tally(), failedCleanly: 0, succeeded: 0, retried: 0 };
  let cases = 0;
  let c: EngineChild | null = null;
  try {
    const home = mutationHome(path.join(mnt, 'home'), ctx.seed, 40);
    const dataDir = path.join(mnt, 'data');
    c = await EngineChild.start({ home, dataDir });
    await c.settle();
    let view = await indexView(c);
    const filler = path.join(mnt, 'filler');
    const fill = (): void => {
      const fd = fs.openSync(filler, 'w');
      try {
        for (const chunk of [1 << 20, 1 << 12, 1]) {
          const b = Buffer.alloc(chunk, 0x78);
          for (;;) {
            try {
              fs.writeSync(fd, b);
            } catch {
              break;
            }
          }
        }
      } finally {
        fs.closeSync(fd);
      }
    };
    const indexOnly = new IndexOnlyValues();
    for (const kase of CASES) {
      const op = planCase(kase, rowsOf(view), 0, pick, r);
      const kind = caseName(kase);
      if (!op) {
        p.tally.fail(`${kind}: no thread to apply it to (the home is missing a shape)`);
        continue;
      }
      await underPressure(c, home, dataDir, op, fill, () => fs.rmSync(filler, { force: true }), p, `${kind} on a full tmpfs`);
      cases++;
      await c.settle();
      const prev = view;
      const [mine, fresh] = await Promise.all([indexView(c), freshView(home, dataDir, ctx.workDir)]);
      view = mine;
      indexOnly.observe(prev, view);
      for (const d of indexOnly.diff(view, fresh)) p.tally.fail(`${kind} on a full tmpfs: index differs from a fresh rebuild: ${d}`);
    }
  } finally {
    await c?.close();
    spawnSync('umount', [mnt]);
  }
  return {
    class: 'disk full',
    fault: `${fault}; every operation on all ${SHAPES.length} shapes`,
    cases,
    outcome: `failed with a clear error ${p.failedCleanly}, fit ${p.succeeded}; retried with space: ${p.retried} ok`,
    failures: p.tally.failures,
    ms: performance.now() - t0,
    details: p.tally.details,
  };
}

export const diskFullClass: FaultClass = {
  name: 'disk',
  async run(ctx) {
    return [await shim(ctx, Math.max(1, Math.round(ctx.scale))), await tmpfs(ctx)];
  },
};
