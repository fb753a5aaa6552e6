// CommonMark's block structure over a message's lines: paragraphs (and setext headings), ATX
// headings, rules, indented and fenced code, quotes with lazy continuation, bullet, ordered and task
// lists (tight or loose), and GFM tables (table.ts). Quotes and lists nest by parsing their bodies
// again, flattened past MAX_DEPTH so hostile input cannot recurse without bound.
import type { Block, ListItem, ParseOptions } from './ast.ts';
import {
  ATX_RE,
  expandIndent,
  fenceOf,
  HR_RE,
  indentOf,
  interruptsParagraph,
  isBlank,
  listMarker,
  QUOTE_RE,
  SETEXT_RE,
  type ListMarker,
} from './block-lines.ts';
import { parseInline } from './inline.ts';
import { parseTable } from './table.ts';

/** Nesting of quotes and lists deeper than this is flattened into paragraphs. */
const MAX_DEPTH = 24;

export class BlockParser {
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
      const table = parseTable(lines, i, line, this.opts);
      if (table) {
        out.push(table.block);
        i = table.next;
        continue;
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
