// formatBytes at the edges of its units and its precision: whole bytes below 1 KiB, binary units
// after, one decimal below 100 of a unit, and TB as the largest unit.
import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes.ts';

const KiB = 1024;
const MiB = KiB * 1024;
const GiB = MiB * 1024;
const TiB = GiB * 1024;

describe('formatBytes', () => {
  it('shows whole bytes below 1 KiB', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1)).toBe('1 B');
    expect(formatBytes(1023)).toBe('1023 B');
  });

  it('switches to the next binary unit at 1024 of the last', () => {
    expect(formatBytes(KiB)).toBe('1.0 KB');
    expect(formatBytes(MiB - 1)).toBe('1024 KB');
    expect(formatBytes(MiB)).toBe('1.0 MB');
    expect(formatBytes(GiB)).toBe('1.0 GB');
    expect(formatBytes(TiB)).toBe('1.0 TB');
  });

  it('keeps one decimal below 100 of a unit and none from 100', () => {
    expect(formatBytes(1.5 * KiB)).toBe('1.5 KB');
    expect(formatBytes(99.9 * MiB)).toBe('99.9 MB');
    expect(formatBytes(100 * MiB)).toBe('100 MB');
    expect(formatBytes(240.6 * GiB)).toBe('241 GB');
  });

  it('stops at TB', () => {
    expect(formatBytes(2048 * TiB)).toBe('2048 TB');
  });
});
