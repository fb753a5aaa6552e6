// Typed access to the codex-reference scripts from TypeScript tests: the real `codex app-server`
// client, the loopback mock model, the codex binary, and hand-written rollouts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { referenceDir } from './real-home.ts';

export interface CodexResponse {
  result?: unknown;
  error?: { code: number; message: string };
  ms: number;
}

export interface CodexAppServer {
  request(method: string, params: unknown, opts?: { timeoutMs?: number }): Promise<CodexResponse>;
  close(): Promise<void>;
}

export interface MockServer {
  port: number;
  close(): Promise<void>;
}

export interface CodexBinary {
  bin: string;
  pathDir?: string;
}

async function load<T>(file: string): Promise<T> {
  // A computed specifier: the reference scripts are plain ESM without type declarations.
  const url = pathToFileURL(path.join(referenceDir(), file)).href;
  return (await import(url)) as T;
}

export async function startAppServer(home: string): Promise<CodexAppServer> {
  const mod = await load<{ AppServerClient: { start(o: { home: string }): Promise<CodexAppServer> } }>('appserver-client.mjs');
  return mod.AppServerClient.start({ home });
}

export async function startMock(opts: { delayMs?: number } = {}): Promise<MockServer> {
  const mod = await load<{
    startMockServer(o: { port: number; delayMs?: number }): Promise<{ port: number; close(): Promise<void> | void }>;
  }>('mock-responses.mjs');
  const m = await mod.startMockServer({ port: 0, ...(opts.delayMs ? { delayMs: opts.delayMs } : {}) });
  return { port: m.port, close: async () => void (await m.close()) };
}

export async function codexBinary(): Promise<{
  codex: CodexBinary;
  env(home: string): NodeJS.ProcessEnv;
  configToml(port: number): string;
}> {
  const lib = await load<{
    findCodex(): CodexBinary;
    codexEnv(home: string, codex: CodexBinary): NodeJS.ProcessEnv;
    configToml(o: { port: number; extra?: string }): string;
    OFFLINE_FEATURES: string;
  }>('lib.mjs');
  const codex = lib.findCodex();
  return { codex, env: (home) => lib.codexEnv(home, codex), configToml: (port) => lib.configToml({ port, extra: lib.OFFLINE_FEATURES }) };
}

/** Points a home's mock provider at `port` (the port a generated home was written with is gone). */
export function pointHomeAtMock(home: string, port: number): void {
  const file = path.join(home, 'config.toml');
  const text = fs.readFileSync(file, 'utf8').replace(/http:\/\/127\.0\.0\.1:\d+\/v1/g, `http://127.0.0.1:${port}/v1`);
  fs.writeFileSync(file, text);
}

export interface HandRollout {
  /** Lines after session_meta: envelopes without timestamp/ordinal (added here), or raw text lines. */
  lines: (Record<string, unknown> | string)[];
  paginated?: boolean;
  /** Extra session_meta fields. */
  meta?: Record<string, unknown>;
  id?: string;
}

const PAGINATED_THREAD_PLACEHOLDER = '$THREAD';

/**
 * Writes hand-written rollouts into `home` (sessions/2025/01/02), each with a session_meta line, and
 * a config.toml codex accepts. Returns the thread ids in order. `$THREAD` in a line is the thread id.
 */
export function writeHandRollouts(home: string, rollouts: HandRollout[], configToml: string): string[] {
  const dir = path.join(home, 'sessions', '2025', '01', '02');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(home, 'config.toml'), configToml);
  return rollouts.map((r, i) => {
    const id = r.id ?? crypto.randomUUID();
    const ts = `2025-01-02T12-${String(Math.floor(i / 60)).padStart(2, '0')}-${String(i % 60).padStart(2, '0')}`;
    const iso = `2025-01-02T12:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`;
    const meta: Record<string, unknown> = {
      id,
      timestamp: iso,
      cwd: '/tmp',
      originator: 'codex',
      cli_version: r.paginated ? '0.169.0' : '0.98.0',
      source: 'exec',
      model_provider: 'mock',
      ...(r.paginated ? { session_id: id, history_mode: 'paginated' } : {}),
      ...r.meta,
    };
    let ordinal = 0;
    const env = (o: Record<string, unknown>): string =>
      JSON.stringify({ timestamp: iso, ...(r.paginated ? { ordinal: ordinal++ } : {}), ...o });
    const lines = [env({ type: 'session_meta', payload: meta }), ...r.lines.map((l) => (typeof l === 'string' ? l : env(l)))];
    fs.writeFileSync(path.join(dir, `rollout-${ts}-${id}.jsonl`), `${lines.join('\n').replaceAll(PAGINATED_THREAD_PLACEHOLDER, id)}\n`);
    return id;
  });
}
