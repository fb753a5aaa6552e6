// The renderer's Markdown parser: the block and inline structure agents write (headings, fenced
// code, lists, tables, quotes, emphasis, links), safety (raw HTML stays text, only http(s) and
// mailto links are live), and bounded work on hostile input.
import { describe, expect, it } from 'vitest';
import { inlineText, parseInline, parseMarkdown, safeHref, type Block, type Inline } from './parse.ts';

const text = (v: string): Inline => ({ t: 'text', v });

describe('blocks', () => {
  it('parses the shape of a typical agent answer', () => {
    const md = [
      '## Plan',
      '',
      '1. Reproduce the issue',
      '2. Add a **failing** test',
      '',
      '```ts',
      'export const x = 1;',
      '',
      'const y = `a`;',
      '```',
      '',
      '> note: see `README.md`',
      '',
      '---',
      'Done.',
    ].join('\n');
    const blocks = parseMarkdown(md);
    expect(blocks.map((b) => b.t)).toEqual(['h', 'list', 'code', 'quote', 'hr', 'p']);
    expect(blocks[0]).toEqual({ t: 'h', level: 2, c: [text('Plan')] });
    const list = blocks[1] as Extract<Block, { t: 'list' }>;
    expect(list.ordered).toBe(true);
    expect(list.tight).toBe(true);
    expect(list.items.map((i) => inlineText((i.c[0] as Extract<Block, { t: 'p' }>).c))).toEqual([
      'Reproduce the issue',
      'Add a failing test',
    ]);
    expect(blocks[2]).toEqual({ t: 'code', lang: 'ts', text: 'export const x = 1;\n\nconst y = `a`;' });
    expect(blocks[3]).toEqual({ t: 'quote', c: [{ t: 'p', c: [text('note: see '), { t: 'code', v: 'README.md' }] }] });
  });

  it('keeps an unclosed fence to the end and a longer closing fence', () => {
    expect(parseMarkdown('````\na\n```\nb\n````\nafter')).toEqual([
      { t: 'code', lang: '', text: 'a\n```\nb' },
      { t: 'p', c: [text('after')] },
    ]);
    expect(parseMarkdown('```sh\nls\n')).toEqual([{ t: 'code', lang: 'sh', text: 'ls\n' }]);
  });

  it('nests lists and reads task items', () => {
    const blocks = parseMarkdown('- [x] done\n- [ ] todo\n  - nested\n    more\n- last');
    const list = blocks[0] as Extract<Block, { t: 'list' }>;
    expect(list.items.map((i) => i.task)).toEqual([true, false, null]);
    const nested = list.items[1]!.c[1] as Extract<Block, { t: 'list' }>;
    expect(nested.t).toBe('list');
    expect(inlineText((nested.items[0]!.c[0] as Extract<Block, { t: 'p' }>).c)).toBe('nested\nmore');
  });

  it('parses GFM tables with alignment and escaped pipes', () => {
    const blocks = parseMarkdown('| a | b \\| c | `x|y` |\n|:--|--:|:-:|\n| 1 | 2 | 3 |\n| 4 |');
    const table = blocks[0] as Extract<Block, { t: 'table' }>;
    expect(table.align).toEqual(['left', 'right', 'center']);
    expect(table.head.map(inlineText)).toEqual(['a', 'b | c', 'x|y']);
    expect(table.rows.map((r) => r.map(inlineText))).toEqual([
      ['1', '2', '3'],
      ['4', '', ''],
    ]);
  });

  it('reads setext headings and indented code', () => {
    expect(parseMarkdown('Title\n=====\n\n    code line\n      indented')).toEqual([
      { t: 'h', level: 1, c: [text('Title')] },
      { t: 'code', lang: '', text: 'code line\n  indented' },
    ]);
  });

  it('keeps raw HTML as literal text', () => {
    const blocks = parseMarkdown('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>');
    expect(blocks).toEqual([
      { t: 'p', c: [text('<script>alert(1)</script>')] },
      { t: 'p', c: [text('<img src=x onerror=alert(1)>')] },
    ]);
  });

  it('turns single newlines into line breaks only when asked', () => {
    expect(parseMarkdown('a\nb')).toEqual([{ t: 'p', c: [text('a\nb')] }]);
    expect(parseMarkdown('a\nb', { breaks: true })).toEqual([{ t: 'p', c: [text('a'), { t: 'br' }, text('b')] }]);
    expect(parseMarkdown('a  \nb')).toEqual([{ t: 'p', c: [text('a'), { t: 'br' }, text('b')] }]);
  });
});

describe('inlines', () => {
  it('pairs emphasis as CommonMark does', () => {
    expect(parseInline('**bold** and *em* and ~~gone~~')).toEqual([
      { t: 'strong', c: [text('bold')] },
      text(' and '),
      { t: 'em', c: [text('em')] },
      text(' and '),
      { t: 'del', c: [text('gone')] },
    ]);
    expect(parseInline('***both***')).toEqual([{ t: 'em', c: [{ t: 'strong', c: [text('both')] }] }]);
    // Intraword underscores are not emphasis; intraword stars are.
    expect(parseInline('snake_case_name and a*b*c')).toEqual([text('snake_case_name and a'), { t: 'em', c: [text('b')] }, text('c')]);
    expect(parseInline('2 * 3 * 4')).toEqual([text('2 * 3 * 4')]);
  });

  it('reads code spans, escapes and links', () => {
    expect(parseInline('`a ``b`` c` \\*not em\\*')).toEqual([{ t: 'code', v: 'a ``b`` c' }, text(' *not em*')]);
    expect(parseInline('[the **docs**](https://example.com/a_(b) "T")')).toEqual([
      { t: 'link', href: 'https://example.com/a_(b)', title: 'T', c: [text('the '), { t: 'strong', c: [text('docs')] }] },
    ]);
    expect(parseInline('see https://example.com/x?y=1. and <mailto:a@b.c> or <a@b.co>')).toEqual([
      text('see '),
      { t: 'link', href: 'https://example.com/x?y=1', title: null, c: [text('https://example.com/x?y=1')] },
      text('. and '),
      { t: 'link', href: 'mailto:a@b.c', title: null, c: [text('mailto:a@b.c')] },
      text(' or '),
      { t: 'link', href: 'mailto:a@b.co', title: null, c: [text('a@b.co')] },
    ]);
    expect(parseInline('![diagram](data:image/png;base64,AAAA)')).toEqual([
      { t: 'img', src: 'data:image/png;base64,AAAA', alt: 'diagram' },
    ]);
  });

  it('leaves unmatched brackets and backticks alone', () => {
    expect(parseInline('a [b] (c) `d')).toEqual([text('a [b] (c) `d')]);
  });
});

describe('safeHref', () => {
  it('allows only absolute http(s) and mailto targets', () => {
    expect(safeHref('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(safeHref('mailto:x@y.z')).toBe('mailto:x@y.z');
    for (const bad of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,x',
      'file:///etc/passwd',
      '/thread/x',
      '#top',
      'src/index.ts',
      'vbscript:x',
      'http//x',
      'spool://app/',
    ]) {
      expect(safeHref(bad), bad).toBeNull();
    }
  });
});

describe('hostile input', () => {
  // How long these take is measured in the ui-thread bench; here: they finish and lose no text.
  it('keeps the text of long runs of delimiters, brackets and backticks', () => {
    for (const input of [
      '_'.repeat(100_000),
      '['.repeat(50_000) + 'x',
      '[a]('.repeat(20_000),
      '`'.repeat(20_000) + 'x' + '``'.repeat(5000),
      'a'.repeat(500_000),
    ]) {
      expect(inlineText(parseInline(input)), input.slice(0, 10)).toBe(input);
    }
    const deep = parseMarkdown('> '.repeat(10_000) + 'deep');
    expect(JSON.stringify(deep)).toContain('deep');
    const stars = parseInline('*a'.repeat(50_000));
    expect(inlineText(stars).replaceAll('*', '')).toBe('a'.repeat(50_000));
  });
});
