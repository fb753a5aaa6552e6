// The rows a virtualised list renders around its viewport: a few on both sides at rest, the rows
// ahead of a scroll and one row behind it, and one row on either side while a scroll jumps
// further per step than the rows ahead would reach.
import { describe, expect, it } from 'vitest';
import { overscanAround, RowsAround } from './rows-ahead.ts';

const O = { rest: 3, ahead: 6 };
const range = (startIndex: number, endIndex: number, count = 1000) => ({ startIndex, endIndex, count, overscan: 6 });

describe('overscanAround', () => {
  it('keeps the resting rows on both sides at rest', () => {
    expect(overscanAround(null, 0, 15, O)).toEqual({ before: 3, after: 3 });
    expect(overscanAround(null, 500, 15, O)).toEqual({ before: 3, after: 3 });
  });

  it('renders ahead of a scroll and one row behind it, either way', () => {
    expect(overscanAround('forward', 3, 15, O)).toEqual({ before: 1, after: 6 });
    expect(overscanAround('backward', 3, 15, O)).toEqual({ before: 6, after: 1 });
  });

  it('drops the rows ahead once a step moves past them (they would never be seen)', () => {
    // 15 rows in view, 6 ahead: a step of 21 rows still lands on the last of them, 22 does not.
    expect(overscanAround('forward', 21, 15, O)).toEqual({ before: 1, after: 6 });
    expect(overscanAround('forward', 22, 15, O)).toEqual({ before: 1, after: 1 });
    expect(overscanAround('backward', 33, 15, O)).toEqual({ before: 1, after: 1 });
  });
});

describe('RowsAround', () => {
  it('sizes each range by how far the viewport moved since the last one', () => {
    const r = new RowsAround(O);
    expect(r.indexes(range(100, 114), null)).toEqual(span(97, 117));
    // A slow scroll down: 2 rows a step.
    expect(r.indexes(range(102, 116), 'forward')).toEqual(span(101, 122));
    // A drag: 33 rows a step.
    expect(r.indexes(range(135, 149), 'forward')).toEqual(span(134, 150));
    // Same range again (rows arrived, the viewport did not move): the last step still counts.
    expect(r.indexes(range(135, 149), 'forward')).toEqual(span(134, 150));
    // Slowing down brings the rows ahead back.
    expect(r.indexes(range(137, 151), 'forward')).toEqual(span(136, 157));
    // At rest again: both sides, whatever the last step was.
    expect(r.indexes(range(137, 151), null)).toEqual(span(134, 154));
  });

  it('stays within the list', () => {
    const r = new RowsAround(O);
    expect(r.indexes(range(0, 14, 10), null)).toEqual(span(0, 9));
    expect(r.indexes(range(2, 9, 10), 'backward')).toEqual(span(0, 9));
    expect(r.indexes({ startIndex: 0, endIndex: -1, count: 0, overscan: 6 }, null)).toEqual([]);
  });
});

function span(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
