// `npm run bench [-- --only a,b] [--quick]`: runs the benchmark suites, prints a table, and writes
// the figures as JSON to bench/results/latest.json (and a timestamped copy).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchRow, BenchSuite } from './lib/types.ts';

const here = import.meta.dirname;
const { values } = parseArgs({ options: { only: { type: 'string' }, quick: { type: 'boolean' }, 'work-dir': { type: 'string' } } });
const only = values.only ? new Set(values.only.split(',')) : null;
const scale = values.quick ? 'quick' : 'full';
const workDir = path.resolve(values['work-dir'] ?? process.env['SPOOL_BENCH_DIR'] ?? path.join(here, '..', '.cache', 'bench'));
fs.mkdirSync(workDir, { recursive: true });

const suiteFiles = fs
  .readdirSync(path.join(here, 'suites'))
  .filter((f) => f.endsWith('.ts'))
  .sort();
const suites: BenchSuite[] = [];
for (const f of suiteFiles) {
  const mod = (await import(path.join(here, 'suites', f))) as { default: BenchSuite };
  if (!only || only.has(mod.default.name)) suites.push(mod.default);
}

const rows: BenchRow[] = [];
const log = (line: string): void => {
  process.stderr.write(`  ${line}\n`);
};
for (const s of suites) {
  process.stderr.write(`▶ ${s.name}: ${s.description}\n`);
  const t0 = performance.now();
  try {
    rows.push(...(await s.run({ scale, workDir, log })));
  } catch (err) {
    rows.push({
      suite: s.name,
      metric: 'error',
      value: Number.NaN,
      unit: '',
      note: err instanceof Error ? err.message : String(err),
      pass: false,
    });
  }
  process.stderr.write(`  (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
}

const fmt = (v: number): string =>
  Number.isNaN(v) ? '—' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
const table = [
  ['suite', 'metric', 'value', 'unit', 'target', 'ok', 'note'],
  ...rows.map((r) => [
    r.suite,
    r.metric,
    fmt(r.value),
    r.unit,
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
    r.note ?? '',
  ]),
];
const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
for (const [i, row] of table.entries()) {
  process.stdout.write(
    `${row
      .map((c, j) => (j === 2 ? c.padStart(widths[j]!) : c.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd()}\n`,
  );
  if (i === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
}

const resultsDir = path.join(here, 'results');
fs.mkdirSync(resultsDir, { recursive: true });
const doc = {
  at: new Date().toISOString(),
  scale,
  machine: {
    cpus: os.availableParallelism(),
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: process.platform,
  },
  rows,
};
const stamp = doc.at.replace(/[:.]/g, '-');
fs.writeFileSync(path.join(resultsDir, `${stamp}.json`), `${JSON.stringify(doc, null, 2)}\n`);
fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(doc, null, 2)}\n`);
process.stderr.write(`\nwrote ${path.join(resultsDir, 'latest.json')}\n`);
