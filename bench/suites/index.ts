// Indexing throughput of the engine on a generated home (the state-engine issue extends this).
import fs from 'node:fs';
import path from 'node:path';
import { Engine } from '../../src/main/engine/engine.ts';
import { demoHome } from '../lib/homes.ts';
import type { BenchSuite } from '../lib/types.ts';
import { round } from '../lib/stats.ts';

const suite: BenchSuite = {
  name: 'index',
  description: 'full index of a generated home (MB/s)',
  async run(ctx) {
    const threads = ctx.scale === 'full' ? 10_000 : 1_000;
    ctx.log(`home of ${threads} generated threads…`);
    const home = demoHome(ctx.workDir, threads);
    const dataDir = fs.mkdtempSync(path.join(ctx.workDir, 'data-'));
    const engine = Engine.open({ home, dataDir });
    const t0 = performance.now();
    const s = await engine.sync();
    const ms = performance.now() - t0;
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    const mbps = s.bytesParsed / 1e6 / (ms / 1000);
    return [
      { suite: 'index', metric: `full index, ${threads} threads`, value: round(ms), unit: 'ms', note: `${(s.bytesParsed / 1e6).toFixed(0)} MB` },
      { suite: 'index', metric: 'throughput', value: round(mbps), unit: 'MB/s', target: '≥ 200 MB/s', pass: mbps >= 200 },
    ];
  },
};
export default suite;
