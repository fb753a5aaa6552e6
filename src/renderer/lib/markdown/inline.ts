// Inline Markdown in one pass over a paragraph: code spans, escapes and breaks, autolinks and bare
// URLs, links and images, and emphasis delimiters, which are paired once the pass is done
// (emphasis.ts). The paragraph's pairs (pairs.ts) are found first, so the pass stays linear; only
// the pairing of emphasis is not, and MAX_DELIMITERS bounds it.
import type { Inline, ParseOptions } from './ast.ts';
import { delimiterRun, finish, resolveEmphasis, type Node } from './emphasis.ts';
import { AUTOLINK_RE, BARE_URL_RE, linkTail, trimUrl, unescapeText } from './links.ts';
import { Pairs } from './pairs.ts';

/** Beyond this many emphasis delimiters in one paragraph they stay literal (pairing is quadratic). */
const MAX_DELIMITERS = 1000;
const ESCAPABLE = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

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
        const { canOpen, canClose } = delimiterRun(s, i, n, ch);
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

export function parseInline(s: string, opts: ParseOptions = {}): Inline[] {
  return new InlineParser(s, opts).run();
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
