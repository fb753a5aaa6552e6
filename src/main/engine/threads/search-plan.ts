// How thread/list finds a searchTerm (codex: a case-sensitive substring of the name, title or
// preview). A common term is found fastest by walking threads in key order and testing each: a
// page fills within a few hundred rows. A rare term would make that walk read every thread, so it
// starts instead from the trigram index (migration 0017): the few threads holding some of the
// term's trigrams, each then tested exactly and sorted. A bounded probe of the index tells which.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.ts';

export type SearchPlan =
  /** Walk in key order, testing each thread. */
  | { kind: 'walk' }
  /** Start from the threads whose texts hold these trigrams (an FTS5 MATCH expression). */
  | { kind: 'index'; match: string }
  /** No thread holds the term's trigrams: nothing can match. */
  | { kind: 'none' };

/**
 * Up to this many candidates, starting from the index beats walking. A candidate costs a random
 * lookup (~5 µs on a 100k home), a walked thread a near-sequential one (~2.5 µs); a term with M
 * matches makes a walk read about (limit + 1) × threads / M of them. The two meet near 600 on a
 * 100k home; either costs a few milliseconds there, and far less on both sides.
 */
export const INDEX_MAX_CANDIDATES = 600;
/** Trigrams probed: enough to find rare ones among common ones. */
const TRIGRAMS_PROBED = 6;
/** Trigrams joined when only the whole phrase can be rare: more narrow it further, and cost more. */
const TRIGRAMS_JOINED = 8;

/**
 * The distinct trigrams (of code points) of a term, as the trigram tokenizer cuts text, except
 * those holding a NUL: FTS5 reads a MATCH expression as a C string, so one cannot be written
 * there. Leaving them out keeps the index's answer a superset, which the exact test then narrows.
 */
export function trigrams(term: string): string[] {
  const cps = [...term];
  const out = new Set<string>();
  for (let i = 0; i + 3 <= cps.length; i++) {
    const gram = cps.slice(i, i + 3).join('');
    if (!gram.includes('\0')) out.add(gram);
  }
  return [...out];
}

/**
 * The trigrams most likely to be rare, first: prose is mostly lower-case letters and spaces, so a
 * trigram with digits, capitals or punctuation usually names far fewer threads.
 */
function likelyRare(grams: string[], n: number): string[] {
  const unusual = (g: string): number => [...g].filter((c) => !/[a-z ]/.test(c)).length;
  return grams
    .map((g, i) => ({ g, i, u: unusual(g) }))
    .sort((a, b) => b.u - a.u || a.i - b.i)
    .slice(0, n)
    .map((x) => x.g);
}

const quote = (gram: string): string => `"${gram.replaceAll('"', '""')}"`;

/** Statements prepared once per connection: a search plans on every keystroke. */
const statements = new WeakMap<Db, { count: Statement; lastId: Statement }>();
function stmts(db: Db): { count: Statement; lastId: Statement } {
  let s = statements.get(db);
  if (!s) {
    s = {
      count: db.prepare('SELECT count(*) AS n FROM (SELECT rowid FROM thread_search WHERE thread_search MATCH ? LIMIT ?)'),
      lastId: db.prepare('SELECT max(rowid) AS n FROM thread_search_ids'),
    };
    statements.set(db, s);
  }
  return s;
}

/** A trigram in more threads than this is common: matching on it would read a long list. */
const COMMON = 4;

/**
 * Counts (boundedly, so a trigram every thread has stays cheap) the threads holding each of a few
 * trigrams of the term, then how many hold all the uncommon ones together: few enough, and the
 * page starts from those; none, and nothing matches; many, and a walk fills the page quickly.
 */
export function planSearch(db: Db, term: string, maxCandidates = INDEX_MAX_CANDIDATES): SearchPlan {
  const grams = trigrams(term);
  if (grams.length === 0) return { kind: 'walk' }; // shorter than a trigram
  const count = stmts(db).count;
  const bound = COMMON * maxCandidates;
  const probed = likelyRare(grams, TRIGRAMS_PROBED).map((g) => ({ g, n: (count.get(quote(g), bound + 1) as { n: number }).n }));
  if (probed.some((p) => p.n === 0)) return { kind: 'none' };
  const uncommon = probed.filter((p) => p.n <= bound);
  if (uncommon.length === 0) return { kind: 'walk' };
  const match = uncommon.map((p) => quote(p.g)).join(' AND ');
  const n = uncommon.length === 1 ? uncommon[0]!.n : (count.get(match, maxCandidates + 1) as { n: number }).n;
  if (n === 0) return { kind: 'none' };
  return n > maxCandidates ? { kind: 'walk' } : { kind: 'index', match };
}

/**
 * How many threads (up to the bound planSearch uses) hold the term's likeliest-rare trigram: 0
 * means nothing can match, and more than the bound that a short walk is worth trying first.
 * Null for a term shorter than a trigram.
 */
export function rarestTrigramCount(db: Db, term: string, maxCandidates = INDEX_MAX_CANDIDATES): number | null {
  const grams = trigrams(term);
  if (grams.length === 0) return null;
  const count = stmts(db).count;
  return (count.get(quote(likelyRare(grams, 1)[0]!), COMMON * maxCandidates + 1) as { n: number }).n;
}

/** More threads than this hold a trigram that is common (see rarestTrigramCount). */
export const commonTrigram = (n: number, maxCandidates = INDEX_MAX_CANDIDATES): boolean => n > COMMON * maxCandidates;

/**
 * For a term a short walk could not fill a page with: common trigrams can still make a rare phrase
 * together ("Check whether t…" where every word is common), and a walk would then read most
 * threads. Reading the lists of the phrase's trigrams together costs a millisecond or two; such a
 * walk, tens.
 */
export function planPhrase(db: Db, term: string, maxCandidates = INDEX_MAX_CANDIDATES): SearchPlan {
  const grams = trigrams(term);
  if (grams.length === 0) return { kind: 'walk' };
  const count = stmts(db).count;
  const match = likelyRare(grams, TRIGRAMS_JOINED).map(quote).join(' AND ');
  // The short walk found matches sparse where the page is being read (e.g. the phrase is mostly in
  // archived threads, or outside the filters): the walk would read a long way. Looking up even a
  // few thousand candidates (~5 µs each) beats walking up to every thread (~1 µs each) while they
  // are under an eighth of all threads (the search ids' last rowid counts them, cheaply).
  const threads = (stmts(db).lastId.get() as { n: number | null }).n ?? 0;
  const bound = Math.max(maxCandidates, Math.floor(threads / 8));
  const n = (count.get(match, bound + 1) as { n: number }).n;
  if (n === 0) return { kind: 'none' };
  return n > bound ? { kind: 'walk' } : { kind: 'index', match };
}
