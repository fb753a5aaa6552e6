// Crash-safe writes to a user's files: a whole new file is written beside the target, flushed,
// then renamed over it (rename is atomic on one file system); appends are whole lines, flushed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Writes `data` to `file` atomically: readers see the old content or the new, never a mix. */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', mode ?? 0o644);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dir);
}

/**
 * Appends whole lines to `file` in one write. If the file does not end with a newline (a writer
 * died mid-line), a newline is written first so our line never joins a partial one. If the write
 * fails part-way (a full disk writes what fits, then fails), the file is cut back to its old
 * length, so it never keeps a partial line of ours.
 */
export function appendLines(file: string, lines: string[]): void {
  if (lines.some((l) => l.includes('\n'))) throw new Error('a line must not contain a newline');
  const fd = fs.openSync(file, 'a+');
  try {
    const size = fs.fstatSync(fd).size;
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      fs.readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    const data = Buffer.from(`${prefix}${lines.join('\n')}\n`, 'utf8');
    let off = 0;
    try {
      while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
      fs.fsyncSync(fd);
    } catch (err) {
      if (off > 0) {
        try {
          fs.ftruncateSync(fd, size);
          fs.fsyncSync(fd);
        } catch {
          // Nothing more we can do; the reader skips a partial last line.
        }
      }
      throw err;
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
