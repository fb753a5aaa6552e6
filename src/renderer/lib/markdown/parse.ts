// A small Markdown parser for what agents and users write (CommonMark's block structure and GFM's
// tables, task lists, strikethrough and bare links), producing a tree the view renders with React.
// It never produces HTML: raw HTML in the source stays literal text, and links carry their target
// for the view to vet (see `safeHref`). Linear in the input apart from emphasis, whose pairing is
// bounded (`MAX_DELIMITERS`), so a hostile message cannot stall the renderer.

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'code'; v: string }
  | { t: 'em' | 'strong' | 'del'; c: Inline[] }
  | { t: 'link'; href: string; title: string | null; c: Inline[] }
  | { t: 'img'; src: string; alt: string }
  | { t: 'br' };

export type Align = 'left' | 'right' | 'center' | null;

export interface ListItem {
  /** null: not a task item; true/false: `[x]` / `[ ]`. */
  task: boolean | null;
  c: Block[];
}

export type Block =
  | { t: 'p'; c: Inline[] }
  | { t: 'h'; level: number; c: Inline[] }
  | { t: 'code'; lang: string; text: string }
  | { t: 'quote'; c: Block[] }
  | { t: 'list'; ordered: boolean; start: number; tight: boolean; items: ListItem[] }
  | { t: 'table'; align: Align[]; head: Inline[][]; rows: Inline[][][] }
  | { t: 'hr' };

export interface ParseOptions {
  /** A single newline inside a paragraph is a line break (how people type prompts), not a space. */
  breaks?: boolean;
}

/** Beyond this many emphasis delimiters in one paragraph they stay literal (pairing is quadratic). */
const MAX_DELIMITERS = 1000;
/** Nesting of quotes and lists deeper than this is flattened into paragraphs. */
const MAX_DEPTH = 24;

const ATX_RE = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const HR_RE = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const QUOTE_RE = /^ {0,3}> ?/;
const BULLET_RE = /^( {0,3})([-+*])([ \t]+|$)/;
const ORDERED_RE = /^( {0,3})(\d{1,9})([.)])([ \t]+|$)/;
const SETEXT_RE = /^ {0,3}(=+|-+)[ \t]*$/;
const TABLE_DELIM_RE = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const BLANK_RE = /^[ \t]*$/;

const isBlank = (line: string): boolean => BLANK_RE.test(line);

/** Expands tabs to 4-column stops (only in leading whitespace, where they decide structure). */
function expandIndent(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  let col = 0;
  let i = 0;
  for (; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\t') {
      const n = 4 - (col % 4);
      out += ' '.repeat(n);
      col += n;
    } else if (ch === ' ') {
      out += ' ';
      col++;
    } else break;
  }
  return out + line.slice(i);
}

function indentOf(line: string): number {
  let n = 0;
  while (n < line.length && line[n] === ' ') n++;
  return n;
}

interface ListMarker {
  ordered: boolean;
  bullet: string;
  start: number;
  /** Columns of the item's content (marker, its indent and the spaces after it). */
  contentIndent: number;
  rest: string;
}

function listMarker(line: string): ListMarker | null {
  let m = BULLET_RE.exec(line);
  if (m) {
    const pad = m[3]!.length;
    const spaces = pad === 0 || pad > 4 ? 1 : pad;
    return {
      ordered: false,
      bullet: m[2]!,
      start: 1,
      contentIndent: m[1]!.length + 1 + spaces,
      rest: line.slice(m[1]!.length + 1 + (pad > 4 ? 1 : pad)),
    };
  }
  m = ORDERED_RE.exec(line);
  if (m) {
    const pad = m[4]!.length;
    const spaces = pad === 0 || pad > 4 ? 1 : pad;
    const markerLen = m[2]!.length + 1;
    return {
      ordered: true,
      bullet: m[3]!,
      start: Number(m[2]),
      contentIndent: m[1]!.length + markerLen + spaces,
      rest: line.slice(m[1]!.length + markerLen + (pad > 4 ? 1 : pad)),
    };
  }
  return null;
}

function fenceOf(line: string): { indent: number; ch: string; len: number; lang: string } | null {
  const m = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(line);
  if (!m) return null;
  const info = m[3]!.trim();
  if (m[2]![0] === '`' && info.includes('`')) return null;
  return { indent: m[1]!.length, ch: m[2]![0]!, len: m[2]!.length, lang: info.split(/\s+/)[0] ?? '' };
}

/** Would this line start a block that interrupts a paragraph? */
function interruptsParagraph(line: string): boolean {
  if (ATX_RE.test(line) || HR_RE.test(line) || QUOTE_RE.test(line) || fenceOf(line)) return true;
  const lm = listMarker(line);
  // Only a non-empty bullet or an ordered item starting at 1 may interrupt a paragraph.
  return lm !== null && lm.rest.trim() !== '' && (!lm.ordered || lm.start === 1);
}

function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = '';
  let inCode = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (ch === '`') {
      let n = 1;
      while (s[i + n] === '`') n++;
      inCode = inCode === 0 ? n : inCode === n ? 0 : inCode;
      cur += s.slice(i, i + n);
      i += n - 1;
    } else if (ch === '|' && inCode === 0) {
      cells.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

class BlockParser {
  private readonly opts: ParseOptions;
  constructor(opts: ParseOptions) {
    this.opts = opts;
  }

  parse(lines: string[], depth: number): Block[] {
    const out: Block[] = [];
    let i = 0;
    while (i < lines.length) {
      const raw = lines[i]!;
      const line = expandIndent(raw);
      if (isBlank(line)) {
        i++;
        continue;
      }
      // Indented code (not inside a paragraph: paragraphs consume their continuation lines).
      if (indentOf(line) >= 4) {
        const body: string[] = [];
        while (i < lines.length) {
          const l = expandIndent(lines[i]!);
          if (isBlank(l)) body.push('');
          else if (indentOf(l) >= 4) body.push(l.slice(4));
          else break;
          i++;
        }
        while (body.length > 0 && body[body.length - 1] === '') body.pop();
        out.push({ t: 'code', lang: '', text: body.join('\n') });
        continue;
      }
      const fence = fenceOf(line);
      if (fence) {
        const body: string[] = [];
        i++;
        while (i < lines.length) {
          const l = expandIndent(lines[i]!);
          const close = new RegExp(`^ {0,3}${fence.ch === '`' ? '`' : '~'}{${fence.len},}[ \\t]*$`);
          if (close.test(l)) {
            i++;
            break;
          }
          let strip = 0;
          while (strip < fence.indent && l[strip] === ' ') strip++;
          body.push(l.slice(strip));
          i++;
        }
        out.push({ t: 'code', lang: fence.lang.toLowerCase(), text: body.join('\n') });
        continue;
      }
      const atx = ATX_RE.exec(line);
      if (atx) {
        out.push({ t: 'h', level: atx[1]!.length, c: parseInline(atx[2] ?? '', this.opts) });
        i++;
        continue;
      }
      if (HR_RE.test(line)) {
        out.push({ t: 'hr' });
        i++;
        continue;
      }
      if (QUOTE_RE.test(line)) {
        const body: string[] = [];
        while (i < lines.length) {
          const l = expandIndent(lines[i]!);
          if (QUOTE_RE.test(l)) body.push(l.replace(QUOTE_RE, ''));
          else if (!isBlank(l) && body.length > 0 && !isBlank(body[body.length - 1]!) && !interruptsParagraph(l))
            body.push(l); // lazy continuation
          else break;
          i++;
        }
        out.push(
          depth >= MAX_DEPTH ? { t: 'p', c: parseInline(body.join('\n'), this.opts) } : { t: 'quote', c: this.parse(body, depth + 1) },
        );
        continue;
      }
      const lm = listMarker(line);
      if (lm) {
        i = this.list(lines, i, lm, depth, out);
        continue;
      }
      // A table: a header row and a delimiter row with as many cells.
      if (line.includes('|') && i + 1 < lines.length && TABLE_DELIM_RE.test(lines[i + 1]!)) {
        const head = splitRow(line);
        const delims = splitRow(lines[i + 1]!);
        if (head.length === delims.length) {
          const align: Align[] = delims.map((d) =>
            d.startsWith(':') && d.endsWith(':') ? 'center' : d.endsWith(':') ? 'right' : d.startsWith(':') ? 'left' : null,
          );
          const rows: Inline[][][] = [];
          i += 2;
          while (i < lines.length && !isBlank(lines[i]!) && lines[i]!.includes('|') && !interruptsParagraph(expandIndent(lines[i]!))) {
            const cells = splitRow(lines[i]!);
            rows.push(head.map((_, k) => parseInline(cells[k] ?? '', this.opts)));
            i++;
          }
          out.push({ t: 'table', align, head: head.map((h) => parseInline(h, this.opts)), rows });
          continue;
        }
      }
      // A paragraph, possibly turned into a setext heading by an underline.
      const para: string[] = [line.replace(/^ {0,3}/, '')];
      i++;
      let heading = 0;
      while (i < lines.length) {
        const l = expandIndent(lines[i]!);
        if (isBlank(l)) break;
        const setext = SETEXT_RE.exec(l);
        if (setext) {
          heading = setext[1]![0] === '=' ? 1 : 2;
          i++;
          break;
        }
        if (interruptsParagraph(l)) break;
        para.push(l.replace(/^[ \t]+/, ''));
        i++;
      }
      const text = para.join('\n');
      out.push(
        heading > 0
          ? { t: 'h', level: heading, c: parseInline(text.trim(), this.opts) }
          : { t: 'p', c: parseInline(text.replace(/[ \t]+$/, ''), this.opts) },
      );
    }
    return out;
  }

  private list(lines: string[], from: number, first: ListMarker, depth: number, out: Block[]): number {
    const items: ListItem[] = [];
    let tight = true;
    let i = from;
    let marker: ListMarker | null = first;
    while (marker) {
      const body: string[] = [marker.rest];
      const indent = marker.contentIndent;
      i++;
      let sawBlank = false;
      while (i < lines.length) {
        const l = expandIndent(lines[i]!);
        if (isBlank(l)) {
          body.push('');
          sawBlank = true;
          i++;
          continue;
        }
        if (indentOf(l) >= indent) {
          body.push(l.slice(indent));
          if (sawBlank) tight = false;
          sawBlank = false;
          i++;
          continue;
        }
        // Lazy continuation of the item's last paragraph.
        if (!sawBlank && !interruptsParagraph(l) && listMarker(l) === null) {
          body.push(l.trimStart());
          i++;
          continue;
        }
        break;
      }
      // Blank lines at the end of an item separate it from the next one.
      let trailingBlank = false;
      while (body.length > 0 && body[body.length - 1] === '') {
        body.pop();
        trailingBlank = true;
      }
      let task: boolean | null = null;
      const tm = /^\[([ xX])\](?:[ \t]+|$)/.exec(body[0] ?? '');
      if (tm) {
        task = tm[1] !== ' ';
        body[0] = body[0]!.slice(tm[0].length);
      }
      items.push({ task, c: depth >= MAX_DEPTH ? [{ t: 'p', c: parseInline(body.join('\n'), this.opts) }] : this.parse(body, depth + 1) });
      const next = i < lines.length ? listMarker(expandIndent(lines[i]!)) : null;
      if (next && next.ordered === first.ordered && next.bullet === first.bullet && !HR_RE.test(expandIndent(lines[i]!))) {
        if (trailingBlank) tight = false;
        marker = next;
      } else marker = null;
    }
    out.push({ t: 'list', ordered: first.ordered, start: first.start, tight, items });
    return i;
  }
}

// ---------------------------------------------------------------------------------------------
// inlines

type Node = Inline | Delim;
interface Delim {
  t: 'delim';
  ch: '*' | '_' | '~';
  n: number;
  canOpen: boolean;
  canClose: boolean;
}

const PUNCT_RE = /[!-/:-@[-`{-~\p{P}\p{S}]/u;
const WS_RE = /\s/u;
const ESCAPABLE = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const BARE_URL_RE = /(?:https?:\/\/|www\.)[^\s<>`"]+/y;
const AUTOLINK_RE =
  /<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*|[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)>/y;

/** Trailing punctuation that ends a bare URL rather than belonging to it (GFM's rule, simplified). */
function trimUrl(url: string): string {
  let u = url;
  for (;;) {
    const last = u[u.length - 1];
    if (last && '?!.,:*_~\'"'.includes(last)) u = u.slice(0, -1);
    else if (last === ')' && (u.match(/\(/g)?.length ?? 0) < (u.match(/\)/g)?.length ?? 0)) u = u.slice(0, -1);
    else break;
  }
  return u;
}

/**
 * The structure of backtick runs and brackets in a paragraph, found in one pass so that looking up
 * a code span's end or a bracket's partner costs nothing (a naive scan per `[` or per backtick run
 * is quadratic on input like `[[[[…`).
 */
class Pairs {
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

/** Link destinations and titles longer than this are not links (bounds the work per `](`). */
const MAX_LINK_TAIL = 16 * 1024;

/** `(dest "title")` at `at`: the destination, the title and where it ends, or null. */
function linkTail(s: string, at: number, pairs: Pairs): { href: string; title: string | null; end: number } | null {
  if (s[at] !== '(') return null;
  const limit = Math.min(s.length, at + MAX_LINK_TAIL);
  let i = at + 1;
  while (i < limit && /[ \t\n]/.test(s[i]!)) i++;
  let href: string;
  if (s[i] === '<') {
    const close = pairs.indexOf('>', i);
    if (close < 0 || close >= limit) return null;
    href = s.slice(i + 1, close);
    i = close + 1;
  } else {
    // Up to whitespace or an unbalanced `)`; balanced parentheses are skipped whole.
    const startAt = i;
    while (i < limit) {
      i = pairs.nextStop(i);
      if (i >= limit) return null;
      const ch = s[i]!;
      if (ch === '\\') i += 2;
      else if (ch === '(') {
        const close = pairs.parenEnd(i);
        if (close < 0) return null;
        i = close + 1;
      } else break;
    }
    href = s.slice(startAt, i);
  }
  while (i < limit && /[ \t\n]/.test(s[i]!)) i++;
  let title: string | null = null;
  const q = s[i];
  if (q === '"' || q === "'" || q === '(') {
    const close = pairs.indexOf(q === '(' ? ')' : q, i + 1);
    if (close < 0 || close >= limit) return null;
    title = s.slice(i + 1, close);
    i = close + 1;
    while (i < limit && /[ \t\n]/.test(s[i]!)) i++;
  }
  if (s[i] !== ')') return null;
  return { href: unescapeText(href), title: title === null ? null : unescapeText(title), end: i + 1 };
}

function unescapeText(s: string): string {
  return s.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

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

class InlineParser {
  private readonly s: string;
  private readonly opts: ParseOptions;
  private readonly nodes: Node[] = [];
  private text = '';
  private delims = 0;
  private readonly pairs: Pairs;

  constructor(s: string, opts: ParseOptions) {
    this.s = s;
    this.opts = opts;
    this.pairs = new Pairs(s);
  }

  private flush(): void {
    if (this.text !== '') {
      this.nodes.push({ t: 'text', v: this.text });
      this.text = '';
    }
  }

  private push(n: Node): void {
    this.flush();
    this.nodes.push(n);
  }

  run(): Inline[] {
    const s = this.s;
    let i = 0;
    while (i < s.length) {
      const ch = s[i]!;
      if (ch === '\\') {
        const next = s[i + 1];
        if (next === '\n') {
          this.push({ t: 'br' });
          i += 2;
          continue;
        }
        if (next !== undefined && ESCAPABLE.includes(next)) {
          this.text += next;
          i += 2;
          continue;
        }
        this.text += ch;
        i++;
        continue;
      }
      if (ch === '\n') {
        // Two trailing spaces make a hard break; otherwise a soft one.
        const hard = this.text.endsWith('  ') || this.opts.breaks === true;
        let end = this.text.length;
        while (end > 0 && this.text.charCodeAt(end - 1) === 32) end--;
        if (end < this.text.length) this.text = this.text.slice(0, end);
        if (hard) this.push({ t: 'br' });
        else this.text += '\n';
        i++;
        while (s[i] === ' ') i++;
        continue;
      }
      if (ch === '`') {
        let n = 1;
        while (s[i + n] === '`') n++;
        const end = this.pairs.codeEnd(i);
        if (end < 0) {
          this.text += '`'.repeat(n);
          i += n;
          continue;
        }
        let code = s.slice(i + n, end).replace(/\n/g, ' ');
        if (code.length >= 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1);
        this.push({ t: 'code', v: code });
        i = end + n;
        continue;
      }
      if (ch === '<') {
        AUTOLINK_RE.lastIndex = i;
        const m = AUTOLINK_RE.exec(s);
        if (m) {
          const target = m[1]!;
          const href = target.includes(':') && !/^[^:]+@/.test(target) ? target : `mailto:${target}`;
          this.push({ t: 'link', href, title: null, c: [{ t: 'text', v: target }] });
          i += m[0].length;
          continue;
        }
        this.text += ch;
        i++;
        continue;
      }
      if (ch === '!' && s[i + 1] === '[') {
        const close = this.pairs.bracketEnd(i + 1);
        const tail = close >= 0 ? linkTail(s, close + 1, this.pairs) : null;
        if (tail) {
          this.push({ t: 'img', src: tail.href, alt: unescapeText(s.slice(i + 2, close)) });
          i = tail.end;
          continue;
        }
      }
      if (ch === '[') {
        const close = this.pairs.bracketEnd(i);
        const tail = close >= 0 ? linkTail(s, close + 1, this.pairs) : null;
        if (tail) {
          const inner = parseInline(s.slice(i + 1, close), this.opts);
          this.push({ t: 'link', href: tail.href, title: tail.title, c: inner });
          i = tail.end;
          continue;
        }
      }
      if ((ch === 'h' || ch === 'w') && (i === 0 || /[\s(*_~]/.test(s[i - 1]!))) {
        BARE_URL_RE.lastIndex = i;
        const m = BARE_URL_RE.exec(s);
        if (m) {
          const url = trimUrl(m[0]);
          if (url.length > (url.startsWith('www.') ? 4 : 8)) {
            this.push({ t: 'link', href: url.startsWith('www.') ? `https://${url}` : url, title: null, c: [{ t: 'text', v: url }] });
            i += url.length;
            continue;
          }
        }
      }
      if (ch === '*' || ch === '_' || ch === '~') {
        let n = 1;
        while (s[i + n] === ch) n++;
        if (ch === '~' && n > 2) {
          this.text += s.slice(i, i + n);
          i += n;
          continue;
        }
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
        if ((canOpen || canClose) && this.delims < MAX_DELIMITERS) {
          this.delims++;
          this.push({ t: 'delim', ch, n, canOpen, canClose });
        } else this.text += s.slice(i, i + n);
        i += n;
        continue;
      }
      // Plain run: everything up to the next character that may start something.
      let j = i + 1;
      while (j < s.length && !'\\\n`<![*_~hw'.includes(s[j]!)) j++;
      this.text += s.slice(i, j);
      i = j;
    }
    this.flush();
    return finish(resolveEmphasis(this.nodes));
  }
}

/** CommonMark's delimiter pairing (rule of three included), for `*`, `_` and GFM's `~`/`~~`. */
function resolveEmphasis(nodes: Node[]): Node[] {
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
function finish(nodes: Node[]): Inline[] {
  const out: Inline[] = [];
  for (const n of nodes) {
    const v: Inline = n.t === 'delim' ? { t: 'text', v: n.ch.repeat(n.n) } : n;
    const last = out[out.length - 1];
    if (v.t === 'text' && last?.t === 'text') out[out.length - 1] = { t: 'text', v: last.v + v.v };
    else out.push(v);
  }
  return out;
}

export function parseInline(s: string, opts: ParseOptions = {}): Inline[] {
  return new InlineParser(s, opts).run();
}

export function parseMarkdown(source: string, opts: ParseOptions = {}): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  return new BlockParser(opts).parse(lines, 0);
}

const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/**
 * The URL a link may open, or null: only absolute http(s) and mailto targets (never javascript:,
 * data:, file: or app-relative ones, which would navigate or run inside the app).
 */
export function safeHref(href: string): string | null {
  const h = href.trim();
  if (!/^(?:https?:\/\/|mailto:)/i.test(h)) return null;
  try {
    const u = new URL(h);
    return SAFE_SCHEMES.has(u.protocol) ? u.toString() : null;
  } catch {
    return null;
  }
}

/** The plain text of inlines (for titles, alt texts and tests). */
export function inlineText(nodes: readonly Inline[]): string {
  let out = '';
  for (const n of nodes) {
    if (n.t === 'text' || n.t === 'code') out += n.v;
    else if (n.t === 'br') out += '\n';
    else if (n.t === 'img') out += n.alt;
    else out += inlineText(n.c);
  }
  return out;
}
