// Driving the real codex against a copied home from a test: the loopback mock model on a fresh
// port (the home's config.toml is pointed at it), `codex exec resume` / `codex archive` runs, and
// the real `codex app-server` as a reference peer. Everything goes through the reference scripts.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { referenceDir } from './real-home.ts';

interface CodexBin {
  bin: string;
  pathDir?: string;
}

interface LibModule {
  findCodex(): CodexBin;
  codexEnv(home: string, codex: CodexBin, extra?: Record<string, string>): NodeJS.ProcessEnv;
}

interface MockServer {
  port: number;
  close(): Promise<void>;
}

export interface AppServer {
  request(method: string, params: unknown): Promise<{ result?: unknown; error?: { code: number; message: string }; ms: number }>;
  close(): Promise<void>;
}

const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(path.join(referenceDir(), file)).href)) as T;

/** `initTimeoutMs`: codex answers `initialize` only after its start-up work (minutes on a 100k home). */
export async function startAppServer(home: string, opts: { initTimeoutMs?: number } = {}): Promise<AppServer> {
  const { AppServerClient } = await load<{ AppServerClient: { start(o: { home: string; initTimeoutMs?: number }): Promise<AppServer> } }>(
    'appserver-client.mjs',
  );
  return AppServerClient.start({ home, ...opts });
}

/** Starts the mock model and points the home's `mock` provider at it. */
export async function startMock(home: string): Promise<MockServer> {
  const { startMockServer } = await load<{
    startMockServer(o: { port: number }): Promise<{ port: number; close(): Promise<void> | void }>;
  }>('mock-responses.mjs');
  const server = await startMockServer({ port: 0 });
  const config = path.join(home, 'config.toml');
  const text = fs.readFileSync(config, 'utf8');
  fs.writeFileSync(config, text.replace(/base_url = "http:\/\/127\.0\.0\.1:\d+\/v1"/, `base_url = "http://127.0.0.1:${server.port}/v1"`));
  return { port: server.port, close: async () => void (await server.close()) };
}

export interface CodexRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the pinned codex CLI with CODEX_HOME = home (bounded, killed by its pid on timeout). */
export async function runCodex(home: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<CodexRun> {
  const lib = await load<LibModule>('lib.mjs');
  const codex = lib.findCodex();
  const env = lib.codexEnv(home, codex);
  return new Promise((resolve, reject) => {
    const child = spawn(codex.bin, args, { cwd: opts.cwd ?? home, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      if (child.pid) process.kill(child.pid, 'SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `codex exec resume <id> <prompt>`: codex appends one turn to the thread's rollout. */
export function codexResume(home: string, threadId: string, prompt: string, cwd?: string): Promise<CodexRun> {
  return runCodex(home, ['exec', 'resume', '--json', '--skip-git-repo-check', threadId, prompt], cwd ? { cwd } : {});
}
