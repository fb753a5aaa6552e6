// Homes for benchmarks, generated once and cached under the bench work folder.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generateDemoHome, type DemoOptions } from '../../src/main/engine/demo/generate.ts';
import { realHome, referenceDir, REPO_ROOT, STANDARD_HOME } from '../../test/support/real-home.ts';

/** A home of `threads` threads written by Spool's generator at realistic sizes (~40–110 kB each). */
export function demoHome(workDir: string, threads: number, extra: Partial<DemoOptions> = {}, tag = ''): string {
  const home = path.join(workDir, 'homes', `demo-${threads}${tag ? `-${tag}` : ''}`);
  const done = path.join(home, '.generated');
  if (!fs.existsSync(done)) {
    fs.rmSync(home, { recursive: true, force: true });
    generateDemoHome({ home, threads, seed: 5, turnPaddingBytes: 12_000, ...extra });
    fs.writeFileSync(done, new Date().toISOString());
  }
  return home;
}

/**
 * A home of `count` families cloned from a home the real codex CLI wrote (the reference scripts'
 * `scale` mode): real rollout bytes, ~1.3 threads per family. With `index`, the real app-server
 * has backfilled its own state DB there (and the time it took is in the returned summary).
 */
export function realScaleHome(workDir: string, count: number, index = false): { home: string; summary: Record<string, unknown> } {
  const home = path.join(workDir, 'homes', `real-scale-${count}${index ? '-indexed' : ''}`);
  const summaryFile = path.join(workDir, 'homes', `real-scale-${count}${index ? '-indexed' : ''}.summary.json`);
  if (!fs.existsSync(summaryFile)) {
    const from = realHome(...STANDARD_HOME).home;
    const args = [path.join(referenceDir(), 'gen-home.mjs'), 'scale', '--from', from, '--home', home, '--count', String(count), '--fresh'];
    if (index) args.push('--index');
    const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60 * 60_000, maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`gen-home scale failed: ${r.stderr.slice(-4000)}`);
    const start = r.stdout.indexOf('{');
    fs.writeFileSync(summaryFile, start >= 0 ? r.stdout.slice(start) : '{}');
  }
  return { home, summary: JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as Record<string, unknown> };
}
