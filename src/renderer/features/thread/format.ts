// Display helpers of the thread view.
import { Lru } from '../../lib/lru.ts';
export { durationText } from './export/formats.ts';

// Intl formatters are costly to make: one each, made once (toLocale*String makes one per call).
const CLOCK = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const DAY = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const DAY_YEAR = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
const THIS_YEAR = new Date().getFullYear();

// Formatting a date costs about a millisecond even with a reused formatter: remember the results.
const clocks = new Lru<number, string>(2000);
export const clockTime = (sec: number): string => clocks.get(sec, () => CLOCK.format(sec * 1000));

export const dateTime = (ms: number): string => DATE_TIME.format(ms);

const FULL = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });
const fulls = new Lru<number, string>(2000);
export const fullDateTime = (ms: number): string => fulls.get(ms, () => FULL.format(ms));

const INT = new Intl.NumberFormat();
export const formatInt = (n: number): string => INT.format(n);

const dayCache = new Map<number, string>();

/** "Mon, 12 Jan" for a day separator, with the year when it is not this year's. */
export function dayLabel(sec: number): string {
  const d = new Date(sec * 1000);
  const key = d.getFullYear() * 10_000 + d.getMonth() * 100 + d.getDate();
  let label = dayCache.get(key);
  if (label === undefined) {
    label = (d.getFullYear() === THIS_YEAR ? DAY : DAY_YEAR).format(d);
    if (dayCache.size > 10_000) dayCache.clear();
    dayCache.set(key, label);
  }
  return label;
}

export function compactCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)}M`;
}

export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const obj = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
