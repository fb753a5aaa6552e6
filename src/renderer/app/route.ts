// The app's state that belongs in the address bar: the open thread (and turn), the list's sort
// and filters, and the search. It lives in the URL's hash — `#/thread/<id>?turn=<turnId>&sort=…` —
// so that a reload, a bookmark or a deep link from a search hit restores it, and the query string
// (which carries the browser host's token) is never touched.
// No runtime import of the protocol's schemas: the boot code (../main.ts) parses the route before they load.
import type { SearchParams, ThreadListParams, ThreadSourceKind } from '../../shared/protocol/index.ts';
import { SOURCE_KIND_NAMES } from '../../shared/protocol/source-kinds.ts';

export type SortChoice = 'updated' | 'created' | 'recency';
/** The source kinds the filter offers; sub-agents have their own toggle. */
export const KIND_CHOICES = ['cli', 'vscode', 'exec', 'appServer', 'unknown'] as const;
export type KindChoice = (typeof KIND_CHOICES)[number];
const SUB_AGENT_KINDS: ThreadSourceKind[] = SOURCE_KIND_NAMES.filter((k) => k.startsWith('subAgent'));

export interface ListFilters {
  sort: SortChoice;
  dir: 'asc' | 'desc';
  archived: boolean;
  cwds: string[];
  providers: string[];
  /** Empty: every kind. */
  kinds: KindChoice[];
  /** Sub-agents are listed under their parents, or not at all. */
  subAgents: 'grouped' | 'hidden';
  /** Created on or after / on or before these local dates (YYYY-MM-DD). */
  from: string | null;
  to: string | null;
  q: string;
  scope: 'titles' | 'messages';
}

export interface Route {
  threadId: string | null;
  /** The turn to show in the open thread (a search hit's turn). */
  turnId: string | null;
  filters: ListFilters;
}

export const DEFAULT_FILTERS: ListFilters = {
  sort: 'updated',
  dir: 'desc',
  archived: false,
  cwds: [],
  providers: [],
  kinds: [],
  subAgents: 'grouped',
  from: null,
  to: null,
  q: '',
  scope: 'titles',
};

const SORTS: readonly SortChoice[] = ['updated', 'created', 'recency'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[0-9A-Za-z-]{1,200}$/;

export function parseHash(hash: string): Route {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const q = text.indexOf('?');
  const pathPart = q < 0 ? text : text.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : text.slice(q + 1));
  const m = /^\/thread\/([^/?]+)$/.exec(pathPart);
  const rawId = m ? decodeURIComponent(m[1]!) : null;
  const threadId = rawId !== null && ID.test(rawId) ? rawId : null;
  const turn = query.get('turn');
  const sort = query.get('sort');
  const kinds = (query.get('kinds') ?? '').split(',').filter((k): k is KindChoice => (KIND_CHOICES as readonly string[]).includes(k));
  const from = query.get('from');
  const to = query.get('to');
  return {
    threadId,
    turnId: threadId !== null && turn !== null && ID.test(turn) ? turn : null,
    filters: {
      sort: SORTS.includes(sort as SortChoice) ? (sort as SortChoice) : DEFAULT_FILTERS.sort,
      dir: query.get('dir') === 'asc' ? 'asc' : 'desc',
      archived: query.get('archived') === '1',
      cwds: query.getAll('cwd').filter((c) => c !== ''),
      providers: query.getAll('provider').filter((p) => p !== ''),
      kinds: [...new Set(kinds)],
      subAgents: query.get('subagents') === 'hidden' ? 'hidden' : 'grouped',
      from: from !== null && DATE.test(from) ? from : null,
      to: to !== null && DATE.test(to) ? to : null,
      q: query.get('q') ?? '',
      scope: query.get('in') === 'messages' ? 'messages' : 'titles',
    },
  };
}

export function formatHash(r: Route): string {
  const f = r.filters;
  const p = new URLSearchParams();
  if (r.threadId !== null && r.turnId !== null) p.set('turn', r.turnId);
  if (f.sort !== DEFAULT_FILTERS.sort) p.set('sort', f.sort);
  if (f.dir !== DEFAULT_FILTERS.dir) p.set('dir', f.dir);
  if (f.archived) p.set('archived', '1');
  for (const c of f.cwds) p.append('cwd', c);
  for (const pr of f.providers) p.append('provider', pr);
  if (f.kinds.length > 0 && f.kinds.length < KIND_CHOICES.length) p.set('kinds', f.kinds.join(','));
  if (f.subAgents === 'hidden') p.set('subagents', 'hidden');
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.q !== '') p.set('q', f.q);
  if (f.scope === 'messages') p.set('in', 'messages');
  const query = p.toString();
  const pathPart = r.threadId !== null ? `/thread/${encodeURIComponent(r.threadId)}` : '/';
  return `#${pathPart}${query ? `?${query}` : ''}`;
}

/** Local midnight of a YYYY-MM-DD date, in unix ms. */
export function localDayStart(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).getTime();
}

const sortKeyOf = (s: SortChoice): NonNullable<ThreadListParams['sortKey']> =>
  s === 'created' ? 'created_at' : s === 'recency' ? 'recency_at' : 'updated_at';

/** The kinds the main list asks for: the chosen ones, plus sub-agents when they are listed flat. */
export function baseKinds(f: ListFilters): ThreadSourceKind[] {
  return f.kinds.length > 0 ? [...f.kinds] : [...KIND_CHOICES];
}

/** Sub-agents appear under their parents (not as rows of their own) unless a title search lists everything flat. */
export const groupsSubAgents = (f: ListFilters): boolean => f.subAgents === 'grouped' && !(f.scope === 'titles' && f.q.trim() !== '');

const dateRange = (f: ListFilters): { createdAfterMs?: number; createdBeforeMs?: number } => ({
  ...(f.from ? { createdAfterMs: localDayStart(f.from) } : {}),
  ...(f.to ? { createdBeforeMs: localDayStart(f.to) + 86_400_000 - 1 } : {}),
});

/** The thread/list query of the main list. Spool lists every provider and preview-less threads too. */
export function listParams(f: ListFilters): ThreadListParams {
  const flatSubAgents = f.subAgents === 'grouped' && !groupsSubAgents(f);
  const title = f.scope === 'titles' ? f.q.trim() : '';
  return {
    sortKey: sortKeyOf(f.sort),
    sortDirection: f.dir,
    archived: f.archived,
    modelProviders: f.providers,
    sourceKinds: flatSubAgents ? [...baseKinds(f), 'subAgent'] : baseKinds(f),
    ...(f.cwds.length > 0 ? { cwd: f.cwds } : {}),
    ...(title !== '' ? { searchTerm: title } : {}),
    ...dateRange(f),
    includeEmptyPreview: true,
  };
}

/** The filters of a message search: the list's, with sub-agents' messages unless they are hidden. */
export function searchFilters(f: ListFilters): Omit<SearchParams, 'query' | 'cursor' | 'limit'> {
  return {
    archived: f.archived,
    ...(f.cwds.length > 0 ? { cwd: f.cwds } : {}),
    ...(f.providers.length > 0 ? { modelProviders: f.providers } : {}),
    sourceKinds: f.subAgents === 'hidden' ? baseKinds(f) : [...baseKinds(f), ...SUB_AGENT_KINDS],
    ...dateRange(f),
  };
}

/** How many filters narrow the list (for the "clear filters" affordance). */
export function activeFilterCount(f: ListFilters): number {
  return (
    (f.cwds.length > 0 ? 1 : 0) +
    (f.providers.length > 0 ? 1 : 0) +
    (f.kinds.length > 0 ? 1 : 0) +
    (f.from || f.to ? 1 : 0) +
    (f.subAgents === 'hidden' ? 1 : 0)
  );
}

export const clearFilters = (f: ListFilters): ListFilters => ({
  ...f,
  cwds: [],
  providers: [],
  kinds: [],
  from: null,
  to: null,
  subAgents: 'grouped',
});

/** The spool/facets query that counts what the main list lists (title search aside). */
export function facetParams(f: ListFilters): {
  archived: boolean;
  cwd?: string[];
  modelProviders?: string[];
  sourceKinds: ThreadSourceKind[];
  createdAfterMs?: number;
  createdBeforeMs?: number;
  includeEmptyPreview: true;
} {
  const l = listParams(f);
  return {
    archived: f.archived,
    ...(f.cwds.length > 0 ? { cwd: f.cwds } : {}),
    ...(f.providers.length > 0 ? { modelProviders: f.providers } : {}),
    sourceKinds: l.sourceKinds ?? baseKinds(f),
    ...dateRange(f),
    includeEmptyPreview: true,
  };
}
