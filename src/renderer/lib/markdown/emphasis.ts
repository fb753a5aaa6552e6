// Emphasis, strong emphasis and GFM strikethrough: which runs of `*`, `_` and `~` may open or close
// (the flanking rules), and how openers and closers pair up once a paragraph's delimiters are known.
import type { Inline } from './ast.ts';

export type Node = Inline | Delim;
export interface Delim {
  t: 'delim';
  ch: '*' | '_' | '~';
  n: number;
  canOpen: boolean;
  canClose: boolean;
}

const PUNCT_RE = /[!-/:-@[-`{-~\p{P}\p{S}]/u;
const WS_RE = /\s/u;

function charBefore(s: string, i: number): string {
  if (i <= 0) return ' ';
  const c = s.codePointAt(i - 1)!;
  // A low surrogate: take the whole code point.
  if (c >= 0xdc00 && c <= 0xdfff && i >= 2) return String.fromCodePoint(s.codePointAt(i - 2)!);
  return s[i - 1]!;
}
function charAt(s: string, i: number): string {
  if (i >= s.length) return ' ';
  return String.fromCodePoint(s.codePointAt(i)!);
}

/**
 * Whether the run of `n` delimiters `ch` at `i` can open and close emphasis: CommonMark's flanking
 * rules, with `_` stricter inside words.
 */
export function delimiterRun(s: string, i: number, n: number, ch: Delim['ch']): { canOpen: boolean; canClose: boolean } {
  const before = charBefore(s, i);
  const after = charAt(s, i + n);
  const leftFlanking = !WS_RE.test(after) && (!PUNCT_RE.test(after) || WS_RE.test(before) || PUNCT_RE.test(before));
  const rightFlanking = !WS_RE.test(before) && (!PUNCT_RE.test(before) || WS_RE.test(after) || PUNCT_RE.test(after));
  let canOpen = leftFlanking;
  let canClose = rightFlanking;
  if (ch === '_') {
    canOpen = leftFlanking && (!rightFlanking || PUNCT_RE.test(before));
    canClose = rightFlanking && (!leftFlanking || PUNCT_RE.test(after));
  }
  return { canOpen, canClose };
}

/** CommonMark's delimiter pairing (rule of three included), for `*`, `_` and GFM's `~`/`~~`. */
export function resolveEmphasis(nodes: Node[]): Node[] {
  const list = nodes.slice();
  for (let closer = 0; closer < list.length; closer++) {
    const c = list[closer]!;
    if (c.t !== 'delim' || !c.canClose) continue;
    let opener = closer - 1;
    for (; opener >= 0; opener--) {
      const o = list[opener]!;
      if (o.t !== 'delim' || o.ch !== c.ch || !o.canOpen) continue;
      if (c.ch === '~') {
        if (o.n === c.n) break;
        continue;
      }
      if ((o.canClose || c.canOpen) && (o.n + c.n) % 3 === 0 && (o.n % 3 !== 0 || c.n % 3 !== 0)) continue;
      break;
    }
    if (opener < 0) continue;
    const o = list[opener] as Delim;
    const use = c.ch === '~' ? c.n : o.n >= 2 && c.n >= 2 ? 2 : 1;
    const inner = finish(list.slice(opener + 1, closer));
    const wrapped: Inline = { t: c.ch === '~' ? 'del' : use === 2 ? 'strong' : 'em', c: inner };
    const replacement: Node[] = [];
    if (o.n > use) replacement.push({ ...o, n: o.n - use });
    replacement.push(wrapped);
    const closerLeft = c.n - use;
    if (closerLeft > 0) replacement.push({ ...c, n: closerLeft });
    list.splice(opener, closer - opener + 1, ...replacement);
    // Continue after the wrapped node; a closer with delimiters left is examined again.
    closer = opener + (o.n > use ? 1 : 0);
  }
  return list;
}

/** Remaining delimiters become text; adjacent texts merge. */
export function finish(nodes: Node[]): Inline[] {
  const out: Inline[] = [];
  for (const n of nodes) {
    const v: Inline = n.t === 'delim' ? { t: 'text', v: n.ch.repeat(n.n) } : n;
    const last = out[out.length - 1];
    if (v.t === 'text' && last?.t === 'text') out[out.length - 1] = { t: 'text', v: last.v + v.v };
    else out.push(v);
  }
  return out;
}
