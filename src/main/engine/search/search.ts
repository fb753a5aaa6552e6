// spool/search: full-text search over every user and agent message (messages_fts, which the
// indexer keeps current), ranked by bm25, with highlighted snippets and keyset cursors.
//
// Ranking costs time per matching message (FTS5 computes bm25 for every match before it can sort),
// so a query that matches a large part of the index would take hundreds of milliseconds. Spool
// ranks at most WINDOW matches at once: a query with fewer matches is ranked exactly; a broader one
// is ranked a window at a time, walking the matches from the most recently indexed (highest rowid)
// down. Ranked windows are cached until the index changes, so paging does not rank again.
import crypto from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { CodexHome } from '../home.ts';
import type { EngineEvents } from '../events.ts';
import { invalidParams } from '../../../shared/jsonrpc.ts';
import { clampLimit, type SearchHit, type SearchParams, type SearchResult } from '../../../shared/protocol/index.ts';
import { rowToThread, THREAD_COLUMNS, THREAD_FROM, type ThreadRow } from '../threads/thread-row.ts';
import { toFtsQuery, type QueryTerm } from './fts-query.ts';
import { makeSnippet } from './highlight.ts';
import { threadFilterSql } from './thread-filter.ts';

/** Matches ranked at once. */
export const WINDOW = 5_000;
/** Windows ranked for one page at most; a page that is still short then ends with a cursor. */
const MAX_WINDOWS_PER_PAGE = 2;
/** Candidates checked against the thread filters per query. */
const FILTER_CHUNK = 250;
const CACHE_ENTRIES = 8;
const SNIPPET_WORDS = 28;

export interface SearchContext {
  db: Db;
  home: CodexHome;
  events: EngineEvents;
}

interface Cursor {
  /** Hash of the MATCH expression: a cursor only continues its own query. */
  q: string;
  /** Upper rowid bound of the window being read (null: the first window). */
  hi: number | null;
  /** The last (rank, rowid) returned from that window; null: start of the window. */
  r: number | null;
  id: number | null;
}

interface RankedWindow {
  /** [rowid, rank] sorted by (rank, rowid). */
  rows: [number, number][];
  /** Lowest rowid of the window, or null when it reaches the first match. */
  lo: number | null;
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
    ((c as Cursor).hi === null || Number.isInteger((c as Cursor).hi)) &&
    ((c as Cursor).r === null || Number.isFinite((c as Cursor).r)) &&
    ((c as Cursor).id === null || Number.isInteger((c as Cursor).id));
  if (!ok) throw invalidParams(`invalid cursor: ${text}`);
  if ((c as Cursor).q !== q) throw invalidParams('invalid cursor: it belongs to another query');
  return c as Cursor;
}

/** First index in `rows` strictly after (rank, id). */
function after(rows: [number, number][], rank: number, id: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const [rid, rr] = rows[mid]!;
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

  private rankWindow(match: string, hi: number | null): RankedWindow {
    const key = `${this.generation}\u0000${match}\u0000${hi}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    // One pass down the doclist from `hi`, scoring window + 1 matches (the extra one says whether
    // another window follows). Not `ORDER BY rank`: FTS5 would then score every match of the query
    // first. Sorted here, with the rowid breaking ties (identical messages are common), so that
    // cursors are exact.
    const rows = this.ctx.db
      .prepare('SELECT rowid, bm25(messages_fts) FROM messages_fts WHERE messages_fts MATCH ? AND rowid <= ? ORDER BY rowid DESC LIMIT ?')
      .raw()
      .all(match, hi ?? Number.MAX_SAFE_INTEGER, this.window + 1) as [number, number][];
    const more = rows.length > this.window;
    if (more) rows.length = this.window;
    const lo = more ? rows[rows.length - 1]![0] : null;
    rows.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    const win: RankedWindow = { rows, lo };
    this.cache.set(key, win);
    while (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return win;
  }

  search(params: SearchParams): SearchResult {
    const limit = clampLimit(params.limit, 50, 200);
    const { match, terms } = toFtsQuery(params.query);
    if (match === null) return { data: [], nextCursor: null, ranking: 'relevance' };
    const q = hashOf(match);
    let cur: Cursor = params.cursor != null ? decodeCursor(params.cursor, q) : { q, hi: null, r: null, id: null };
    const filter = threadFilterSql(params);
    const check = this.ctx.db.prepare(`SELECT m.rowid AS rowid, m.thread_id AS threadId, m.turn_seq AS turnSeq, m.role AS role
      FROM messages_fts AS m JOIN threads AS t ON t.id = m.thread_id
      WHERE m.rowid IN (SELECT value FROM json_each(?)) AND ${filter.where}`);

    const picked: { rowid: number; rank: number; threadId: string; turnSeq: number | null; role: string }[] = [];
    let windowed = cur.hi !== null;
    let next: Cursor | null = null;
    for (let w = 1; ; w++) {
      const win = this.rankWindow(match, cur.hi);
      if (win.lo !== null) windowed = true;
      let i = cur.r === null || cur.id === null ? 0 : after(win.rows, cur.r, cur.id);
      while (i < win.rows.length && picked.length < limit) {
        const chunk = win.rows.slice(i, i + FILTER_CHUNK);
        const passed = new Map((check.all(JSON.stringify(chunk.map((c) => c[0])), ...filter.args) as { rowid: number; threadId: string; turnSeq: number | null; role: string }[]).map((r) => [r.rowid, r]));
        for (const [rowid, rank] of chunk) {
          i++;
          const p = passed.get(rowid);
          if (!p) continue;
          picked.push({ ...p, rank });
          if (picked.length === limit) break;
        }
      }
      if (picked.length === limit) {
        const last = picked[picked.length - 1]!;
        if (i < win.rows.length) next = { q, hi: cur.hi, r: last.rank, id: last.rowid };
        else if (win.lo !== null) next = { q, hi: win.lo - 1, r: null, id: null };
        break;
      }
      if (win.lo === null) break;
      cur = { q, hi: win.lo - 1, r: null, id: null };
      // Bounded work per request: a short page with a cursor is better than a slow one.
      if (w >= MAX_WINDOWS_PER_PAGE) {
        next = cur;
        break;
      }
    }
    return { data: this.hydrate(terms, picked), nextCursor: next ? encodeCursor(next) : null, ranking: windowed ? 'windowed' : 'relevance' };
  }

  private hydrate(terms: QueryTerm[], picked: { rowid: number; rank: number; threadId: string; turnSeq: number | null; role: string }[]): SearchHit[] {
    if (picked.length === 0) return [];
    const { db, home } = this.ctx;
    const texts = new Map(
      (db.prepare('SELECT rowid, text FROM messages_fts WHERE rowid IN (SELECT value FROM json_each(?))').all(JSON.stringify(picked.map((p) => p.rowid))) as { rowid: number; text: string }[]).map((r) => [
        r.rowid,
        r.text,
      ]),
    );
    const ids = [...new Set(picked.map((p) => p.threadId))];
    const threads = new Map(
      (db.prepare(`SELECT ${THREAD_COLUMNS} FROM ${THREAD_FROM} WHERE t.id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(ids)) as ThreadRow[]).map((r) => [r.id, rowToThread(r, home)]),
    );
    const turnOf = db.prepare('SELECT turn_id FROM turns WHERE thread_id = ? AND seq = ?').pluck();
    const hits: SearchHit[] = [];
    for (const p of picked) {
      const thread = threads.get(p.threadId);
      if (!thread) continue;
      const turnId = p.turnSeq === null ? null : ((turnOf.get(p.threadId, p.turnSeq) as string | undefined) ?? null);
      hits.push({
        messageId: p.rowid,
        threadId: p.threadId,
        turnId,
        turnIndex: turnId === null ? null : p.turnSeq,
        role: p.role === 'user' ? 'user' : 'agent',
        snippet: makeSnippet(texts.get(p.rowid) ?? '', terms, SNIPPET_WORDS),
        rank: p.rank,
        thread,
      });
    }
    return hits;
  }
}
