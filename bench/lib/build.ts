// The UI suites measure the app as built in out/: build it from the working tree once per bench
// run, so that a suite never measures whatever an earlier build left there.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../../test/support/real-home.ts';
import type { BenchContext } from './types.ts';

let built = false;

export function buildApp(ctx: BenchContext): void {
  if (built) return;
  ctx.log('building the app from the working tree…');
  const r = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'electron-vite'), ['build'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  built = true;
}
