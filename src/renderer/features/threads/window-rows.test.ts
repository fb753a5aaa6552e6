// The thread window's row arithmetic: merging fresh rows in the list's order within the window's
// range, and choosing which rows to keep around the viewport.
import { describe, expect, it } from 'vitest';
import type { Thread } from '../../../shared/protocol/index.ts';
import { compare, type ListOrder } from './order.ts';
import { mergeRows, trimBounds } from './window-rows.ts';

describe('mergeRows and trimBounds', () => {
  const order: ListOrder = { sortKey: 'created_at', direction: 'desc' };
  const t = (id: string, ms: number, name: string | null = null): Thread =>
    ({ id, createdAt: Math.floor(ms / 1000), updatedAt: 0, recencyAt: 0, name, extra: null }) as unknown as Thread;

  it('upserts by id, re-sorts, and keeps only what falls inside the window', () => {
    const rows = [t('c', 3000), t('b', 2000), t('a', 1000)];
    const merged = mergeRows(rows, [t('d', 4000), t('b', 2000, 'renamed')], order, { first: null, last: rows[2]! });
    expect(merged.map((r) => r.id)).toEqual(['d', 'c', 'b', 'a']);
    expect(merged[2]!.name).toBe('renamed');
    // A row that moved above a window that does not start at the top belongs to rows it does not hold.
    expect(mergeRows(rows, [t('a', 5000)], order, { first: rows[0]!, last: rows[2]! }).map((r) => r.id)).toEqual(['c', 'b']);
    expect(compare(t('x', 1000), t('y', 1000), order)).toBeGreaterThan(0);
  });

  it('keeps the viewport and a margin, spending an unused side on the other', () => {
    expect(trimBounds(300, 0, 10, 500, 100)).toEqual({ from: 0, to: 300 });
    expect(trimBounds(700, 600, 620, 500, 100)).toEqual({ from: 200, to: 700 });
    expect(trimBounds(700, 0, 20, 500, 100)).toEqual({ from: 0, to: 500 });
    const mid = trimBounds(1000, 500, 520, 300, 100);
    expect(mid.to - mid.from).toBeLessThanOrEqual(300);
    expect(mid.from).toBeLessThanOrEqual(400);
    expect(mid.to).toBeGreaterThanOrEqual(621);
  });
});
