// Pure: the order in which the list fetches the sub-agent groups of its window's rows.

/**
 * Indexes of `length` rows, those in [first, last] (the viewport) first, then outwards one row at
 * a time on either side: the order in which the families of a window's rows are worth fetching.
 */
export function nearestFirst(length: number, first: number, last: number): number[] {
  const lo = Math.max(0, Math.min(first, length));
  const hi = Math.max(lo - 1, Math.min(last, length - 1));
  const out: number[] = [];
  for (let i = lo; i <= hi; i++) out.push(i);
  for (let d = 1; hi + d < length || lo - d >= 0; d++) {
    if (hi + d < length) out.push(hi + d);
    if (lo - d >= 0) out.push(lo - d);
  }
  return out;
}
