// The request that opens a thread window, in a module of its own: the boot code (../../main.ts)
// sends it before the app's bundle — schemas, React, the window itself — has loaded, and the
// window's first fetch takes that answer. Both build it here, so they are the same request.
import type { SortDirection, ThreadListParams, ThreadSortKey } from '../../../shared/protocol/index.ts';

/** Rows of the first page: a screen and a half, painted at once. */
export const FIRST_PAGE = 50;

/** Notifications after which a list's earlier answer may be out of date (the window catches up on them). */
export const LIST_CHANGING_NOTIFICATIONS = ['spool/index/changed', 'thread/archived', 'thread/unarchived', 'thread/name/updated'] as const;

/** A list query as a window keeps it: a definite sort, no cursor, no limit. */
export type WindowQuery = Omit<ThreadListParams, 'cursor' | 'limit' | 'sortKey' | 'sortDirection'> & {
  sortKey: Exclude<ThreadSortKey, 'section_position'>;
  sortDirection: SortDirection;
};

export function windowBase(params: ThreadListParams): WindowQuery {
  const { cursor: _c, limit: _l, ...rest } = params;
  const sortKey = params.sortKey === 'updated_at' || params.sortKey === 'recency_at' ? params.sortKey : 'created_at';
  return { ...rest, sortKey, sortDirection: params.sortDirection === 'asc' ? 'asc' : 'desc' };
}

/** The window's first request: the top of the list, `limit` rows. */
export function firstPageRequest(params: ThreadListParams, limit = FIRST_PAGE): ThreadListParams {
  return { ...windowBase(params), limit };
}
