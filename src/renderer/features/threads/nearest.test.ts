// The order in which the list fetches the sub-agent groups of its window's rows: the rows in view
// first, then outwards on both sides, every row exactly once.
import { describe, expect, it } from 'vitest';
import { nearestFirst } from './nearest.ts';

describe('nearestFirst', () => {
  it('lists the viewport, then alternately the next row below and above, until both ends', () => {
    expect(nearestFirst(10, 4, 5)).toEqual([4, 5, 6, 3, 7, 2, 8, 1, 9, 0]);
    expect(nearestFirst(6, 0, 1)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(nearestFirst(6, 4, 5)).toEqual([4, 5, 3, 2, 1, 0]);
  });

  it('covers every row once, whatever the viewport (even one past the rows held)', () => {
    for (const [len, a, b] of [
      [0, 0, 0],
      [1, 0, 0],
      [7, 3, 3],
      [7, 5, 20],
      [7, 9, 12],
      [500, 180, 217],
    ] as const) {
      const out = nearestFirst(len, a, b);
      expect([...out].sort((x, y) => x - y)).toEqual([...Array(len).keys()]);
    }
  });
});
