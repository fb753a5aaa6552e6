import { describe, expect, it } from 'vitest';
import { clampLimit, formatBackwardsCursor, formatNextCursor, formatRfc3339Trimmed, parseListCursor, parseRfc3339 } from './list.ts';

describe('list cursors', () => {
  it('writes next cursors the way codex does (trimmed fraction, Z)', () => {
    const id = '681f2b53-0000-7000-8000-000000000001';
    expect(formatNextCursor(Date.UTC(2025, 0, 1, 13, 0, 0), id)).toBe(`2025-01-01T13:00:00Z|${id}`);
    expect(formatRfc3339Trimmed(Date.UTC(2025, 7, 1, 10, 0, 0, 900))).toBe('2025-08-01T10:00:00.9Z');
    expect(formatRfc3339Trimmed(Date.UTC(2025, 7, 1, 10, 0, 0, 456))).toBe('2025-08-01T10:00:00.456Z');
    expect(formatRfc3339Trimmed(Date.UTC(2026, 10, 21, 6, 20, 20, 378))).toBe('2026-11-21T06:20:20.378Z');
  });

  it('writes backwards cursors one millisecond outside the first row, always with 3 digits', () => {
    expect(formatBackwardsCursor(Date.UTC(2025, 1, 3), 'desc')).toBe('2025-02-02T23:59:59.999Z');
    expect(formatBackwardsCursor(Date.UTC(2025, 1, 3), 'asc')).toBe('2025-02-03T00:00:00.001Z');
  });

  it('accepts RFC 3339 with any offset and fraction, and the filename form', () => {
    const id = 'E81B0000-0000-7000-8000-000000000002';
    expect(parseListCursor(`2025-01-02T12:00:00Z|${id}`)).toEqual({ ms: Date.UTC(2025, 0, 2, 12), id: id.toLowerCase() });
    expect(parseListCursor(`2025-01-02T14:00:00.5+02:00|${id}`)).toEqual({ ms: Date.UTC(2025, 0, 2, 12, 0, 0, 500), id: id.toLowerCase() });
    expect(parseListCursor(`2025-03-04T09-00-00|${id}`)).toEqual({ ms: Date.UTC(2025, 2, 4, 9), id: id.toLowerCase() });
    expect(parseListCursor('2025-02-02T23:59:59.999Z')).toEqual({ ms: Date.UTC(2025, 1, 2, 23, 59, 59, 999), id: null });
    expect(parseRfc3339('2025-01-02T12:00:00.123456789Z')).toBe(Date.UTC(2025, 0, 2, 12, 0, 0, 123));
  });

  it('rejects what codex rejects', () => {
    for (const bad of [
      'not-a-cursor',
      '1735732800',
      '2025-13-01T00:00:00Z',
      '2025-02-30T00:00:00Z',
      '2025-01-01T00:00:00Z|not-a-uuid',
      '',
      '|',
      '2025-01-01 00:00:00Z',
    ]) {
      expect(parseListCursor(bad), bad).toBeNull();
    }
  });

  it('clamps limits to 1..100 with a default of 25', () => {
    expect(clampLimit(undefined)).toBe(25);
    expect(clampLimit(null)).toBe(25);
    expect(clampLimit(0)).toBe(1);
    expect(clampLimit(500)).toBe(100);
    expect(clampLimit(42)).toBe(42);
  });
});
