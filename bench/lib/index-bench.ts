// Helpers for the indexing benchmarks: a long rollout to append to, codex's own first-start
// backfill timed on the same home, and a peak-memory sampler.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { realHome, STANDARD_HOME } from '../../test/support/real-home.ts';
import { startAppServer } from '../../test/support/codex-live.ts';
import { CodexHome } from '../../src/main/engine/home.ts';
import { walkHome } from '../../src/main/engine/indexer/scan.ts';

/** A real 0.169 rollout split into its session_meta and one turn (task_started … task_complete). */
function realTurn(): { id: string; head: string[]; turn: string[]; turnIds: string[] } {
  const real = realHome(...STANDARD_HOME);
  for (const r of real.manifest.rollouts) {
    if (r.file.startsWith('archived_sessions/') || typeof r.source === 'object') continue;
    const lines = fs
      .readFileSync(path.join(real.home, r.file), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    const start = lines.findIndex((l) => l.includes('"type":"task_started"'));
    const end = lines.findIndex((l) => l.includes('"type":"task_complete"'));
    if (start < 0 || end < start) continue;
    const turnIds = [
      ...new Set(lines.slice(start, end + 1).flatMap((l) => [...l.matchAll(/"turn_id":"([0-9a-f-]{36})"/g)].map((m) => m[1]!))),
    ];
    return { id: r.id, head: lines.slice(0, start), turn: lines.slice(start, end + 1), turnIds };
  }
  throw new Error('no rollout with a complete turn in the standard home');
}

export interface BigRollout {
  home: string;
  file: string;
  threadId: string;
  /** The lines of one more turn (a fresh turn id each call). */
  nextTurn(): string;
}

/** A home holding one rollout of about `bytes`, made of a real codex turn repeated. */
export function bigRolloutHome(workDir: string, bytes: number): BigRollout {
  const t = realTurn();
  const home = path.join(workDir, 'homes', `big-rollout-${bytes}`);
  const file = path.join(home, 'sessions', '2026', '01', '01', `rollout-2026-01-01T00-00-00-${t.id}.jsonl`);
  let n = 0;
  let ordinal = t.head.length;
  const nextTurn = (): string => {
    n++;
    // Fresh turn ids and, in a paginated rollout, contiguous ordinals, as codex would write them.
    let text = t.turn.map((l) => l.replace(/"ordinal":\d+/, () => `"ordinal":${ordinal++}`)).join('\n');
    for (const id of t.turnIds) text = text.split(id).join(`${id.slice(0, 24)}${String(n).padStart(12, '0')}`);
    return `${text}\n`;
  };
  fs.rmSync(home, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.copyFileSync(path.join(realHome(...STANDARD_HOME).home, 'config.toml'), path.join(home, 'config.toml'));
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, `${t.head.join('\n')}\n`);
  let size = 0;
  while (size < bytes) size += fs.writeSync(fd, nextTurn());
  fs.closeSync(fd);
  return { home, file, threadId: t.id, nextTurn };
}

/** Starts the real `codex app-server` on `home` (its own state DB removed first) and times its backfill. */
export async function codexFirstStartMs(home: string, timeoutMs = 30 * 60_000): Promise<number> {
  for (const f of fs.readdirSync(home))
    if (/^(state|logs|goals|memories|queue|thread_history)_\d+\.sqlite(-wal|-shm)?$/.test(f)) fs.rmSync(path.join(home, f));
  const t0 = performance.now();
  const server = await startAppServer(home, { initTimeoutMs: timeoutMs });
  try {
    for (;;) {
      try {
        const db = new Database(path.join(home, 'state_5.sqlite'), { readonly: true, fileMustExist: true });
        const row = db.prepare('SELECT status FROM backfill_state WHERE id = 1').get() as { status: string } | undefined;
        db.close();
        if (row?.status === 'complete') return performance.now() - t0;
      } catch {
        // not created yet
      }
      if (performance.now() - t0 > timeoutMs) throw new Error('codex backfill did not finish');
      await sleep(25);
    }
  } finally {
    await server.close();
  }
}

/** Samples the process's resident memory (worker threads included) until stopped. */
export function rssSampler(everyMs = 20): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

/** Reads every rollout once, as fast as one thread can: the floor under any indexer. Returns ms and bytes. */
export function readAllRollouts(home: string): { ms: number; bytes: number } {
  const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
  let bytes = 0;
  const t0 = performance.now();
  // The indexer's own walk, so the files and their order are the ones it reads.
  for (const file of [...walkHome(new CodexHome(home), [])].flatMap((c) => c.files.map((f) => f.absPath))) {
    const fd = fs.openSync(file, 'r');
    try {
      for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0;) bytes += n;
    } finally {
      fs.closeSync(fd);
    }
  }
  return { ms: performance.now() - t0, bytes };
}

/**
 * Empties the kernel's page cache (Linux, as root), so that the next read comes from the disk.
 * Returns false where that is not allowed: cold-cache rows are then left out.
 */
export function dropPageCache(): boolean {
  spawnSync('sync');
  try {
    fs.writeFileSync('/proc/sys/vm/drop_caches', '1');
    return true;
  } catch {
    return false;
  }
}
