// A write-failure shim for the fault suite, preloaded into the engine host with `--import`: it
// makes file writes under one folder fail with ENOSPC once a byte budget is spent, the way a full
// disk does (the write that crosses the budget is short, the next one fails). The budget lives in a
// file the suite rewrites, so "space comes back" without restarting the engine. Nothing in Spool's
// own code knows about it. Loaded in every thread of the process (workers inherit the flag).
//   SPOOL_FAULT_SCOPE=/path/under/which/writes/count   SPOOL_FAULT_BUDGET_FILE=/path/holding/bytes
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

const scope = process.env['SPOOL_FAULT_SCOPE'];
const budgetFile = process.env['SPOOL_FAULT_BUDGET_FILE'];

if (scope && budgetFile) {
  const real = {
    openSync: fs.openSync,
    writeSync: fs.writeSync,
    writeFileSync: fs.writeFileSync,
    appendFileSync: fs.appendFileSync,
    copyFileSync: fs.copyFileSync,
    closeSync: fs.closeSync,
    readFileSync: fs.readFileSync,
  };
  const inScope = (p: unknown): boolean => typeof p === 'string' && path.resolve(p).startsWith(scope);
  const trackedFds = new Set<number>();
  const enospc = (syscall: string, p?: string): NodeJS.ErrnoException => {
    const e = new Error(`ENOSPC: no space left on device, ${syscall}${p ? ` '${p}'` : ''}`) as NodeJS.ErrnoException;
    e.code = 'ENOSPC';
    e.errno = -28;
    e.syscall = syscall;
    return e;
  };
  /** Takes up to `want` bytes from the budget; returns how many were granted. */
  const take = (want: number): number => {
    const left = Number(real.readFileSync(budgetFile, 'utf8').trim() || '0');
    const granted = Math.max(0, Math.min(left, want));
    real.writeFileSync(budgetFile, String(left - granted));
    return granted;
  };
  const lenOf = (data: unknown, off?: unknown, len?: unknown): number => {
    if (typeof data === 'string') return Buffer.byteLength(data);
    const b = data as ArrayBufferView;
    if (typeof len === 'number') return len;
    return b.byteLength - (typeof off === 'number' ? off : 0);
  };

  const patched = fs as unknown as Record<string, unknown>;
  patched['openSync'] = (p: fs.PathLike, ...rest: unknown[]): number => {
    const fd = (real.openSync as (...a: unknown[]) => number)(p, ...rest);
    if (inScope(String(p))) trackedFds.add(fd);
    return fd;
  };
  patched['closeSync'] = (fd: number): void => {
    trackedFds.delete(fd);
    real.closeSync(fd);
  };
  patched['writeSync'] = (fd: number, data: unknown, ...rest: unknown[]): number => {
    if (!trackedFds.has(fd)) return (real.writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
    const want = lenOf(data, rest[0], rest[1]);
    const granted = take(want);
    if (want > 0 && granted === 0) throw enospc('write');
    if (granted === want) return (real.writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
    // A short write: only what fits reaches the disk.
    const buf =
      typeof data === 'string'
        ? Buffer.from(data)
        : Buffer.from((data as ArrayBufferView).buffer, (data as ArrayBufferView).byteOffset, (data as ArrayBufferView).byteLength);
    const off = typeof data === 'string' ? 0 : typeof rest[0] === 'number' ? rest[0] : 0;
    const pos = typeof data === 'string' ? (rest[0] as number | null | undefined) : (rest[2] as number | null | undefined);
    return real.writeSync(fd, buf, off, granted, pos ?? null);
  };
  const wholeFileWrite =
    (name: 'writeFileSync' | 'appendFileSync') =>
    (p: fs.PathOrFileDescriptor, data: unknown, ...rest: unknown[]): void => {
      const tracked = typeof p === 'number' ? trackedFds.has(p) : inScope(String(p));
      if (!tracked) return (real[name] as (...a: unknown[]) => void)(p, data, ...rest);
      const want = lenOf(data);
      const granted = take(want);
      if (granted < want) {
        // What fits is written, then the disk is full.
        const buf = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data as Uint8Array);
        (real[name] as (...a: unknown[]) => void)(p, buf.subarray(0, granted), ...rest);
        throw enospc('write', typeof p === 'string' ? p : undefined);
      }
      return (real[name] as (...a: unknown[]) => void)(p, data, ...rest);
    };
  patched['writeFileSync'] = wholeFileWrite('writeFileSync');
  patched['appendFileSync'] = wholeFileWrite('appendFileSync');
  patched['copyFileSync'] = (src: fs.PathLike, dest: fs.PathLike, mode?: number): void => {
    if (!inScope(String(dest))) return real.copyFileSync(src, dest, mode);
    const want = fs.statSync(src).size;
    if (take(want) < want) throw enospc('copyfile', String(dest));
    return real.copyFileSync(src, dest, mode);
  };
  syncBuiltinESMExports();
}
