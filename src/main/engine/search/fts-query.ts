// What a user types into the search box, as an FTS5 query. Every word becomes a quoted phrase, so
// FTS5's own syntax (AND, OR, NEAR, column filters, parentheses, `^`, `*`) in the input is inert
// text and no input can make the MATCH fail. Supported on top: "quoted phrases", -excluded words,
// and a prefix match on the last word while the user is still typing it.

export interface QueryTerm {
  /** The words of the term as the tokenizer sees them, folded (lower case, no diacritics). */
  words: string[];
  /** The last word matches as a prefix. */
  prefix: boolean;
}

export interface ParsedQuery {
  /** The FTS5 MATCH expression, or null when the input holds nothing searchable. */
  match: string | null;
  /** The positive terms (words and phrases), for highlighting. */
  terms: QueryTerm[];
}

const MAX_TERMS = 32;
/** A last word shorter than this is matched whole: a one-letter prefix would expand to half the vocabulary. */
const MIN_PREFIX = 3;
/** Words are runs of letters, digits and marks, as the unicode61 tokenizer sees them. */
const WORD = /[\p{L}\p{N}\p{M}]/u;
const WORDS = /[\p{L}\p{N}\p{M}]+/gu;

/** Case and diacritics folded away, as `unicode61 remove_diacritics 2` does. */
export const fold = (word: string): string => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The folded words of a text, with where each one is. */
export function words(text: string): { word: string; start: number; end: number }[] {
  const out: { word: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(WORDS)) out.push({ word: fold(m[0]), start: m.index, end: m.index + m[0].length });
  return out;
}

const quote = (text: string): string => `"${text.replace(/"/g, '""')}"`;

interface Token {
  text: string;
  phrase: boolean;
  negated: boolean;
}

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length && out.length < MAX_TERMS) {
    while (i < input.length && /\s/u.test(input[i]!)) i++;
    if (i >= input.length) break;
    let negated = false;
    if (input[i] === '-' && i + 1 < input.length && !/\s/u.test(input[i + 1]!)) {
      negated = true;
      i++;
    }
    if (input[i] === '"') {
      const end = input.indexOf('"', i + 1);
      const text = end < 0 ? input.slice(i + 1) : input.slice(i + 1, end);
      i = end < 0 ? input.length : end + 1;
      out.push({ text: text.trim(), phrase: true, negated });
      continue;
    }
    let j = i;
    while (j < input.length && !/\s/u.test(input[j]!)) j++;
    out.push({ text: input.slice(i, j), phrase: false, negated });
    i = j;
  }
  return out.filter((t) => WORD.test(t.text));
}

/**
 * Builds the MATCH expression. Search runs as the user types, so by default (`typing`) the last
 * bare word also matches as a prefix ("pagin" finds "pagination"); a trailing space ends it.
 */
export function toFtsQuery(raw: string, opts: { typing?: boolean } = {}): ParsedQuery {
  // FTS5 reads a query as a C string: a NUL inside a quoted phrase ends it ("unterminated string").
  const input = raw.replace(/\0/g, ' ');
  const tokens = tokenize(input);
  const positive = tokens.filter((t) => !t.negated);
  if (positive.length === 0) return { match: null, terms: [] };
  const endsInWord = !/[\s"]$/u.test(input);
  const terms: QueryTerm[] = [];
  const parts = positive.map((t, k) => {
    const isLast = t === tokens[tokens.length - 1] && k === positive.length - 1;
    const ws = words(t.text).map((w) => w.word);
    const prefix = opts.typing !== false && isLast && !t.phrase && endsInWord && [...(ws[ws.length - 1] ?? '')].length >= MIN_PREFIX;
    terms.push({ words: ws, prefix });
    return `${quote(t.text)}${prefix ? '*' : ''}`;
  });
  const negatives = tokens.filter((t) => t.negated).map((t) => `NOT ${quote(t.text)}`);
  return { match: [parts.join(' '), ...negatives].join(' '), terms };
}
