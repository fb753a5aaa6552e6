// Reads a rollout file line by line from a byte offset, in large chunks, without decoding lines
// the caller does not ask for. Offsets are exact byte positions so turns can later be read back by
// seeking. A trailing line without its newline is not consumed: it is handed back as `tail` so a
// writer that is still appending can finish it.
import fs from 'node:fs';
import type { LineView } from './parse-types.ts';

const NL = 0x0a;
const DEFAULT_CHUNK = 4 * 1024 * 1024;
/** Lines longer than this are counted and skipped without being held in memory. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface ReadOutcome {
  /** Offset just past the last complete line. */
  endOffset: number;
  /** Index of the next line. */
  nextIndex: number;
  /** Bytes after the last newline (an unfinished line), or null. */
  tail: Buffer | null;
  tailOffset: number;
  /** Lines over MAX_LINE_BYTES that were skipped. */
  oversized: number;
  bytesRead: number;
}

export interface ReadOptions {
  fromOffset: number;
  fromIndex: number;
  /** Stop at this size even if the file has grown since (the size we stat-ed). */
  untilOffset?: number;
  chunkSize?: number;
  maxLineBytes?: number;
  /**
   * A buffer to read into instead of allocating one per call (a parse worker keeps one). Lines are
   * handed out as views into it and must be copied by whoever keeps them.
   */
  scratch?: Buffer;
}

/**
 * Calls `onLine` for each complete line. `onOversized(offset, index)` is called for lines too long
 * to hold. The LineView object is reused between calls: copy what you keep.
 */
export function readLines(
  fd: number,
  opts: ReadOptions,
  onLine: (line: LineView) => void,
  onOversized?: (offset: number, index: number, length: number) => void,
): ReadOutcome {
  const maxLine = opts.maxLineBytes ?? MAX_LINE_BYTES;
  let buf = opts.scratch ?? Buffer.allocUnsafe(opts.chunkSize ?? DEFAULT_CHUNK);
  const limit = opts.untilOffset ?? Number.POSITIVE_INFINITY;
  let filePos = opts.fromOffset; // next byte to read from the file
  let bufStartOffset = opts.fromOffset; // file offset of buf[0]
  let used = 0; // bytes of buf holding data
  let index = opts.fromIndex;
  let bytesRead = 0;
  let oversized = 0;
  // When skipping an oversized line: its start offset, or -1.
  let skipping = -1;
  const view: LineView = { buf, start: 0, end: 0, offset: 0, nextOffset: 0, index: 0 };

  for (;;) {
    if (skipping < 0 && used === buf.length) {
      // The buffer holds one unfinished line: grow it, or give up holding the line.
      if (buf.length >= maxLine) {
        skipping = bufStartOffset;
        bufStartOffset += used;
        used = 0;
      } else {
        const bigger = Buffer.allocUnsafe(Math.min(maxLine, buf.length * 2));
        buf.copy(bigger, 0, 0, used);
        buf = bigger;
      }
    }
    const want = Math.min(buf.length - used, limit - filePos);
    const n = want > 0 ? fs.readSync(fd, buf, used, want, filePos) : 0;
    bytesRead += n;
    filePos += n;
    used += n;
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(NL, pos);
      if (nl < 0 || nl >= used) break;
      if (skipping >= 0) {
        const len = bufStartOffset + nl - skipping;
        onOversized?.(skipping, index, len);
        oversized++;
        skipping = -1;
      } else {
        view.buf = buf;
        view.start = pos;
        view.end = nl > pos && buf[nl - 1] === 0x0d ? nl - 1 : nl;
        view.offset = bufStartOffset + pos;
        view.nextOffset = bufStartOffset + nl + 1;
        view.index = index;
        onLine(view);
      }
      index++;
      pos = nl + 1;
    }
    // Keep the unfinished line at the front of the buffer.
    if (skipping >= 0) {
      bufStartOffset += used;
      used = 0;
    } else if (pos > 0) {
      buf.copy(buf, 0, pos, used);
      bufStartOffset += pos;
      used -= pos;
    }
    if (n === 0) break;
  }
  const endOffset = skipping >= 0 ? skipping : bufStartOffset;
  return {
    endOffset,
    nextIndex: index,
    tail: skipping < 0 && used > 0 ? Buffer.from(buf.subarray(0, used)) : null,
    tailOffset: endOffset,
    oversized,
    bytesRead,
  };
}

const TYPE_KEY = Buffer.from('"type":"');
const ORDINAL_KEY = Buffer.from('"ordinal":');

/**
 * The envelope type of a Codex rollout line (`{"timestamp":…,"ordinal":…,"type":"X",…}`) read from
 * its first bytes, or null. Serde writes the envelope fields in a fixed order, so the first
 * `"type":"` within the head is the envelope's.
 */
export function peekType(buf: Buffer, start: number, end: number): string | null {
  const head = buf.subarray(start, Math.min(end, start + 160));
  const at = head.indexOf(TYPE_KEY);
  if (at < 0) return null;
  const from = at + TYPE_KEY.length;
  const close = head.indexOf(0x22, from);
  if (close < 0) return null;
  return head.toString('latin1', from, close);
}

export function hasOrdinal(buf: Buffer, start: number, end: number): boolean {
  return buf.subarray(start, Math.min(end, start + 80)).indexOf(ORDINAL_KEY) >= 0;
}
