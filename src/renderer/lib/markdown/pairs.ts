// Where the things that pair up in a paragraph close: code spans, brackets and a link
// destination's parentheses, found in one pass before inline parsing so that every later look-up
// is constant time and hostile input stays linear.

/**
 * The structure of backtick runs and brackets in a paragraph, found in one pass so that looking up
 * a code span's end or a bracket's partner costs nothing (a naive scan per `[` or per backtick run
 * is quadratic on input like `[[[[…`).
 */
export class Pairs {
  /** For the start of each backtick run: the start of the next run of the same length, or -1. */
  private readonly nextRun = new Map<number, number>();
  private readonly runLen = new Map<number, number>();
  /** For each `[`: its `]`, or -1. */
  private readonly close = new Map<number, number>();
  /** For each `(`: its `)` when no whitespace comes between (a link destination's parentheses). */
  private readonly parens = new Map<number, number>();
  /** From each position, the next whitespace, parenthesis or backslash (a destination's stops). */
  private readonly stops: Int32Array;
  private readonly found = new Map<string, { from: number; at: number }>();
  private readonly s: string;

  constructor(s: string) {
    this.s = s;
    const runs: [number, number][] = [];
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '\\') i++;
      else if (s[i] === '`') {
        let n = 1;
        while (s[i + n] === '`') n++;
        runs.push([i, n]);
        i += n - 1;
      }
    }
    const seen = new Map<number, number>();
    for (let k = runs.length - 1; k >= 0; k--) {
      const [at, n] = runs[k]!;
      this.runLen.set(at, n);
      this.nextRun.set(at, seen.get(n) ?? -1);
      seen.set(n, at);
    }
    const stack: number[] = [];
    for (let i = 0; i < s.length; i++) {
      const ch = s[i];
      if (ch === '\\') i++;
      else if (ch === '`') {
        const n = this.runLen.get(i) ?? 1;
        const end = this.codeEnd(i);
        i = end >= 0 ? end + n - 1 : i + n - 1;
      } else if (ch === '[') stack.push(i);
      else if (ch === ']') {
        const open = stack.pop();
        if (open !== undefined) this.close.set(open, i);
      }
    }
    const parenStack: number[] = [];
    for (let i = 0; i < s.length; i++) {
      const ch = s[i]!;
      if (ch === '\\') i++;
      else if (ch === '(') parenStack.push(i);
      else if (ch === ')') {
        const open = parenStack.pop();
        if (open !== undefined) this.parens.set(open, i);
      } else if (ch === ' ' || ch === '\t' || ch === '\n') parenStack.length = 0;
    }
    this.stops = new Int32Array(s.length + 1);
    let next = s.length;
    this.stops[s.length] = next;
    for (let i = s.length - 1; i >= 0; i--) {
      const ch = s[i]!;
      if (ch === '(' || ch === ')' || ch === '\\' || /\s/.test(ch)) next = i;
      this.stops[i] = next;
    }
  }

  nextStop(at: number): number {
    return at >= this.s.length ? this.s.length : this.stops[at]!;
  }

  parenEnd(at: number): number {
    return this.parens.get(at) ?? -1;
  }

  /** `s.indexOf(ch, from)`, remembered, so that repeated failing searches do not rescan the rest. */
  indexOf(ch: string, from: number): number {
    const last = this.found.get(ch);
    if (last && from >= last.from && (last.at < 0 || last.at >= from)) return last.at;
    const at = this.s.indexOf(ch, from);
    this.found.set(ch, { from, at });
    return at;
  }

  /** Where the code span opened by the backtick run at `at` closes, or -1. */
  codeEnd(at: number): number {
    return this.nextRun.get(at) ?? -1;
  }

  bracketEnd(at: number): number {
    return this.close.get(at) ?? -1;
  }
}
