// The tree the Markdown parser produces and the view renders: blocks holding inlines. Plain data,
// never HTML (links carry their target for the view to vet).

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
