// Starts, talks to and kills the engine host child (test/faults/engine-child.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { REPO_ROOT } from '../../support/real-home.ts';

export interface RpcReply {
  result?: unknown;
  error?: { code: number; message: string };
}

export interface ChildOptions {
  home: string;
  dataDir: string;
  /** Extra node flags (e.g. `--import` of the write-failure shim). */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  parseWorkers?: number;
  /** Wrap the command (e.g. `setpriv --reuid=…`). */
  wrap?: string[];
}

export class EngineChild {
  private readonly proc: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, (r: RpcReply) => void>();
  readonly notes: { method: string; params: unknown }[] = [];
  readonly startupMessages: string[] = [];
  stderr = '';
  private exitCode: number | null | undefined = undefined;
  private readonly exited: Promise<number | null>;

  private constructor(proc: ChildProcess) {
    this.proc = proc;
    this.exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve((this.exitCode = code ?? (signal ? -1 : null)))));
    proc.stderr!.on('data', (d: Buffer) => {
      if (this.stderr.length < 64 * 1024) this.stderr += d.toString();
    });
  }

  static start(o: ChildOptions, timeoutMs = 60_000): Promise<EngineChild> {
    const script = path.join(REPO_ROOT, 'test/faults/engine-child.ts');
    const args = [
      ...(o.nodeArgs ?? []),
      script,
      '--home',
      o.home,
      '--data-dir',
      o.dataDir,
      ...(o.parseWorkers !== undefined ? ['--parse-workers', String(o.parseWorkers)] : []),
    ];
    const [cmd, ...cmdArgs] = o.wrap ? [...o.wrap, process.execPath, ...args] : [process.execPath, ...args];
    const proc = spawn(cmd!, cmdArgs, { cwd: REPO_ROOT, env: { ...process.env, ...o.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const child = new EngineChild(proc);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`engine child did not start in ${timeoutMs} ms: ${child.stderr.slice(-2000)}`)),
        timeoutMs,
      );
      void child.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`engine child exited during start (code ${code}): ${child.stderr.slice(-2000)}`));
      });
      readline.createInterface({ input: proc.stdout! }).on('line', (line) => {
        const m = JSON.parse(line) as {
          ready?: boolean;
          fatal?: string;
          messages?: string[];
          id?: number;
          method?: string;
          params?: unknown;
        } & RpcReply;
        if (m.ready) {
          clearTimeout(timer);
          child.startupMessages.push(...(m.messages ?? []));
          resolve(child);
        } else if (m.fatal !== undefined) {
          clearTimeout(timer);
          reject(new FatalStart(m.fatal));
        } else if (m.id !== undefined) {
          const p = child.pending.get(m.id);
          child.pending.delete(m.id);
          p?.({ ...(m.result !== undefined ? { result: m.result } : {}), ...(m.error ? { error: m.error } : {}) });
        } else if (m.method) child.notes.push({ method: m.method, params: m.params });
      });
    });
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  /** One JSON-RPC call; resolves with the reply, or `{error: {code: -1}}` if the child died first. */
  call(method: string, params?: unknown): Promise<RpcReply> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      if (!this.alive) return resolve({ error: { code: -1, message: 'engine child is gone' } });
      this.pending.set(id, resolve);
      void this.exited.then(() => {
        if (this.pending.delete(id)) resolve({ error: { code: -1, message: 'engine child is gone' } });
      });
      this.proc.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }

  /** Like call, but throws on a JSON-RPC error. */
  async ok<T>(method: string, params?: unknown): Promise<T> {
    const r = await this.call(method, params);
    if (r.error) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.result as T;
  }

  /** Waits until the live indexer has nothing left to do (idle on two polls in a row). */
  async settle(timeoutMs = 120_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    let idleSeen = 0;
    for (;;) {
      const s = await this.ok<{ phase: string }>('spool/index/status', {});
      idleSeen = s.phase === 'idle' ? idleSeen + 1 : 0;
      if (idleSeen >= 2) return;
      if (Date.now() > end) throw new Error(`index did not settle (phase ${s.phase})`);
      await new Promise((r) => setTimeout(r, 60));
    }
  }

  /** SIGKILL, then waits for the process to be gone. */
  async kill9(): Promise<void> {
    if (this.alive) this.proc.kill('SIGKILL');
    await this.exited;
  }

  /** A clean shutdown (stdin closed: the engine closes its database). */
  async close(): Promise<void> {
    if (!this.alive) return;
    this.proc.stdin!.end();
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export class FatalStart extends Error {}
