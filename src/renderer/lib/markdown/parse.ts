// A small Markdown parser for what agents and users write (CommonMark's block structure and GFM's
// tables, task lists, strikethrough and bare links), producing a tree the view renders with React.
// It never produces HTML: raw HTML in the source stays literal text, and links carry their target
// for the view to vet (see `safeHref`). Linear in the input apart from emphasis, whose pairing is
// bounded (`MAX_DELIMITERS`), so a hostile message cannot stall the renderer.
//
// The parser's entry: blocks (blocks.ts: lists and quotes, with GFM tables in table.ts) hold
// inlines (inline.ts: links in links.ts, emphasis in emphasis.ts) in the tree of ast.ts.
import type { Block, ParseOptions } from './ast.ts';
import { BlockParser } from './blocks.ts';

export type { Align, Block, Inline, ListItem, ParseOptions } from './ast.ts';
export { inlineText, parseInline } from './inline.ts';
export { safeHref } from './links.ts';

export function parseMarkdown(source: string, opts: ParseOptions = {}): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  return new BlockParser(opts).parse(lines, 0);
}
