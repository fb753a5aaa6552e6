// What a line of Markdown starts, read on its own: a heading, a rule, a quote, a list item, a code
// fence, a blank line (CommonMark's block starts). The block parser asks these while it walks the
// lines; tabs count in 4-column stops where they decide structure.

export const ATX_RE = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
export const HR_RE = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
export const QUOTE_RE = /^ {0,3}> ?/;
const BULLET_RE = /^( {0,3})([-+*])([ \t]+|$)/;
const ORDERED_RE = /^( {0,3})(\d{1,9})([.)])([ \t]+|$)/;
export const SETEXT_RE = /^ {0,3}(=+|-+)[ \t]*$/;
const BLANK_RE = /^[ \t]*$/;

export const isBlank = (line: string): boolean => BLANK_RE.test(line);

/** Expands tabs to 4-column stops (only in leading whitespace, where they decide structure). */
export function expandIndent(line: string): string {
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

export function indentOf(line: string): number {
  let n = 0;
  while (n < line.length && line[n] === ' ') n++;
  return n;
}

export interface ListMarker {
  ordered: boolean;
  bullet: string;
  start: number;
  /** Columns of the item's content (marker, its indent and the spaces after it). */
  contentIndent: number;
  rest: string;
}

export function listMarker(line: string): ListMarker | null {
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

export function fenceOf(line: string): { indent: number; ch: string; len: number; lang: string } | null {
  const m = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(line);
  if (!m) return null;
  const info = m[3]!.trim();
  if (m[2]![0] === '`' && info.includes('`')) return null;
  return { indent: m[1]!.length, ch: m[2]![0]!, len: m[2]!.length, lang: info.split(/\s+/)[0] ?? '' };
}

/** Would this line start a block that interrupts a paragraph? */
export function interruptsParagraph(line: string): boolean {
  if (ATX_RE.test(line) || HR_RE.test(line) || QUOTE_RE.test(line) || fenceOf(line)) return true;
  const lm = listMarker(line);
  // Only a non-empty bullet or an ordered item starting at 1 may interrupt a paragraph.
  return lm !== null && lm.rest.trim() !== '' && (!lm.ordered || lm.start === 1);
}
