// Homes for the browsing specs: a generated 20k-thread home with its index built once and cached
// (each test opens a private copy of the index), and the real codex CLI run against a copied real
// home through the reference scripts' loopback mock model.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { generateDemoHome } from '../../src/main/engine/demo/generate.ts';
import { indexSchemaKey } from '../../test/support/index-schema.ts';
import { CACHE_DIR, REPO_ROOT, referenceDir } from '../../test/support/real-home.ts';

const NODE = path.join(REPO_ROOT, 'node_modules', '.bin', 'node');
const SPOOL = path.join(REPO_ROOT, 'bin', 'spool.js');
const CODEX = path.join(REPO_ROOT, 'node_modules', '.bin', 'codex');

/** mkdir is atomic: a lock several runners can share. */
function withLock<T>(lock: string, fn: () => T): T {
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 20 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

// Each copy is a few hundred megabytes: a run removes its own when its worker exits.
const copies: string[] = [];
process.on('exit', () => {
  for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
});

export interface IndexedHome {
  home: string;
  /** A private copy of the home's prebuilt index, for one launch. */
  dataDir(): string;
}

/**
 * A generated home of `threads` threads (small rollouts: the list cares about rows, not bytes)
 * and its index, both cached under .cache/ and rebuilt when the index schema or parser changes.
 * Read-only: specs that change a home copy a real one instead.
 */
export function indexedDemoHome(threads: number, seed = 11): IndexedHome {
  const schema = indexSchemaKey();
  const base = path.join(CACHE_DIR, 'homes', `browse-demo-${threads}-${seed}`);
  const home = `${base}-home`;
  const data = `${base}-index-${schema}`;
  const ready = path.join(data, '.ready');
  if (!fs.existsSync(ready)) {
    withLock(`${base}.lock`, () => {
      if (fs.existsSync(ready)) return;
      if (!fs.existsSync(path.join(home, '.generated'))) {
        fs.rmSync(home, { recursive: true, force: true });
        generateDemoHome({ home, threads, seed, turnPaddingBytes: 200 });
        fs.writeFileSync(path.join(home, '.generated'), new Date().toISOString());
      }
      fs.rmSync(data, { recursive: true, force: true });
      const r = spawnSync(NODE, [SPOOL, 'index', '--home', home, '--data-dir', data, '--json'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        timeout: 30 * 60_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      if (r.status !== 0) throw new Error(`spool index failed: ${r.stderr.slice(-2000)}`);
      fs.writeFileSync(ready, new Date().toISOString());
    });
  }
  return {
    home,
    dataDir: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-e2e-index-'));
      copies.push(dir);
      for (const f of fs.readdirSync(data)) if (f.startsWith('index.sqlite')) fs.copyFileSync(path.join(data, f), path.join(dir, f));
      return dir;
    },
  };
}

export interface MockModel {
  port: number;
  close(): Promise<void>;
}

/** The reference scripts' loopback Responses API mock, on a free port. */
export async function startMockModel(): Promise<MockModel> {
  const url = pathToFileURL(path.join(referenceDir(), 'mock-responses.mjs')).href;
  // A computed specifier: the reference scripts are plain ESM without type declarations.
  const mod = (await import(url)) as { startMockServer(o: { port: number }): Promise<MockModel> };
  return mod.startMockServer({ port: 0 });
}

/** Points a copied home's config.toml at the mock (gen-home wrote the port of a mock long gone). */
export function useMockModel(home: string, port: number): void {
  const file = path.join(home, 'config.toml');
  const text = fs
    .readFileSync(file, 'utf8')
    .replace(/base_url = "http:\/\/127\.0\.0\.1:\d+\/v1"/, `base_url = "http://127.0.0.1:${port}/v1"`);
  fs.writeFileSync(file, text);
}

/**
 * Runs `codex exec` (or `codex exec resume <id>`) in a home with the real codex CLI, as gen-home
 * does: --json for the thread id, no git check, the mock model. Returns the thread id.
 */
export function codexExec(home: string, cwd: string, prompt: string, resumeId?: string): Promise<string> {
  const common = ['--json', '--skip-git-repo-check', '-m', 'mock-model'];
  const args = resumeId ? ['exec', 'resume', ...common, resumeId, prompt] : ['exec', ...common, '-s', 'read-only', '-C', cwd, prompt];
  const env: NodeJS.ProcessEnv = { ...process.env, CODEX_HOME: home, NO_COLOR: '1' };
  delete env['OPENAI_API_KEY'];
  delete env['CODEX_API_KEY'];
  return new Promise((resolve, reject) => {
    const p = spawn(CODEX, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => {
      clearTimeout(timer);
      const started = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { type?: string; thread_id?: string })
        .find((e) => e.type === 'thread.started');
      if (code === 0 && (started?.thread_id || resumeId)) resolve(started?.thread_id ?? resumeId!);
      else reject(new Error(`codex exec exited ${code}: ${err.slice(-1500)}`));
    });
  });
}

/** The rollout file of a thread in a home. */
export function rolloutOf(home: string, threadId: string): string {
  for (const dir of ['sessions', 'archived_sessions']) {
    const root = path.join(home, dir);
    if (!fs.existsSync(root)) continue;
    const f = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).find((x) => x.endsWith(`${threadId}.jsonl`));
    if (f) return path.join(root, f);
  }
  throw new Error(`no rollout for ${threadId}`);
}

/** The turn codex recorded a user message in, read from the rollout's item_completed events. */
export function turnOfUserMessage(home: string, threadId: string, text: string): string {
  for (const line of fs.readFileSync(rolloutOf(home, threadId), 'utf8').split('\n')) {
    if (!line.includes('"UserMessage"')) continue;
    const v = JSON.parse(line) as { payload: { type: string; turn_id: string; item: { type: string; content: { text?: string }[] } } };
    if (
      v.payload.type === 'item_completed' &&
      v.payload.item.type === 'UserMessage' &&
      v.payload.item.content.some((c) => c.text?.includes(text))
    )
      return v.payload.turn_id;
  }
  throw new Error(`"${text}" is not a user message of ${threadId}`);
}

/** Appends a name to session_index.jsonl the way codex does (last entry wins). */
export function renameOutside(home: string, threadId: string, name: string): void {
  const line = JSON.stringify({ id: threadId, thread_name: name, updated_at: new Date().toISOString() });
  fs.appendFileSync(path.join(home, 'session_index.jsonl'), `${line}\n`);
}

export const uniqueWord = (prefix: string): string => `${prefix}${crypto.randomBytes(4).toString('hex')}`;
