// thread/list from the index: Codex's params, defaults and errors (docs/FORMAT.md §4.1), keyset
// pagination on the tuple (key ms, id) everywhere, never a scan of the rollout files.
//
// Codex's wire defaults hold, so a Codex client sees what codex would show it: an omitted
// `modelProviders` means the configured default provider only, an omitted or empty `sourceKinds`
// means interactive sources only (cli, vscode); with a parent/ancestor filter both omitted mean
// "any". Spool's own UI passes explicit filters.
import path from 'node:path';
import type { Db } from '../db/database.ts';
import type { CodexHome } from '../home.ts';
import { storedKindsFor } from '../rollout/source.ts';
import { normalizeCwd } from '../rollout/text.ts';
import { invalidParams, invalidRequest } from '../../../shared/jsonrpc.ts';
import {
  INTERACTIVE_SOURCE_KINDS,
  clampLimit,
  formatBackwardsCursor,
  formatNextCursor,
  parseListCursor,
  type ThreadListParams,
  type ThreadListResult,
} from '../../../shared/protocol/index.ts';
import { KEY_COLUMNS, listRows, morePastCursor, type ListQuery } from './list-sql.ts';
import { commonTrigram, planPhrase, planSearch, rarestTrigramCount } from './search-plan.ts';
import { parseThreadId } from './thread-id.ts';
import { rowToThread, type ThreadRow } from './thread-row.ts';

/** Threads a search walks before it plans the term as a phrase (about 3 ms at 100k threads). */
const SEARCH_WALK_BOUND = 2000;

/** Codex's bound on `excludedThreadIds`. */
export const MAX_EXCLUDED = 100;

export interface ListContext {
  db: Db;
  home: CodexHome;
  defaultProvider: () => string;
}

/** Validates the params in codex's order and with codex's messages; null when nothing can match. */
export function toListQuery(params: ThreadListParams, defaultProvider: () => string): ListQuery | null {
  if (params.originators && params.originators.length > 0)
    throw invalidParams('originator filtering is not supported by the local app-server');
  const excludedRaw = params.excludedThreadIds ?? [];
  if (excludedRaw.length > MAX_EXCLUDED) throw invalidParams(`excludedThreadIds accepts at most ${MAX_EXCLUDED} entries`);
  const excluded = excludedRaw.map((id) => parseThreadId(id, 'invalid excluded thread id'));
  if (params.parentThreadId != null && params.ancestorThreadId != null)
    throw invalidRequest('parentThreadId and ancestorThreadId are mutually exclusive');
  const relation =
    params.parentThreadId != null
      ? { kind: 'parent' as const, id: parseThreadId(params.parentThreadId, 'invalid parent thread id') }
      : params.ancestorThreadId != null
        ? { kind: 'ancestor' as const, id: parseThreadId(params.ancestorThreadId, 'invalid ancestor thread id') }
        : null;
  const sortKey = params.sortKey ?? 'created_at';
  if (sortKey === 'section_position' && params.sectionId == null)
    throw invalidRequest('section-position sorting requires a section filter');
  let cursor = null;
  if (params.cursor != null) {
    cursor = parseListCursor(params.cursor);
    if (!cursor) throw invalidRequest(`invalid cursor: ${params.cursor}`);
  }
  // Spool has no sections: every thread is unsectioned, so a section filter matches nothing.
  if (params.sectionId != null || sortKey === 'section_position') return null;

  const providers =
    params.modelProviders == null
      ? relation
        ? null
        : [defaultProvider()]
      : params.modelProviders.length === 0
        ? null
        : [...new Set(params.modelProviders)];
  const apiKinds =
    params.sourceKinds == null
      ? relation
        ? null
        : INTERACTIVE_SOURCE_KINDS
      : params.sourceKinds.length === 0
        ? INTERACTIVE_SOURCE_KINDS
        : params.sourceKinds;
  const kinds = apiKinds === null ? null : [...new Set(apiKinds.flatMap(storedKindsFor))].sort();
  const cwds = params.cwd == null ? null : [...new Set((Array.isArray(params.cwd) ? params.cwd : [params.cwd]).map(resolveCwd))];

  return {
    key: sortKey,
    direction: params.sortDirection ?? 'desc',
    archived: params.archived === true,
    limit: clampLimit(params.limit),
    cursor,
    relation,
    providers,
    kinds,
    cwds,
    searchTerm: params.searchTerm != null && params.searchTerm !== '' ? params.searchTerm : null,
    // Codex hides threads without a preview from its active listing only: a relation listing or
    // the archive shows them (a multi-agent v2 sub-agent gets its task as an agent message and
    // never has a preview).
    includeEmptyPreview: params.includeEmptyPreview === true || relation !== null || params.archived === true,
    excluded,
    createdAfterMs: params.createdAfterMs ?? null,
    createdBeforeMs: params.createdBeforeMs ?? null,
  };
}

/** Codex resolves a relative cwd against its own working directory before comparing. */
const resolveCwd = (cwd: string): string => normalizeCwd(cwd === '' ? cwd : path.resolve(cwd));

export function listThreads(ctx: ListContext, params: ThreadListParams): ThreadListResult {
  const q = toListQuery(params, ctx.defaultProvider);
  if (!q) return { data: [], nextCursor: null, backwardsCursor: null };
  let rows: ThreadRow[] | null = null;
  if (q.searchTerm !== null && q.relation === null) {
    // Even the term's likeliest-rare trigram is common: a short walk usually fills the page.
    const rarest = rarestTrigramCount(ctx.db, q.searchTerm);
    if (rarest === 0) return { data: [], nextCursor: null, backwardsCursor: null };
    if (rarest !== null && commonTrigram(rarest)) {
      const found = listRows(ctx.db, { ...q, search: { kind: 'walk' }, scanBound: SEARCH_WALK_BOUND });
      // A full page is the true page; so is a short one when the walk reached the end of the order
      // (fewer threads than the bound were left past the cursor: near the end of a listing).
      if (found.length > q.limit || !morePastCursor(ctx.db, q, SEARCH_WALK_BOUND)) rows = found;
    }
    if (!rows) {
      q.search = planSearch(ctx.db, q.searchTerm);
      // A term whose trigrams are all common but that the short walk did not find enough of is
      // rarer than its trigrams (a phrase): plan it as one before walking further.
      if (q.search.kind === 'walk' && rarest !== null && commonTrigram(rarest)) q.search = planPhrase(ctx.db, q.searchTerm);
      if (q.search.kind === 'none') return { data: [], nextCursor: null, backwardsCursor: null };
    }
  }
  rows ??= listRows(ctx.db, q);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const keyOf = (r: ThreadRow): number => r[KEY_COLUMNS[q.key]];
  const first = page[0];
  const last = page[page.length - 1];
  return {
    // A relation listing reports each thread's parent from its spawn edge, as codex does.
    data: page.map((r) => rowToThread(r, ctx.home, q.relation ? { parentFromEdge: r.spawn_parent_id } : {})),
    nextCursor: more && last ? formatNextCursor(keyOf(last), last.id) : null,
    backwardsCursor: first ? formatBackwardsCursor(keyOf(first), q.direction) : null,
  };
}
