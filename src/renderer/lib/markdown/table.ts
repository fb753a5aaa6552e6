// GFM tables: a header row, a delimiter row with as many cells (its colons give each column's
// alignment), then body rows up to a blank line or the start of another block. Pipes inside code
// spans and escaped ones stay in their cell.
import type { Align, Block, Inline, ParseOptions } from './ast.ts';
import { expandIndent, interruptsParagraph, isBlank } from './block-lines.ts';
import { parseInline } from './inline.ts';

const TABLE_DELIM_RE = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

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

/** The table whose header row is `lines[i]`, and the index of the line after it, or null: no table starts here. */
export function parseTable(lines: string[], i: number, line: string, opts: ParseOptions): { block: Block; next: number } | null {
  if (!(line.includes('|') && i + 1 < lines.length && TABLE_DELIM_RE.test(lines[i + 1]!))) return null;
  const head = splitRow(line);
  const delims = splitRow(lines[i + 1]!);
  if (head.length !== delims.length) return null;
  const align: Align[] = delims.map((d) =>
    d.startsWith(':') && d.endsWith(':') ? 'center' : d.endsWith(':') ? 'right' : d.startsWith(':') ? 'left' : null,
  );
  const rows: Inline[][][] = [];
  i += 2;
  while (i < lines.length && !isBlank(lines[i]!) && lines[i]!.includes('|') && !interruptsParagraph(expandIndent(lines[i]!))) {
    const cells = splitRow(lines[i]!);
    rows.push(head.map((_, k) => parseInline(cells[k] ?? '', opts)));
    i++;
  }
  return { block: { t: 'table', align, head: head.map((h) => parseInline(h, opts)), rows }, next: i };
}
