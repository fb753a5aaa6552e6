// thread/items/list (docs/FORMAT.md §4.3): the items of a paginated thread across its turns, or of
// one turn, paged by the rollout ordinal of the line that first recorded each item — codex's
// `itemsByCreatedAtOrdinal` scope. Legacy threads are refused as codex refuses them.
import { invalidParams, invalidRequest, RpcError, ErrorCode } from '../../../shared/jsonrpc.ts';
import { clampLimit, type ThreadItemsListParams, type ThreadItemsListResult } from '../../../shared/protocol/index.ts';
import { formatOrdinalCursor, parseOrdinalCursor } from '../../../shared/protocol/turn-cursor.ts';
import { canonicalThreadId } from './thread-id.ts';
import { requireHistory, type TurnsContext } from './turns.ts';
import { LineSource, markItems, paginatedItem, type ItemEntry, type Segment } from './turn-source.ts';
import { itemOrdinal, itemsByOrdinal, type ItemRow, type TurnAnchor } from './turn-rows.ts';

interface SegRow extends ItemRow {
  seg: Segment;
}

export function listItems(ctx: TurnsContext, params: ThreadItemsListParams): ThreadItemsListResult {
  const { id, history } = requireHistory(ctx, params.threadId);
  if (history.mode !== 'paginated') throw new RpcError(ErrorCode.MethodNotFound, 'thread/items/list is not supported yet');
  const limit = clampLimit(params.limit);
  const desc = params.sortDirection === 'desc';
  const turnId = params.turnId ?? null;

  let anchor: TurnAnchor | null = null;
  const cursor = params.cursor;
  if (typeof cursor === 'string') {
    const c = parseOrdinalCursor(cursor);
    if (!c || c.scope !== 'itemsByCreatedAtOrdinal' || canonicalThreadId(c.requestedThreadId) !== id)
      throw invalidRequest(`invalid cursor: ${cursor}`);
    anchor = { at: c.rolloutOrdinal, include: c.includeAnchor };
  } else if (cursor != null) {
    // An item anchor, exclusive, within the requested turn.
    if (turnId === null || turnId === '') throw invalidParams('turnId is required when cursor is an item anchor');
    const at = findItem(ctx, history.segments, turnId, cursor.itemId);
    if (at === null) throw invalidParams('cursor.itemId does not identify an item in the requested history scope');
    anchor = { at, include: false };
  }

  const rows: SegRow[] = [];
  const want = limit + 1;
  for (const seg of desc ? [...history.segments].reverse() : history.segments) {
    if (rows.length >= want) break;
    for (const r of itemsByOrdinal(ctx.db, seg.threadId, seg.maxOrdinal, turnId, anchor, desc, want - rows.length))
      rows.push({ ...r, seg });
  }

  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const src = new LineSource(ctx.db, ctx.home);
  let entries: ItemEntry[];
  try {
    entries = page.flatMap((r) => {
      const e = paginatedItem(src, r.seg, r);
      return e ? [e] : [];
    });
    const marked = markItems(
      src,
      entries.map((e) => e.item),
    );
    entries = entries.map((e, i) => ({ ...e, item: marked[i]! }));
  } finally {
    src.close();
  }
  if (src.stale.size > 0) void ctx.indexer.syncPaths(src.stale).catch(() => undefined);
  const cursorOf = (ordinal: number, includeAnchor: boolean): string =>
    formatOrdinalCursor({ requestedThreadId: id, rolloutOrdinal: ordinal, includeAnchor, scope: 'itemsByCreatedAtOrdinal' });
  const first = page[0];
  const last = page[page.length - 1];
  return {
    data: entries.map((e) => ({ turnId: e.turnId, item: e.item, startedAtMs: e.startedAtMs, completedAtMs: e.completedAtMs })),
    nextCursor: more && last ? cursorOf(last.created_ordinal, false) : null,
    backwardsCursor: first ? cursorOf(first.created_ordinal, true) : null,
  };
}

function findItem(ctx: TurnsContext, segments: readonly Segment[], turnId: string, itemId: string): number | null {
  for (const seg of segments) {
    const at = itemOrdinal(ctx.db, seg.threadId, itemId, turnId, seg.maxOrdinal ?? Number.MAX_SAFE_INTEGER);
    if (at !== null) return at;
  }
  return null;
}
