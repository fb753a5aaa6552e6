// The method table: one entry per JSON-RPC method, with the runtime schema of its params, the type
// of its result (a marker with no runtime content: ResultOf<M> reads it) and its flags.
// Codex-owned methods (`codexCompatible: true`) keep Codex app-server v2's names, params and error
// style, and results of codex's generated types (./results.ts); `spool/*` methods exist where Codex
// has none; `host/*` methods are answered by the host (Electron or the browser server), never by the
// engine. The engine's handler map must answer every method here that is not the host's.
import { z } from 'zod';
import { SortDirection, ThreadSortKey } from './list.ts';
import { ThreadSourceKind, TurnItemsView } from './thread.ts';
import type {
  InitializeResult,
  ThreadArchiveResult,
  ThreadItemsListResult,
  ThreadListResult,
  ThreadMetadataUpdateResult,
  ThreadReadResult,
  ThreadSetNameResult,
  ThreadTurnsListResult,
  ThreadUnarchiveResult,
} from './results.ts';
import type {
  AgentOrphansResult,
  AgentResolveResult,
  BulkResult,
  CascadeResult,
  EmptyResult,
  FacetsResult,
  HostInfoResult,
  HostOpenDemoHomeResult,
  HostSaveFileResult,
  IndexReportResult,
  IndexStatusResult,
  ItemTextResult,
  SearchResult,
  ThreadFamiliesResult,
  TreeResult,
} from './spool-results.ts';

const ThreadId = z.string().max(200);
const Cursor = z.string().max(2000);
/** Codex's `u32` limits: any non-negative integer, clamped by the handler. */
const Limit = z.number().int().min(0).max(4294967295);

export const InitializeParams = z.object({
  clientInfo: z.object({ name: z.string().max(200), title: z.string().max(200).nullish(), version: z.string().max(200).nullish() }),
  capabilities: z.looseObject({}).nullish(),
});

export const ThreadListParams = z.object({
  cursor: Cursor.nullish(),
  limit: Limit.nullish(),
  sortKey: ThreadSortKey.nullish(),
  sortDirection: SortDirection.nullish(),
  searchTerm: z.string().max(1000).nullish(),
  cwd: z.union([z.string().max(4096), z.array(z.string().max(4096)).max(1000)]).nullish(),
  archived: z.boolean().nullish(),
  modelProviders: z.array(z.string().max(200)).max(1000).nullish(),
  sourceKinds: z.array(ThreadSourceKind).max(20).nullish(),
  useStateDbOnly: z.boolean().nullish(),
  sectionId: z.string().max(200).nullish(),
  excludedThreadIds: z.array(z.string().max(200)).max(1000).nullish(),
  originators: z.array(z.string().max(200)).max(1000).nullish(),
  currentAccountOnly: z.boolean().nullish(),
  parentThreadId: z.string().max(200).nullish(),
  ancestorThreadId: z.string().max(200).nullish(),
  /** Spool: only threads whose created-at falls in [from, to] (unix ms). */
  createdAfterMs: z.number().int().nullish(),
  createdBeforeMs: z.number().int().nullish(),
  /** Spool: also list threads with an empty preview (Codex never does). */
  includeEmptyPreview: z.boolean().nullish(),
});
export type ThreadListParams = z.infer<typeof ThreadListParams>;

export const ThreadReadParams = z.object({ threadId: ThreadId, includeTurns: z.boolean().nullish() });
export type ThreadReadParams = z.infer<typeof ThreadReadParams>;

export const ThreadTurnsListParams = z.object({
  threadId: ThreadId,
  cursor: Cursor.nullish(),
  limit: Limit.nullish(),
  sortDirection: SortDirection.nullish(),
  itemsView: TurnItemsView.nullish(),
});
export type ThreadTurnsListParams = z.infer<typeof ThreadTurnsListParams>;

export const ThreadItemsListParams = z.object({
  threadId: ThreadId,
  turnId: z.string().max(200).nullish(),
  cursor: z.union([Cursor, z.object({ type: z.literal('item'), itemId: z.string().max(200) })]).nullish(),
  limit: Limit.nullish(),
  sortDirection: SortDirection.nullish(),
  /** Codex's `ThreadItemOutputDeferral` (an object); accepted, outputs are always inline. */
  deferOutput: z.looseObject({}).nullish(),
});
export type ThreadItemsListParams = z.infer<typeof ThreadItemsListParams>;

/**
 * Spool: the whole of a string a turn or item response showed cut (`item.spool.truncated[].handle`),
 * paged by byte offset in the rollout (`offset`, `limit` in bytes of the JSON-escaped text).
 */
export const ItemTextParams = z.object({
  threadId: ThreadId,
  handle: z.string().max(200),
  offset: z.number().int().min(0).nullish(),
  limit: z
    .number()
    .int()
    .min(1)
    .max(16 * 1024 * 1024)
    .nullish(),
});
export type ItemTextParams = z.infer<typeof ItemTextParams>;

export const ThreadSetNameParams = z.object({ threadId: ThreadId, name: z.string().max(10000) });
export type ThreadSetNameParams = z.infer<typeof ThreadSetNameParams>;

/** Tri-state: a field left out is unchanged, `null` clears it, a string replaces it. */
const GitPatchField = z.string().max(10000).nullable().optional();
export const ThreadMetadataUpdateParams = z.object({
  threadId: ThreadId,
  gitInfo: z.object({ sha: GitPatchField, branch: GitPatchField, originUrl: GitPatchField }).nullish(),
});
export type ThreadMetadataUpdateParams = z.infer<typeof ThreadMetadataUpdateParams>;

export const ThreadIdParams = z.object({ threadId: ThreadId });
export type ThreadIdParams = z.infer<typeof ThreadIdParams>;

/** Spool: a client-chosen id that `spool/operation/progress` notifications of a cascade carry. */
const OperationId = z.string().min(1).max(100);
export const ThreadCloseParams = z.object({
  threadId: ThreadId,
  operationId: OperationId.nullish(),
  /** Spool: answer what the cascade would do, thread by thread, and change nothing. */
  dryRun: z.boolean().nullish(),
});
export type ThreadCloseParams = z.infer<typeof ThreadCloseParams>;
export const ThreadReopenParams = ThreadCloseParams;
export type ThreadReopenParams = ThreadCloseParams;
export const TreeParams = z.object({ threadId: ThreadId });
export type TreeParams = z.infer<typeof TreeParams>;
/** Families fetched in one request at most (a list groups the sub-agents of the parents near its viewport). */
export const MAX_FAMILIES = 100;
/**
 * Spool: the descendants of several parents at once, each as `thread/list` with `ancestorThreadId`
 * (every provider and source kind, empty previews included, oldest first) would list them.
 */
export const ThreadFamiliesParams = z.object({
  parentThreadIds: z.array(ThreadId).min(1).max(MAX_FAMILIES),
  archived: z.boolean().nullish(),
  /** Descendants per parent at most (thread/list's limit, clamped the same way). */
  limit: Limit.nullish(),
});
export type ThreadFamiliesParams = z.infer<typeof ThreadFamiliesParams>;
/** An agent path: absolute (`/root/worker/reviewer`) or relative to `threadId` (`../sibling`, `child`). */
export const AgentResolveParams = z.object({ threadId: ThreadId.nullish(), path: z.string().min(1).max(4096) });
export type AgentResolveParams = z.infer<typeof AgentResolveParams>;
export const AgentOrphansParams = z.object({ limit: Limit.nullish() }).nullish();

/** Filters on the threads a Spool query covers (search, facets, bulk by filter): thread/list's, by name. */
const ThreadFilterFields = {
  /** true: archived only; false: active only; omitted: both. */
  archived: z.boolean().nullish(),
  cwd: z.array(z.string().max(4096)).max(1000).nullish(),
  /** Omitted or empty: every provider. */
  modelProviders: z.array(z.string().max(200)).max(1000).nullish(),
  /** Omitted or empty: every source kind. */
  sourceKinds: z.array(ThreadSourceKind).max(20).nullish(),
  createdAfterMs: z.number().int().nullish(),
  createdBeforeMs: z.number().int().nullish(),
};

export const SearchParams = z.object({
  query: z.string().max(1000),
  cursor: Cursor.nullish(),
  limit: Limit.nullish(),
  ...ThreadFilterFields,
});
export type SearchParams = z.infer<typeof SearchParams>;

export const FacetsParams = z.object({
  ...ThreadFilterFields,
  /** Also count threads with an empty preview (as thread/list's includeEmptyPreview). */
  includeEmptyPreview: z.boolean().nullish(),
  /** Only working directories containing this text (case-insensitive), for a picker's own search box. */
  cwdQuery: z.string().max(4096).nullish(),
  /** How many working directories to return, most threads first (default 200, at most 2000). */
  cwdLimit: Limit.nullish(),
});
export type FacetsParams = z.infer<typeof FacetsParams>;

export const BulkParams = z
  .object({
    action: z.enum(['archive', 'unarchive']),
    /** The threads to act on, or … */
    threadIds: z.array(ThreadId).min(1).max(100000).nullish(),
    /** … every thread a thread/list query with these params would list (never loaded into the client). */
    filter: ThreadListParams.omit({ cursor: true, limit: true }).nullish(),
    /** Left out of a filter's threads. */
    excludeIds: z.array(ThreadId).max(100000).nullish(),
    /** Names the spool/operation/progress notifications of this run. */
    operationId: z.string().min(1).max(200).nullish(),
  })
  .refine((p) => (p.threadIds != null) !== (p.filter != null), { message: 'give either threadIds or filter' });
export type BulkParams = z.infer<typeof BulkParams>;
export const IndexReportParams = z.object({ limit: Limit.nullish() });
export const EmptyParams = z.object({}).nullish();

export const HostRevealParams = z.object({ threadId: ThreadId });
export const HostSaveFileParams = z.object({
  suggestedName: z.string().min(1).max(255),
  content: z.string().max(512 * 1024 * 1024),
  mimeType: z.string().max(100),
});
export const HostOpenExternalParams = z.object({ url: z.string().max(4096) });

declare const RESULT: unique symbol;
/** Carries a method's result type in the table. It has no runtime content: nothing can read `[RESULT]`. */
export interface ResultMarker<R> {
  readonly [RESULT]: R;
}
const marker = Object.freeze({});
const result = <R>(): ResultMarker<R> => marker as ResultMarker<R>;

interface MethodSpec {
  params: z.ZodType;
  result: ResultMarker<unknown>;
  /** Codex's own method: schema errors answer -32600 "Invalid request: …" as codex does. */
  codexCompatible: boolean;
  /** Answered by the host rather than the engine. */
  host?: true;
  /** Changes files or user state (bounded more tightly by the browser host's rate limit). */
  mutates?: true;
  /** Its result carries threads that read-repair checks against the disk before they are served. */
  repaired?: true;
}

export const methods = {
  initialize: { params: InitializeParams, result: result<InitializeResult>(), codexCompatible: true },
  'thread/list': { params: ThreadListParams, result: result<ThreadListResult>(), codexCompatible: true, repaired: true },
  'thread/read': { params: ThreadReadParams, result: result<ThreadReadResult>(), codexCompatible: true, repaired: true },
  'thread/turns/list': { params: ThreadTurnsListParams, result: result<ThreadTurnsListResult>(), codexCompatible: true },
  'thread/items/list': { params: ThreadItemsListParams, result: result<ThreadItemsListResult>(), codexCompatible: true },
  'spool/item/text': { params: ItemTextParams, result: result<ItemTextResult>(), codexCompatible: false },
  'thread/name/set': { params: ThreadSetNameParams, result: result<ThreadSetNameResult>(), codexCompatible: true, mutates: true },
  'thread/metadata/update': {
    params: ThreadMetadataUpdateParams,
    result: result<ThreadMetadataUpdateResult>(),
    codexCompatible: true,
    mutates: true,
  },
  'thread/archive': { params: ThreadIdParams, result: result<ThreadArchiveResult>(), codexCompatible: true, mutates: true },
  'thread/unarchive': { params: ThreadIdParams, result: result<ThreadUnarchiveResult>(), codexCompatible: true, mutates: true },
  /** Codex answers `{}` (and 0.169 declares no type for it); Spool adds the outcome per thread of the cascade. */
  'thread/close': { params: ThreadCloseParams, result: result<CascadeResult>(), codexCompatible: true, mutates: true },
  'spool/thread/reopen': { params: ThreadReopenParams, result: result<CascadeResult>(), codexCompatible: false, mutates: true },
  'spool/thread/tree': { params: TreeParams, result: result<TreeResult>(), codexCompatible: false },
  'spool/thread/families': { params: ThreadFamiliesParams, result: result<ThreadFamiliesResult>(), codexCompatible: false, repaired: true },
  'spool/agent/resolve': { params: AgentResolveParams, result: result<AgentResolveResult>(), codexCompatible: false },
  'spool/agent/orphans': { params: AgentOrphansParams, result: result<AgentOrphansResult>(), codexCompatible: false },
  'spool/threads/bulk': { params: BulkParams, result: result<BulkResult>(), codexCompatible: false, mutates: true },
  'spool/search': { params: SearchParams, result: result<SearchResult>(), codexCompatible: false },
  'spool/facets': { params: FacetsParams, result: result<FacetsResult>(), codexCompatible: false },
  'spool/index/status': { params: EmptyParams, result: result<IndexStatusResult>(), codexCompatible: false },
  'spool/index/report': { params: IndexReportParams, result: result<IndexReportResult>(), codexCompatible: false },
  'host/info': { params: EmptyParams, result: result<HostInfoResult>(), codexCompatible: false, host: true },
  'host/revealPath': { params: HostRevealParams, result: result<EmptyResult>(), codexCompatible: false, host: true },
  'host/saveFile': { params: HostSaveFileParams, result: result<HostSaveFileResult>(), codexCompatible: false, host: true },
  'host/openExternal': { params: HostOpenExternalParams, result: result<EmptyResult>(), codexCompatible: false, host: true },
  'host/openDemoHome': {
    params: EmptyParams,
    result: result<HostOpenDemoHomeResult>(),
    codexCompatible: false,
    host: true,
    mutates: true,
  },
} as const satisfies Record<string, MethodSpec>;

export type MethodName = keyof typeof methods;
export type ParamsOf<M extends MethodName> = z.infer<(typeof methods)[M]['params']>;
export type ResultOf<M extends MethodName> = (typeof methods)[M]['result'] extends ResultMarker<infer R> ? R : never;
export const isMethodName = (m: string): m is MethodName => Object.hasOwn(methods, m);
export type HostMethodName = { [M in MethodName]: (typeof methods)[M] extends { host: true } ? M : never }[MethodName];
export type EngineMethodName = Exclude<MethodName, HostMethodName>;
export const isHostMethod = (m: MethodName): m is HostMethodName => 'host' in methods[m];
/** A method that changes files or user state (the hosts bound these more tightly, or refuse them). */
export const isMutation = (m: unknown): boolean => typeof m === 'string' && isMethodName(m) && 'mutates' in methods[m];
/** A method whose result's threads read-repair checks against the disk before they are served. */
export const isRepaired = (m: MethodName): boolean => 'repaired' in methods[m];
