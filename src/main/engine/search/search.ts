// spool/search: full-text search over every user and agent message (messages_fts, which the
// indexer keeps current), ranked by bm25, with highlighted snippets and keyset cursors.
//
// Ranking costs time per matching message (FTS5 computes bm25 for every match before it can sort),
// so a query that matches a large part of the index would take hundreds of milliseconds. Spool
// ranks at most WINDOW matches at once: a query with fewer matches is ranked exactly; a broader one
// is ranked a window at a time, walking the matches from the newest (the lowest rowid: the indexer
// numbers messages by recency, see MessageOrder) on. Ranked windows are cached until the index
// changes, so paging does not rank again.
import crypto from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { CodexHome } from '../home.ts';
import type { EngineEvents } from '../events.ts';
import { invalidParams } from '../../../shared/jsonrpc.ts';
import { clampLimit, type SearchHit, type SearchParams, type SearchResult } from '../../../shared/protocol/index.ts';
import { getThreadRows, rowToThread } from '../threads/thread-row.ts';
import { toFtsQuery, type QueryTerm } from './fts-query.ts';
import { makeSnippet } from './highlight.ts';
import { threadFilterSql } from './thread-filter.ts';
import { matchFilter, messagesByRowid, rankRows, turnIdAt, type MatchOwner } from './search-sql.ts';

/**
 * Matches ranked at once. Ranking touches every match's row of the docsize table, so a window
 * costs in proportion to its size, most of all when those pages are not in memory yet: 2,000 keeps
 * a first page around 4 ms on 100k threads (5,000 took 7; see the ui-browse bench).
 */
export const WINDOW = 2_000;
/** Matches ranked for one page at most; a page that is still short then ends with a cursor. */
const MAX_RANKED_PER_PAGE = 10_000;
/** Candidates checked against the thread filters beyond the page's need; each later check doubles. */
const CHECK_SLACK = 16;
const MAX_CHECK = 2_048;
const CACHE_ENTRIES = 16;
const SNIPPET_WORDS = 28;

export interface SearchContext {
  db: Db;
  home: CodexHome;
  events: EngineEvents;
}

interface Cursor {
  /** Hash of the MATCH expression: a cursor only continues its own query. */
  q: string;
  /** Lowest rowid of the window being read (null: the first window). */
  from: number | null;
  /** The last (rank, rowid) returned from that window; null: start of the window. */
  r: number | null;
  id: number | null;
}

/** Typed arrays, not a row object per match: a cached window is two objects for the garbage collector, not 5,000. */
interface RankedWindow {
  /** Rowids sorted by (rank, rowid). */
  ids: Float64Array;
  /** Their bm25 ranks. */
  ranks: Float64Array;
  /** Where the next window starts (a rowid), or null when this one reaches the last match. */
  next: number | null;
}

interface Picked extends MatchOwner {
  rank: number;
}

const hashOf = (s: string): string => crypto.createHash('sha1').update(s).digest('base64url').slice(0, 12);

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(text: string, q: string): Cursor {
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalidParams(`invalid cursor: ${text}`);
  }
  const ok =
    typeof c === 'object' &&
    c !== null &&
    typeof (c as Cursor).q === 'string' &&
    ((c as Cursor).from === null || Number.isInteger((c as Cursor).from)) &&
    ((c as Cursor).r === null || Number.isFinite((c as Cursor).r)) &&
    ((c as Cursor).id === null || Number.isInteger((c as Cursor).id));
  if (!ok) throw invalidParams(`invalid cursor: ${text}`);
  if ((c as Cursor).q !== q) throw invalidParams('invalid cursor: it belongs to another query');
  return c as Cursor;
}

/** First index in the window strictly after (rank, id). */
function after(win: RankedWindow, rank: number, id: number): number {
  let lo = 0;
  let hi = win.ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const rid = win.ids[mid]!;
    const rr = win.ranks[mid]!;
    if (rr < rank || (rr === rank && rid <= id)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Searcher {
  private readonly ctx: SearchContext;
  private readonly window: number;
  private readonly cache = new Map<string, RankedWindow>();
  private generation = 0;

  /** `window` overrides WINDOW (tests use a small one to exercise windowed ranking on small homes). */
  constructor(ctx: SearchContext, opts: { window?: number } = {}) {
    this.ctx = ctx;
    this.window = opts.window ?? WINDOW;
    // Any index change can change matches and bm25's statistics: ranked windows start over.
    ctx.events.on((n) => {
      if (n.method === 'spool/index/changed') {
        this.generation++;
        this.cache.clear();
      }
    });
  }

  private rankWindow(match: string, from: number | null): RankedWindow {
    const key = `${this.generation}\u0000${match}\u0000${from}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    // One pass along the doclist from `from`, scoring window + 1 matches (the extra one says whether
    // another window follows). Not `ORDER BY rank`: FTS5 would then score every match of the query
    // first. Sorted here, with the rowid breaking ties (identical messages are common), so that
    // cursors are exact.
    const rows = rankRows(this.ctx.db, match, from ?? Number.MIN_SAFE_INTEGER, this.window + 1);
    const more = rows.length > this.window;
    if (more) rows.length = this.window;
    const next = more ? rows[rows.length - 1]![0] + 1 : null;
    const order = Uint32Array.from(rows.keys()).sort((x, y) => rows[x]![1] - rows[y]![1] || rows[x]![0] - rows[y]![0]);
    const ids = new Float64Array(order.length);
    const ranks = new Float64Array(order.length);
    for (let k = 0; k < order.length; k++) {
      const [id, rank] = rows[order[k]!]!;
      ids[k] = id;
      ranks[k] = rank;
    }
    const win: RankedWindow = { ids, ranks, next };
    this.cache.set(key, win);
    while (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return win;
  }

  search(params: SearchParams): SearchResult {
    const limit = clampLimit(params.limit, 50, 200);
    const { match, terms } = toFtsQuery(params.query);
    if (match === null) return { data: [], nextCursor: null, ranking: 'relevance' };
    const q = hashOf(match);
    let cur: Cursor = params.cursor != null ? decodeCursor(params.cursor, q) : { q, from: null, r: null, id: null };
    // Full-text rows carry their thread's archived flag: a filter on the collection alone needs no thread row.
    const passing = matchFilter(this.ctx.db, threadFilterSql(params, null, 'r.archived'));

    const picked: Picked[] = [];
    let windowed = cur.from !== null;
    let next: Cursor | null = null;
    let chunk = limit + CHECK_SLACK;
    for (let w = 1; ; w++) {
      const win = this.rankWindow(match, cur.from);
      if (win.next !== null) windowed = true;
      const n = win.ids.length;
      let i = cur.r === null || cur.id === null ? 0 : after(win, cur.r, cur.id);
      while (i < n && picked.length < limit) {
        const ids = win.ids.subarray(i, i + chunk);
        chunk = Math.min(MAX_CHECK, chunk * 2);
        const passed = new Map(passing(ids).map((r) => [r.rowid, r]));
        for (const rowid of ids) {
          const p = passed.get(rowid);
          if (p) picked.push({ ...p, rank: win.ranks[i]! });
          i++;
          if (picked.length === limit) break;
        }
      }
      if (picked.length === limit) {
        const last = picked[picked.length - 1]!;
        if (i < n) next = { q, from: cur.from, r: last.rank, id: last.rowid };
        else if (win.next !== null) next = { q, from: win.next, r: null, id: null };
        break;
      }
      if (win.next === null) break;
      cur = { q, from: win.next, r: null, id: null };
      // Bounded work per request: a short page with a cursor is better than a slow one.
      if (w * this.window >= MAX_RANKED_PER_PAGE) {
        next = cur;
        break;
      }
    }
    return {
      data: this.hydrate(terms, picked),
      nextCursor: next ? encodeCursor(next) : null,
      ranking: windowed ? 'windowed' : 'relevance',
    };
  }

  private hydrate(terms: QueryTerm[], picked: Picked[]): SearchHit[] {
    if (picked.length === 0) return [];
    const { db, home } = this.ctx;
    const messages = new Map(
      messagesByRowid(
        db,
        picked.map((p) => p.rowid),
      ).map((r) => [r.rowid, r]),
    );
    const ids = [...new Set(picked.map((p) => p.threadId))];
    const threads = new Map(getThreadRows(db, ids).map((r) => [r.id, rowToThread(r, home)]));
    const turnOf = turnIdAt(db);
    const hits: SearchHit[] = [];
    for (const p of picked) {
      const thread = threads.get(p.threadId);
      const message = messages.get(p.rowid);
      if (!thread || !message) continue;
      const turnId = p.turnSeq === null ? null : turnOf(p.threadId, p.turnSeq);
      hits.push({
        messageId: p.rowid,
        threadId: p.threadId,
        turnId,
        turnIndex: turnId === null ? null : p.turnSeq,
        role: message.role === 'user' ? 'user' : 'agent',
        snippet: makeSnippet(message.text, terms, SNIPPET_WORDS),
        rank: p.rank,
        thread,
      });
    }
    return hits;
  }
}
