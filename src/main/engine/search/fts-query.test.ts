// The search box's input as an FTS5 query: what users type never reaches FTS5 as syntax.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fold, toFtsQuery, words } from './fts-query.ts';
import { HIGHLIGHT_END, HIGHLIGHT_START, makeSnippet } from './highlight.ts';

describe('toFtsQuery', () => {
  it('quotes every word and lets the last one match as a prefix while typing', () => {
    expect(toFtsQuery('retry polic').match).toBe('"retry" "polic"*');
    expect(toFtsQuery('retry policy ').match).toBe('"retry" "policy"');
    expect(toFtsQuery('retry polic', { typing: false }).match).toBe('"retry" "polic"');
  });

  it('keeps quoted phrases and excluded words', () => {
    expect(toFtsQuery('"keep the change" -webpack').match).toBe('"keep the change" NOT "webpack"');
    expect(toFtsQuery('-only').match).toBeNull();
  });

  it('does not prefix-match a last word shorter than three letters', () => {
    expect(toFtsQuery('go fo').match).toBe('"go" "fo"');
  });

  it('returns no query for input with nothing to search', () => {
    for (const q of ['', '   ', '"', '***', '- -', '""']) expect(toFtsQuery(q).match).toBeNull();
  });

  it('turns FTS5 syntax in the input into inert text that SQLite accepts', () => {
    const db = new Database(':memory:');
    db.exec("CREATE VIRTUAL TABLE f USING fts5(text, tokenize = 'unicode61 remove_diacritics 2')");
    db.prepare('INSERT INTO f (text) VALUES (?)').run('NEAR the column: text OR AND NOT ^start "quoted" (paren) col:x');
    const hostile = [
      'NEAR(a b)',
      'text:foo',
      'a OR',
      'AND',
      '(',
      ')',
      '^x',
      'x*',
      '"unterminated',
      'a"b"c',
      'col:x -',
      '{a b}:c',
      '\u0000',
      'abc\u0000def',
      '019a0000\u0000/../../etc/passwd',
      '"quoted\u0000phrase"',
      "'; DROP TABLE f; --",
    ];
    for (const input of hostile) {
      const { match } = toFtsQuery(input);
      if (match === null) continue;
      expect(() => db.prepare('SELECT count(*) FROM f WHERE f MATCH ?').get(match), input).not.toThrow();
    }
    // A NUL (which ended FTS5's reading of the phrase: found by the fuzzer) separates words.
    expect(toFtsQuery('abc\u0000def').match).toBe('"abc" "def"*');
    // Operators typed as words are searched as words.
    expect(db.prepare('SELECT count(*) AS n FROM f WHERE f MATCH ?').get(toFtsQuery('NEAR column OR').match)).toEqual({ n: 1 });
  });

  it('folds case and diacritics the way the index tokenizer does', () => {
    expect(fold('ÜnÏcödé')).toBe('unicode');
    expect(words('Déploie — ünïcödé, 日本語のテスト').map((w) => w.word)).toEqual(['deploie', 'unicode', '日本語のテスト']);
    expect(toFtsQuery('Ünïcödé').terms).toEqual([{ words: ['unicode'], prefix: true }]);
  });
});

describe('makeSnippet', () => {
  const terms = (q: string) => toFtsQuery(q).terms;
  const marked = (s: string): string[] => [...s.matchAll(/\uE000([^\uE001]*)\uE001/g)].map((m) => m[1]!);

  it('marks every match in the passage and nothing else', () => {
    const s = makeSnippet('The Pagination of /api/items needs pagination tests; paginate later.', terms('paginat'));
    expect(marked(s)).toEqual(['Pagination', 'pagination', 'paginate']);
    expect(s.replace(/[\uE000\uE001]/g, '')).toBe('The Pagination of /api/items needs pagination tests; paginate later.');
  });

  it('marks phrases as one span and centres a long message on its matches', () => {
    const filler = 'lorem ipsum dolor sit amet '.repeat(40);
    const s = makeSnippet(`${filler}please keep the change minimal ${filler}`, terms('"keep the change"'), 12);
    expect(marked(s)).toEqual(['keep the change']);
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s.length).toBeLessThan(120);
  });

  it('passes markup through as text and drops highlight markers found in the message', () => {
    const s = makeSnippet(`<img src=x onerror=alert(1)> ${HIGHLIGHT_START}fake${HIGHLIGHT_END} alert here`, terms('alert'));
    expect(s).toContain('<img src=x onerror=');
    expect(marked(s)).toEqual(['alert', 'alert']);
    expect(s).not.toContain(`${HIGHLIGHT_START}fake`);
  });
});
