// thread/list ordering and cursors (docs/FORMAT.md §4.1.3).
//
// nextCursor      = "<RFC 3339 of the last row's key>|<id>", exclusive of that row.
// backwardsCursor = the first row's key ∓ 1 ms (desc: −1, asc: +1), no id: used with the opposite
//                   direction it includes the first row and everything sharing its millisecond.
// Order everywhere is the tuple (key in ms, id).
import { z } from 'zod';

export const SortDirection = z.enum(['asc', 'desc']);
export type SortDirection = z.infer<typeof SortDirection>;
export const ThreadSortKey = z.enum(['created_at', 'updated_at', 'recency_at', 'section_position']);
export type ThreadSortKey = z.infer<typeof ThreadSortKey>;

export const LIST_DEFAULT_LIMIT = 25;
export const LIST_MAX_LIMIT = 100;
export const clampLimit = (limit: number | null | undefined, def = LIST_DEFAULT_LIMIT, max = LIST_MAX_LIMIT): number =>
  Math.min(max, Math.max(1, limit ?? def));

export interface ListCursor {
  /** The anchor key in unix milliseconds. */
  ms: number;
  /** The anchor id; absent for a backwards cursor, which compares on the key alone. */
  id: string | null;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function isoParts(ms: number): { date: string; frac: number } {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new RangeError(`timestamp out of range: ${ms}`);
  const year = d.getUTCFullYear();
  const y = year >= 0 && year <= 9999 ? pad(year, 4) : (year < 0 ? '-' : '+') + pad(Math.abs(year), 6);
  const date = `${y}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return { date, frac: d.getUTCMilliseconds() };
}

/** RFC 3339 the way Rust's `time` crate writes it: `Z`, fraction with trailing zeros trimmed. */
export function formatRfc3339Trimmed(ms: number): string {
  const { date, frac } = isoParts(ms);
  if (frac === 0) return `${date}Z`;
  return `${date}.${pad(frac, 3).replace(/0+$/, '')}Z`;
}

/** RFC 3339 with exactly three fraction digits (`…:59.999Z`), as codex writes backwards cursors. */
export function formatRfc3339Millis(ms: number): string {
  const { date, frac } = isoParts(ms);
  return `${date}.${pad(frac, 3)}Z`;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;
const FILENAME_TS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function validDate(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

/** Parses an RFC 3339 timestamp (any offset, any fraction) to unix ms, or null. */
export function parseRfc3339(s: string): number | null {
  const m = RFC3339.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (!validDate(y, mo, d, h, mi, sec)) return null;
  const frac = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  let ms = Date.UTC(y, mo - 1, d, h, mi, Math.min(sec, 59)) + frac;
  const off = m[8]!;
  if (off !== 'Z' && off !== 'z') {
    const sign = off.startsWith('-') ? -1 : 1;
    const oh = Number(off.slice(1, 3));
    const om = Number(off.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    ms -= sign * (oh * 60 + om) * 60_000;
  }
  return ms;
}

/** The rollout filename timestamp form `YYYY-MM-DDThh-mm-ss` (UTC, second precision). */
export function parseFilenameTimestamp(s: string): number | null {
  const m = FILENAME_TS.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (!validDate(y, mo, d, h, mi, sec)) return null;
  return Date.UTC(y, mo - 1, d, h, mi, sec);
}

export const isUuid = (s: string): boolean => UUID.test(s);

/**
 * Accepts `<ts>|<uuid>` (ts in RFC 3339 or filename form) or a bare RFC 3339 timestamp.
 * Anything else is not a cursor (codex: -32600 `invalid cursor: <value>`).
 */
export function parseListCursor(cursor: string): ListCursor | null {
  const bar = cursor.indexOf('|');
  if (bar < 0) {
    const ms = parseRfc3339(cursor);
    return ms === null ? null : { ms, id: null };
  }
  const ts = cursor.slice(0, bar);
  const id = cursor.slice(bar + 1);
  if (!isUuid(id)) return null;
  const ms = parseRfc3339(ts) ?? parseFilenameTimestamp(ts);
  return ms === null ? null : { ms, id: id.toLowerCase() };
}

export const formatNextCursor = (ms: number, id: string): string => `${formatRfc3339Trimmed(ms)}|${id}`;

export const formatBackwardsCursor = (firstMs: number, direction: SortDirection): string =>
  formatRfc3339Millis(direction === 'desc' ? firstMs - 1 : firstMs + 1);
