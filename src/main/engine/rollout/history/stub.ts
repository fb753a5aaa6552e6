// Heavy lines. A rollout line can hold a 50 MB command output or message; decoding it on the
// engine thread would freeze every request behind it. While indexing (in a parse worker), a line
// longer than CUT_BYTES is scanned once: every JSON string longer than CUT_BYTES is replaced by its
// head and tail around a sentinel, and its byte range in the file is recorded. The result — the
// "stub", a small valid JSON line — is what the request path decodes instead of the line; the full
// string is read later, page by page, straight from its byte range (`spool/item/text`).
import fs from 'node:fs';
import type { Cut } from '../parse-types.ts';
import { formatBytes } from '../../../../shared/format-bytes.ts';

/** Strings longer than this (in raw JSON bytes) are cut; only lines longer than it are scanned. */
export const CUT_BYTES = 64 * 1024;
const HEAD_BYTES = 12 * 1024;
const TAIL_BYTES = 4 * 1024;

const SENTINEL_OPEN = '\uE000spool-cut:';
const SENTINEL_CLOSE = '\uE001';
const SENTINEL_RE = /\uE000spool-cut:(\d+)\uE001/g;

export interface Stub {
  /** The line with its long strings cut; valid JSON. */
  text: string;
  cuts: Cut[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when the byte at `at` closes a string: it is preceded by an even run of backslashes. */
function isClosingQuote(buf: Buffer, from: number, at: number): boolean {
  let n = 0;
  for (let i = at - 1; i >= from && buf[i] === BACKSLASH; i--) n++;
  return n % 2 === 0;
}

/** Moves `pos` back to a boundary where a raw JSON string slice can be decoded on its own. */
export function safeBoundary(buf: Buffer, lo: number, pos: number): number {
  let p = Math.min(pos, buf.length);
  // Not inside a \uXXXX escape: a `u` within the 4 bytes before p, after an unescaped backslash.
  for (let q = p - 1; q >= Math.max(lo + 1, p - 5); q--) {
    if (buf[q] === 0x75 /* u */ && buf[q - 1] === BACKSLASH) {
      let n = 0;
      for (let i = q - 1; i >= lo && buf[i] === BACKSLASH; i--) n++;
      if (n % 2 === 1 && p - q <= 4) p = q - 1;
      break;
    }
  }
  // Not right after an escaping backslash.
  let n = 0;
  for (let i = p - 1; i >= lo && buf[i] === BACKSLASH; i--) n++;
  if (n % 2 === 1) p -= 1;
  // Not in the middle of a UTF-8 sequence.
  while (p > lo && p < buf.length && ((buf[p] ?? 0) & 0xc0) === 0x80) p--;
  return Math.max(lo, p);
}

/** Decodes raw JSON string content (no quotes) to text; tolerant of damaged input. */
export function decodeRaw(raw: Buffer): string {
  const s = raw.toString('utf8');
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s;
  }
}

/**
 * Builds the stub of a line held in `buf[start, end)` whose first byte is at file offset `offset`.
 * Returns null when nothing in it is long enough to cut.
 */
export function buildStub(buf: Buffer, start: number, end: number, offset: number): Stub | null {
  const parts: string[] = [];
  const cuts: Cut[] = [];
  let copyFrom = start;
  let pos = start;
  for (;;) {
    const open = buf.indexOf(QUOTE, pos);
    if (open < 0 || open >= end) break;
    // Find the closing quote of this string.
    let close = buf.indexOf(QUOTE, open + 1);
    while (close >= 0 && close < end && !isClosingQuote(buf, open + 1, close)) close = buf.indexOf(QUOTE, close + 1);
    if (close < 0 || close >= end) break; // unterminated: leave the rest as it is
    const len = close - open - 1;
    if (len > CUT_BYTES) {
      const contentStart = open + 1;
      const headEnd = safeBoundary(buf, contentStart, contentStart + HEAD_BYTES);
      const tailStart = safeBoundary(buf, contentStart, close - TAIL_BYTES);
      const head = decodeRaw(buf.subarray(contentStart, headEnd));
      const tail = decodeRaw(buf.subarray(tailStart, close));
      parts.push(buf.toString('utf8', copyFrom, open));
      parts.push(JSON.stringify(`${head}${SENTINEL_OPEN}${cuts.length}${SENTINEL_CLOSE}${tail}`));
      cuts.push({ start: offset + (contentStart - start), length: len });
      copyFrom = close + 1;
    }
    pos = close + 1;
  }
  if (cuts.length === 0) return null;
  parts.push(buf.toString('utf8', copyFrom, end));
  return { text: parts.join(''), cuts };
}

/** Lines beyond this are not even stubbed (nothing a rollout writer produces gets near it). */
const MAX_STUB_SOURCE = 1024 * 1024 * 1024;

/**
 * The stub of a line longer than the line reader holds (it skips such lines): read it whole, once,
 * in the parse worker, and cut it like any other heavy line.
 */
export function buildStubFromFile(fd: number, offset: number, length: number): Stub | null {
  if (length > MAX_STUB_SOURCE) return null;
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, offset + got);
    if (n <= 0) break;
    got += n;
  }
  return buildStub(buf, 0, got, offset);
}

export interface Truncation {
  /** JSON pointer of the string in the item, e.g. `/aggregatedOutput`. */
  path: string;
  /** Opaque handle for `spool/item/text`. */
  handle: string;
  /** Raw (JSON-escaped) size of the whole string in the rollout, in bytes. */
  totalBytes: number;
}

/** Where a cut string lives: the thread whose rollout holds it, the line and the cut's index. */
export const cutHandle = (threadId: string, lineOffset: number, cut: number): string => `${threadId}:${lineOffset}:${cut}`;

export function parseCutHandle(handle: string): { threadId: string; lineOffset: number; cut: number } | null {
  const m = /^([0-9a-f-]{36}):(\d+):(\d+)$/.exec(handle);
  if (!m) return null;
  const lineOffset = Number(m[2]);
  const cut = Number(m[3]);
  return Number.isSafeInteger(lineOffset) && Number.isSafeInteger(cut) ? { threadId: m[1]!, lineOffset, cut } : null;
}

/**
 * Cut strings met while building one response. A stub's sentinels are numbered per line; items can
 * merge several lines, so each stub is renumbered into this registry before it is decoded.
 */
export class CutRegistry {
  private readonly cuts: { handle: string; totalBytes: number }[] = [];

  /** The stub's text with its sentinels renumbered into this registry. */
  adopt(stub: string, threadId: string, lineOffset: number, cuts: readonly Cut[]): string {
    return stub.replace(SENTINEL_RE, (_m, k: string) => {
      const i = Number(k);
      const n = this.cuts.length;
      this.cuts.push({ handle: cutHandle(threadId, lineOffset, i), totalBytes: cuts[i]?.length ?? 0 });
      return `${SENTINEL_OPEN}${n}${SENTINEL_CLOSE}`;
    });
  }

  get size(): number {
    return this.cuts.length;
  }

  /**
   * Replaces the sentinels in a built value by a readable marker and lists what was cut, so a
   * client shows the head and tail at once and loads the rest on demand.
   */
  mark<T>(value: T): { value: T; truncated: Truncation[] } {
    const truncated: Truncation[] = [];
    if (this.cuts.length === 0) return { value, truncated };
    const walk = (v: unknown, path: string): unknown => {
      if (typeof v === 'string') {
        if (!v.includes(SENTINEL_OPEN)) return v;
        return v.replace(SENTINEL_RE, (_m, k: string) => {
          const cut = this.cuts[Number(k)];
          const total = cut?.totalBytes ?? 0;
          if (cut) truncated.push({ path, handle: cut.handle, totalBytes: total });
          return `\n\n… [${formatBytes(Math.max(0, total - HEAD_BYTES - TAIL_BYTES))} more — Spool loads long output on demand] …\n\n`;
        });
      }
      if (Array.isArray(v)) return v.map((x, i) => walk(x, `${path}/${i}`));
      if (typeof v === 'object' && v !== null) {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) out[k] = walk(x, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
        return out;
      }
      return v;
    };
    return { value: walk(value, '') as T, truncated };
  }
}
