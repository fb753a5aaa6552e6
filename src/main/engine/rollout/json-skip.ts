// Decoding a rollout line without its heaviest, unused member. A codex ≥ 0.98 `session_meta`
// carries the model's whole base instructions (~22 kB, two thirds of the bytes the indexer
// decodes); the index needs none of it. The member is cut out of the raw bytes before decoding:
// an unescaped `"key":` byte sequence cannot occur inside a JSON string, so finding one means a
// key, and its value is skipped by jumping from quote to quote rather than byte by byte.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const isSpace = (c: number | undefined): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** Index just past the string whose opening quote is at `i`, or -1 if it does not close. */
function skipString(buf: Buffer, i: number, end: number): number {
  let j = i + 1;
  for (;;) {
    const q = buf.indexOf(QUOTE, j);
    if (q < 0 || q >= end) return -1;
    let slashes = 0;
    for (let k = q - 1; k > i && buf[k] === BACKSLASH; k--) slashes++;
    if (slashes % 2 === 0) return q + 1;
    j = q + 1;
  }
}

/** Index just past the JSON value that starts at `i` (after any whitespace), or -1. */
export function skipValue(buf: Buffer, i: number, end: number): number {
  while (i < end && isSpace(buf[i])) i++;
  if (i >= end) return -1;
  const c = buf[i];
  if (c === QUOTE) return skipString(buf, i, end);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    let j = i;
    while (j < end) {
      const b = buf[j]!;
      if (b === QUOTE) {
        j = skipString(buf, j, end);
        if (j < 0) return -1;
        continue;
      }
      if (b === 0x7b || b === 0x5b) depth++;
      else if (b === 0x7d || b === 0x5d) {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    return -1;
  }
  // number, true, false, null
  let j = i;
  while (j < end && buf[j] !== 0x2c && buf[j] !== 0x7d && buf[j] !== 0x5d && !isSpace(buf[j])) j++;
  return j;
}

/**
 * The line's text with the first `"key": value` member removed (and one adjoining comma), or the
 * whole text when the key is absent or the line is not well-formed around it.
 */
export function textWithout(buf: Buffer, start: number, end: number, key: Buffer): string {
  const rel = buf.subarray(start, end).indexOf(key);
  if (rel < 0) return buf.toString('utf8', start, end);
  const at = start + rel;
  const valueEnd = skipValue(buf, at + key.length, end);
  if (valueEnd < 0) return buf.toString('utf8', start, end);
  let cutFrom = at;
  let cutTo = valueEnd;
  let after = cutTo;
  while (after < end && isSpace(buf[after])) after++;
  if (buf[after] === 0x2c) cutTo = after + 1;
  else {
    let before = cutFrom - 1;
    while (before > start && isSpace(buf[before])) before--;
    if (buf[before] === 0x2c) cutFrom = before;
  }
  return buf.toString('utf8', start, cutFrom) + buf.toString('utf8', cutTo, end);
}
