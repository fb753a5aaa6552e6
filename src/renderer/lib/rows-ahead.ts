// Which rows a virtualised list renders around its viewport. Rows beyond the viewport are there so
// that a scroll the compositor runs ahead of the page finds them painted; they pay off only where
// the scroll is going, and only if it will reach them. So at rest the list keeps a few rows on
// either side (enough for the first frames of a wheel or key scroll, before the page renders the
// rows ahead; every row kept costs its mount and unmount whenever the rows in view change, as when
// new threads arrive at the top); while scrolling, `ahead` rows ahead and one behind; and while a
// scroll moves further per update than the rows ahead would cover (a scrollbar drag through a long
// list), one row on either side — rendering rows the next update skips over is work for nothing,
// done at the moment the frame budget is tightest.
import type { Range } from '@tanstack/react-virtual';

export type ScrollDirection = 'forward' | 'backward' | null;

/** How many rows beyond the viewport: on each side at rest, and ahead of a scroll. */
export interface Overscan {
  rest: number;
  ahead: number;
}

/** Rows rendered beyond the viewport on each side. */
export function overscanAround(
  direction: ScrollDirection,
  movedRows: number,
  visibleRows: number,
  overscan: Overscan,
): { before: number; after: number } {
  if (direction === null) return { before: overscan.rest, after: overscan.rest };
  // The rows ahead are seen only if the next step lands before their end.
  const ahead = movedRows > visibleRows + overscan.ahead ? 1 : overscan.ahead;
  return direction === 'forward' ? { before: 1, after: ahead } : { before: ahead, after: 1 };
}

/**
 * A `rangeExtractor` for `useVirtualizer` that sizes its overscan by the scroll: give it the
 * virtualizer's current direction (null when not scrolling) on each call. It remembers how far the
 * viewport moved at its last step.
 */
export class RowsAround {
  private lastStart = -1;
  private moved = 0;
  private readonly overscan: Overscan;

  constructor(overscan: Overscan) {
    this.overscan = overscan;
  }

  indexes(range: Range, direction: ScrollDirection): number[] {
    if (this.lastStart >= 0 && range.startIndex !== this.lastStart) this.moved = Math.abs(range.startIndex - this.lastStart);
    this.lastStart = range.startIndex;
    if (direction === null) this.moved = 0;
    const visible = range.endIndex - range.startIndex + 1;
    const { before, after } = overscanAround(direction, this.moved, visible, this.overscan);
    const start = Math.max(0, range.startIndex - before);
    const end = Math.min(range.count - 1, range.endIndex + after);
    const out: number[] = [];
    for (let i = start; i <= end; i++) out.push(i);
    return out;
  }
}
