// spool/thread/families: the sub-agents of many parents in one answer. A list grouping sub-agents
// under their parents wants the families of every parent near its viewport; one thread/list per
// parent made a fast scroll through a long list send a hundred requests a second. Each family is
// exactly what thread/list with `ancestorThreadId` lists (the same query, the same rows).
import { ALL_SOURCE_KINDS, type ThreadFamiliesParams, type ThreadFamiliesResult } from '../../../shared/protocol/index.ts';
import { listThreads, type ListContext } from './list.ts';

export function listFamilies(ctx: ListContext, params: ThreadFamiliesParams): ThreadFamiliesResult {
  return {
    data: params.parentThreadIds.map((parentThreadId) => {
      const r = listThreads(ctx, {
        ancestorThreadId: parentThreadId,
        archived: params.archived ?? false,
        sourceKinds: [...ALL_SOURCE_KINDS],
        modelProviders: [],
        includeEmptyPreview: true,
        sortKey: 'created_at',
        sortDirection: 'asc',
        limit: params.limit ?? null,
      });
      return { parentThreadId, data: r.data, more: r.nextCursor !== null };
    }),
  };
}
