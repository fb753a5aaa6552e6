// Real CODEX_HOMEs for tests, written by the real codex CLI (the pinned @openai/codex) against the
// loopback mock model, with the reference scripts (../shared/codex-reference, or the vendored copy
// in test/vendor/codex-reference on a machine without the shared folder). Homes are generated once
// per cache key and copied before a test mutates them.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE_DIR = process.env['SPOOL_TEST_CACHE'] ?? path.join(REPO_ROOT, '.cache');

/** The codex-reference scripts: the shared folder when present, else the vendored copy. */
export function referenceDir(): string {
  const candidates = [
    process.env['CODEX_REFERENCE_DIR'],
    path.resolve(REPO_ROOT, '../shared/codex-reference'),
    path.join(REPO_ROOT, 'test/vendor/codex-reference'),
  ];
  for (const c of candidates) if (c && fs.existsSync(path.join(c, 'gen-home.mjs'))) return c;
  throw new Error('codex-reference scripts not found');
}

export interface RealHomeOptions {
  sessions: number;
  seed?: number;
  spacingMs?: number;
  /** e.g. "0.8.0,0.47.0,0.169.0:2" — older versions are installed into the cache on first use. */
  versions?: string;
  jobs?: number;
}

export interface RealHome {
  home: string;
  manifest: Manifest;
}

export interface Manifest {
  summary: { home: string; codexVersion: string; rolloutFiles: number; archivedFiles: number; subagentThreads: number; named: number };
  plan: { index: number; threadId?: string; prompts: string[]; name?: string; version: string; driver: string }[];
  post: { action: string; threadId?: string; name?: string; of?: string }[];
  rollouts: {
    file: string;
    id: string;
    cliVersion: string | null;
    legacyFormat: boolean;
    source: unknown;
    cwd: string | null;
    forkedFrom: string | null;
  }[];
}

/** Cross-process lock (several test runners may share the cache): mkdir is atomic. */
function withLock(lockDir: string, fn: () => void): void {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 20 * 60_000) fs.rmSync(lockDir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir}`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function keyOf(name: string, o: RealHomeOptions): string {
  const h = crypto
    .createHash('sha1')
    .update(JSON.stringify({ name, ...o, v: 1 }))
    .digest('hex')
    .slice(0, 10);
  return `${name}-${h}`;
}

/** Generates (or reuses) a real home. Not safe to mutate: use copyHome() first. */
export function realHome(name: string, o: RealHomeOptions): RealHome {
  const dir = path.join(CACHE_DIR, 'homes');
  const home = path.join(dir, keyOf(name, o));
  const manifestFile = `${home}.manifest.json`;
  if (!fs.existsSync(manifestFile))
    withLock(`${home}.lock`, () => {
      if (fs.existsSync(manifestFile)) return;
      fs.mkdirSync(dir, { recursive: true });
      const args = [
        path.join(referenceDir(), 'gen-home.mjs'),
        'real',
        '--home',
        home,
        '--sessions',
        String(o.sessions),
        '--fresh',
        '--seed',
        String(o.seed ?? 1),
      ];
      if (o.spacingMs) args.push('--spacing-ms', String(o.spacingMs));
      if (o.jobs) args.push('--jobs', String(o.jobs));
      if (o.versions) args.push('--versions', o.versions, '--versions-dir', path.join(CACHE_DIR, 'codex-versions'), '--install-missing');
      const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 15 * 60_000, maxBuffer: 64 * 1024 * 1024 });
      if (r.status !== 0 || !fs.existsSync(manifestFile)) {
        throw new Error(`gen-home failed (exit ${r.status}):\n${r.stderr.slice(-4000)}`);
      }
    });
  return { home, manifest: JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest };
}

/** A private, mutable copy of a home (its sqlite files left behind: Spool never needs them). */
export function copyHome(src: string, into?: string): string {
  const dest = into ?? fs.mkdtempSync(path.join(os.tmpdir(), 'spool-home-'));
  fs.cpSync(src, dest, {
    recursive: true,
    filter: (s) => !/\.sqlite(-wal|-shm)?$/.test(s) && !s.includes(`${path.sep}skills${path.sep}`) && !s.endsWith(`${path.sep}skills`),
  });
  // cpSync keeps contents but not always mtimes: keep them, updated_at comes from them.
  const walk = (a: string, b: string): void => {
    for (const e of fs.readdirSync(a, { withFileTypes: true })) {
      const pa = path.join(a, e.name);
      const pb = path.join(b, e.name);
      if (!fs.existsSync(pb)) continue;
      if (e.isDirectory()) walk(pa, pb);
      else {
        const st = fs.statSync(pa);
        fs.utimesSync(pb, st.atime, st.mtime);
      }
    }
  };
  walk(src, dest);
  return dest;
}

/** The thread name codex was asked to set for each named thread (last one wins). */
export function expectedNames(m: Manifest): Map<string, string> {
  const names = new Map<string, string>();
  for (const p of m.post) if (p.action === 'name' && p.threadId && p.name) names.set(p.threadId, p.name);
  return names;
}

/** The standard small home most tests use: 20 sessions of codex 0.169. */
export const STANDARD_HOME: [string, RealHomeOptions] = ['standard', { sessions: 20, seed: 1 }];

/**
 * A home written by seven codex versions with every rollout shape real users have (bare pre-0.47
 * files, some flat in sessions/ and one with two JSON objects on a line; legacy envelopes; 0.142;
 * 0.169 paginated with forks, archive/unarchive and names). ~15 s to generate once the versions
 * are installed in .cache/codex-versions.
 */
export const MIXED_HOME: [string, RealHomeOptions] = [
  'mixed',
  { sessions: 16, versions: '0.1.2505291658,0.8.0,0.29.0,0.47.0,0.98.0,0.142.5,0.169.0' },
];
