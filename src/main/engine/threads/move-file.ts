// Moving a rollout between sessions/ and archived_sessions/ so that, whatever happens, the file is
// in exactly one place: never in both, never in neither, never half-copied.
//
// On one file system that is a rename(2), which is atomic. When archived_sessions/ lives on another
// file system (a symlink to another disk), rename fails with EXDEV and the move becomes
// copy → fsync → rename the copy into place → unlink the source. A crash inside that sequence
// leaves a temporary file or both copies; an intent record written before the copy lets the next
// start finish or undo it (recoverInterruptedMove), so the home converges to one copy.
import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir, writeFileAtomic } from '../fsx/atomic.ts';

/** The move being made across file systems, kept until it is complete. */
export const MOVE_INTENT_FILE = 'move-in-progress.json';

interface MoveIntent {
  from: string;
  to: string;
  tmp: string;
}

export class DestinationExistsError extends Error {
  readonly dest: string;
  constructor(dest: string) {
    super(`a file already exists at ${dest}; it was left alone`);
    this.name = 'DestinationExistsError';
    this.dest = dest;
  }
}

const code = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

export interface MoveResult {
  /** False when the move went through a copy (another file system). */
  renamed: boolean;
}

export interface MoveOptions {
  /** The first attempt (tests pass one that fails with EXDEV, as the kernel does across file systems). */
  rename?: (from: string, to: string) => void;
  /**
   * A caller moving many files collects the directories to fsync here and syncs each once after
   * the batch; by default a rename syncs both directories itself. (A rename is atomic either way;
   * the directory sync makes it durable across a power loss.)
   */
  dirsToSync?: Set<string>;
}

/**
 * Moves `from` to `to` (absolute paths). Refuses to replace an existing file: rename(2) would
 * silently destroy it. `dataDir` holds the intent record of a cross-device move.
 */
export function moveFileSafely(from: string, to: string, dataDir: string, opts: MoveOptions = {}): MoveResult {
  if (fs.existsSync(to)) throw new DestinationExistsError(to);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  try {
    (opts.rename ?? fs.renameSync)(from, to);
  } catch (err) {
    if (code(err) !== 'EXDEV') throw err;
    copyAcrossDevices(from, to, dataDir);
    return { renamed: false };
  }
  const dirs = opts.dirsToSync ?? new Set<string>();
  dirs.add(path.dirname(to));
  dirs.add(path.dirname(from));
  if (!opts.dirsToSync) for (const d of dirs) fsyncDir(d);
  return { renamed: true };
}

/** How often a copy is retried when the source changes under it (codex appending). */
const COPY_ATTEMPTS = 5;

function copyAcrossDevices(from: string, to: string, dataDir: string): void {
  const tmp = path.join(path.dirname(to), `.${path.basename(to)}.spool-move.tmp`);
  const intentFile = path.join(dataDir, MOVE_INTENT_FILE);
  writeFileAtomic(intentFile, JSON.stringify({ from, to, tmp } satisfies MoveIntent));
  let published = false;
  try {
    for (let attempt = 1; ; attempt++) {
      const before = fs.statSync(from);
      fs.rmSync(tmp, { force: true });
      fs.copyFileSync(from, tmp, fs.constants.COPYFILE_EXCL);
      const fd = fs.openSync(tmp, 'r+');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      // updated_at comes from the mtime: the copy keeps the original's.
      fs.utimesSync(tmp, before.atime, before.mtime);
      const after = fs.statSync(from);
      if (after.size === before.size && after.mtimeMs === before.mtimeMs) break;
      // The source grew while it was copied (a writer is appending): copy it again.
      if (attempt >= COPY_ATTEMPTS) throw new Error(`${from} kept changing while it was copied to another disk; it was left in place`);
    }
    if (fs.existsSync(to)) throw new DestinationExistsError(to);
    fs.renameSync(tmp, to);
    published = true;
    fsyncDir(path.dirname(to));
    fs.unlinkSync(from);
    fsyncDir(path.dirname(from));
  } catch (err) {
    // Leave the source where it was: drop our temporary copy, and our published copy if the
    // source could not be removed (never a file at `to` that someone else put there).
    fs.rmSync(tmp, { force: true });
    if (published && fs.existsSync(from)) fs.rmSync(to, { force: true });
    fs.rmSync(intentFile, { force: true });
    throw err;
  }
  fs.rmSync(intentFile, { force: true });
}

export interface RecoveryReport {
  /** What was found and done, for the log; null when no move was interrupted. */
  action: 'none' | 'removed-temp' | 'finished' | 'undone' | null;
  from?: string;
  to?: string;
}

/**
 * Settles a cross-device move that a crash interrupted, so exactly one copy remains: a leftover
 * temporary copy is removed; if both the source and the published copy exist, the copy (complete,
 * since it was published by rename) replaces the source when they have the same size, and is
 * dropped when the source has grown since (a writer appended after the copy was taken).
 */
export function recoverInterruptedMove(dataDir: string): RecoveryReport {
  const intentFile = path.join(dataDir, MOVE_INTENT_FILE);
  let intent: MoveIntent;
  try {
    intent = JSON.parse(fs.readFileSync(intentFile, 'utf8')) as MoveIntent;
  } catch (err) {
    if (code(err) === 'ENOENT') return { action: null };
    // A torn intent (crash while writing it, before any copy began): nothing was moved.
    fs.rmSync(intentFile, { force: true });
    return { action: 'none' };
  }
  let action: RecoveryReport['action'] = 'none';
  if (fs.existsSync(intent.tmp)) {
    fs.rmSync(intent.tmp, { force: true });
    action = 'removed-temp';
  }
  const fromStat = fs.statSync(intent.from, { throwIfNoEntry: false });
  const toStat = fs.statSync(intent.to, { throwIfNoEntry: false });
  if (fromStat && toStat) {
    if (fromStat.size === toStat.size) {
      fs.unlinkSync(intent.from);
      fsyncDir(path.dirname(intent.from));
      action = 'finished';
    } else {
      fs.unlinkSync(intent.to);
      fsyncDir(path.dirname(intent.to));
      action = 'undone';
    }
  }
  fs.rmSync(intentFile, { force: true });
  return { action, from: intent.from, to: intent.to };
}
