// thread/turns/list, and the turns of thread/read: codex's params, defaults, cursors and errors
// (docs/FORMAT.md §4.2, §4.4), answered from the turn index by seeking into the rollout.
//
// Legacy (and bare) threads page by turn position with `{"turnId","includeAnchor"}` cursors; an
// anchor that is gone is an error. Paginated threads page by the rollout ordinal of each turn's
// `task_started` with `{"requestedThreadId","rolloutOrdinal","includeAnchor","scope"}` cursors; a
// paginated fork lists its base's turns before its own, as codex does.
import type { Db } from '../db/database.ts';
import type { CodexHome } from '../home.ts';
import type { Indexer } from '../indexer/indexer.ts';
import { invalidRequest } from '../../../shared/jsonrpc.ts';
import {
  clampLimit,
  type ThreadItem,
  type ThreadTurnsListParams,
  type ThreadTurnsListResult,
  type Turn,
  type TurnItemsView,
} from '../../../shared/protocol/index.ts';
import {
  formatLegacyTurnCursor,
  formatOrdinalCursor,
  parseLegacyTurnCursor,
  parseOrdinalCursor,
} from '../../../shared/protocol/turn-cursor.ts';
import { getThreadRow, type ThreadRow } from './thread-row.ts';
import { canonicalThreadId, parseThreadId } from './thread-id.ts';
import type { LiveThreads } from './live.ts';
import {
  legacyItems,
  LineSource,
  markItems,
  paginatedItems,
  summaryOf,
  threadHistory,
  type Segment,
  type ThreadHistory,
} from './turn-source.ts';
import { allTurnsBySeq, turnFromRow, turnsByOrdinal, turnsBySeq, turnSeqOf, type TurnAnchor, type TurnRow } from './turn-rows.ts';

export interface TurnsContext {
  db: Db;
  home: CodexHome;
  indexer: Indexer;
  live: LiveThreads;
}

/** The thread a turns/items request is about: its id (codex's parsing), index row and history. */
export function requireHistory(ctx: TurnsContext, rawId: string): { id: string; row: ThreadRow; history: ThreadHistory } {
  const id = parseThreadId(rawId);
  const row = getThreadRow(ctx.db, id);
  if (!row) throw invalidRequest(`thread not loaded: ${id}`);
  return { id, row, history: threadHistory(ctx.db, id, row.rel_path, row.format) };
}

interface PageRow extends TurnRow {
  seg: Segment;
}

export function listTurns(ctx: TurnsContext, params: ThreadTurnsListParams): ThreadTurnsListResult {
  const { id, history } = requireHistory(ctx, params.threadId);
  const limit = clampLimit(params.limit);
  const desc = (params.sortDirection ?? 'desc') === 'desc';
  const view: TurnItemsView = params.itemsView ?? 'summary';
  const paginated = history.mode === 'paginated';

  let rows: PageRow[];
  if (paginated) {
    let anchor: TurnAnchor | null = null;
    if (params.cursor != null) {
      const c = parseOrdinalCursor(params.cursor);
      if (!c || c.scope !== 'turns' || canonicalThreadId(c.requestedThreadId) !== id)
        throw invalidRequest(`invalid cursor: ${params.cursor}`);
      anchor = { at: c.rolloutOrdinal, include: c.includeAnchor };
    }
    rows = ordinalPage(ctx.db, history.segments, anchor, desc, limit + 1);
  } else {
    const seg = history.segments[history.segments.length - 1]!;
    let anchor: TurnAnchor | null = null;
    if (params.cursor != null) {
      const c = parseLegacyTurnCursor(params.cursor);
      if (!c) throw invalidRequest(`invalid cursor: ${params.cursor}`);
      const seq = turnSeqOf(ctx.db, id, c.turnId);
      if (seq === null) throw invalidRequest('invalid cursor: anchor turn is no longer present');
      anchor = { at: seq, include: c.includeAnchor };
    }
    rows = turnsBySeq(ctx.db, id, anchor, desc, limit + 1).map((r) => ({ ...r, seg }));
  }

  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const cursorOf = (r: PageRow, includeAnchor: boolean): string =>
    paginated
      ? formatOrdinalCursor({ requestedThreadId: id, rolloutOrdinal: r.rollout_ordinal ?? 0, includeAnchor, scope: 'turns' })
      : formatLegacyTurnCursor(r.turn_id, includeAnchor);
  const first = page[0];
  const last = page[page.length - 1];
  return {
    data: buildTurns(ctx, history, page, view),
    nextCursor: more && last ? cursorOf(last, false) : null,
    backwardsCursor: first ? cursorOf(first, true) : null,
  };
}

/** Every turn of a thread, oldest first, with all items (thread/read `includeTurns`). */
export function allTurns(ctx: TurnsContext, id: string, row: ThreadRow): Turn[] {
  const history = threadHistory(ctx.db, id, row.rel_path, row.format);
  let rows: PageRow[];
  if (history.mode === 'paginated') rows = ordinalPage(ctx.db, history.segments, null, false, Number.MAX_SAFE_INTEGER);
  else {
    const seg = history.segments[history.segments.length - 1]!;
    rows = allTurnsBySeq(ctx.db, id).map((r) => ({ ...r, seg }));
  }
  return buildTurns(ctx, history, rows, 'full');
}

/** Turns across a paginated thread's segments by rollout ordinal (each segment holds a disjoint range). */
function ordinalPage(db: Db, segments: readonly Segment[], anchor: TurnAnchor | null, desc: boolean, want: number): PageRow[] {
  const out: PageRow[] = [];
  const ordered = desc ? [...segments].reverse() : segments;
  for (const seg of ordered) {
    if (out.length >= want) break;
    for (const r of turnsByOrdinal(db, seg.threadId, seg.maxOrdinal, anchor, desc, want - out.length)) out.push({ ...r, seg });
  }
  return out;
}

/** The page's turns with their items in the requested view; inProgress becomes interrupted unless live. */
function buildTurns(ctx: TurnsContext, history: ThreadHistory, page: readonly PageRow[], view: TurnItemsView): Turn[] {
  if (page.length === 0) return [];
  const src = new LineSource(ctx.db, ctx.home);
  try {
    const itemsByRow = new Map<PageRow, ThreadItem[]>();
    if (view !== 'notLoaded') {
      // Group the page by segment (a fork's page can span its base and itself).
      const bySeg = new Map<Segment, PageRow[]>();
      for (const r of page) {
        const list = bySeg.get(r.seg);
        if (list) list.push(r);
        else bySeg.set(r.seg, [r]);
      }
      for (const [seg, rows] of bySeg) {
        if (history.mode === 'paginated') {
          const items = paginatedItems(ctx.db, src, seg, rows, view === 'summary' ? 'summary' : undefined);
          for (const r of rows) itemsByRow.set(r, items.get(r.turn_id) ?? []);
        } else {
          const items = legacyItems(ctx.db, src, seg, history.mode, rows);
          for (const r of rows) {
            const all = items.get(r.seq) ?? [];
            itemsByRow.set(r, view === 'summary' ? summaryOf(all) : all);
          }
        }
      }
    }
    const liveByThread = new Map<string, boolean>();
    const isLive = (threadId: string): boolean => {
      let v = liveByThread.get(threadId);
      if (v === undefined) {
        v = ctx.live.isLive(threadId);
        liveByThread.set(threadId, v);
      }
      return v;
    };
    const turns = page.map((r) => turnFromRow(r, markItems(src, itemsByRow.get(r) ?? []), view, isLive(r.seg.threadId)));
    if (src.stale.size > 0) void ctx.indexer.syncPaths(src.stale).catch(() => undefined);
    return turns;
  } finally {
    src.close();
  }
}
