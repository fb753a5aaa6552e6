// `npm run test:faults`: the fault suite. Drives the real engine host (a child process, killed and
// restarted, starved of disk, fed damaged homes) on homes written by the real codex CLI and by
// Spool's generator; prints a table of fault classes, cases and outcomes; writes the figures to
// .cache/faults/last.json (and, with --record, docs/faults-last.json, which docs/RELIABILITY.md cites);
// exits non-zero when any case lost or damaged anything.
//   FAULTS_SCALE=n   n× the default case counts        FAULTS_SEED=s   replay a run
//   --only kill,live,corrupt,disk                        --record        update docs/faults-last.json
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, CACHE_DIR } from '../support/real-home.ts';
import type { FaultClass, FaultRow } from './lib/report.ts';
import { killClass } from './classes/kill.ts';
import { diskFullClass } from './classes/disk-full.ts';
import { corruptClass } from './classes/corrupt.ts';
import { liveClass } from './classes/live.ts';

const { values } = parseArgs({ options: { only: { type: 'string' }, record: { type: 'boolean' } } });
const only = values.only ? new Set(values.only.split(',')) : null;
const scale = Number(process.env['FAULTS_SCALE'] ?? '1');
if (!(scale > 0)) throw new Error('FAULTS_SCALE must be a positive number');
const seed = Number(process.env['FAULTS_SEED'] ?? Math.floor(Math.random() * 1e9));
const classes: FaultClass[] = [killClass, liveClass, corruptClass, diskFullClass].filter((c) => !only || only.has(c.name));

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-faults-'));
const log = (line: string): void => void process.stderr.write(`  ${line}\n`);
process.stderr.write(`fault suite: seed ${seed}, scale ${scale}, work dir ${workDir}\n`);

const started = performance.now();
const rows: FaultRow[] = [];
for (const c of classes) {
  process.stderr.write(`▶ ${c.name}\n`);
  const t0 = performance.now();
  try {
    rows.push(...(await c.run({ scale, seed, workDir, log })));
  } catch (err) {
    rows.push({
      class: c.name,
      fault: 'the class itself',
      cases: 0,
      outcome: 'crashed',
      failures: 1,
      ms: performance.now() - t0,
      details: [err instanceof Error ? (err.stack ?? err.message) : String(err)],
    });
  }
  process.stderr.write(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
}
const totalMs = performance.now() - started;
fs.rmSync(workDir, { recursive: true, force: true });

const table = [
  ['class', 'fault', 'cases', 'outcome', 'lost/failed', 's'],
  ...rows.map((r) => [
    r.class,
    r.fault,
    String(r.cases),
    r.notApplicable ? `not applicable: ${r.notApplicable}` : r.outcome,
    String(r.failures),
    (r.ms / 1000).toFixed(1),
  ]),
];
const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
for (const [i, row] of table.entries()) {
  process.stdout.write(
    `${row
      .map((c, j) => (j === 2 || j >= 4 ? c.padStart(widths[j]!) : c.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd()}\n`,
  );
  if (i === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
}
const failed = rows.filter((r) => r.failures > 0);
const cases = rows.reduce((n, r) => n + r.cases, 0);
process.stdout.write(
  `\n${cases} cases in ${rows.length} fault kinds, ${(totalMs / 1000).toFixed(0)} s; ${failed.length === 0 ? 'nothing lost' : `${failed.reduce((n, r) => n + r.failures, 0)} FAILED`}\n`,
);
for (const r of failed) {
  process.stdout.write(`\n✗ ${r.class} / ${r.fault}:\n`);
  for (const d of r.details ?? []) process.stdout.write(`    ${d}\n`);
}

const doc = {
  at: new Date().toISOString(),
  seed,
  scale,
  durationMs: Math.round(totalMs),
  machine: {
    cpus: os.availableParallelism(),
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: process.platform,
    uid: process.getuid?.() ?? null,
  },
  cases,
  failures: failed.reduce((n, r) => n + r.failures, 0),
  rows: rows.map((r) => ({ ...r, ms: Math.round(r.ms) })),
};
const outDir = path.join(CACHE_DIR, 'faults');
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'last.json'), `${JSON.stringify(doc, null, 2)}\n`);
if (values.record) fs.writeFileSync(path.join(REPO_ROOT, 'docs/faults-last.json'), `${JSON.stringify(doc, null, 2)}\n`);
process.stderr.write(`wrote ${path.join(outDir, 'last.json')}${values.record ? ' and docs/faults-last.json' : ''}\n`);
process.exitCode = failed.length > 0 || rows.length === 0 ? 1 : 0;
