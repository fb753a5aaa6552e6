// Result shapes of every method. The engine produces them; clients read them.
import type { MethodName } from './methods.ts';
import type { Thread, ThreadItem, ThreadSourceKind, Turn } from './thread.ts';

export interface InitializeResult {
  userAgent: string;
  codexHome: string;
  platformFamily: string;
  platformOs: string;
  /** Spool: where its own index lives. */
  spool: { version: string; dataDir: string };
}

export interface ThreadListResult {
  data: Thread[];
  nextCursor: string | null;
  backwardsCursor: string | null;
}

export interface ThreadReadResult {
  thread: Thread;
}

export interface ThreadTurnsListResult {
  data: Turn[];
  nextCursor: string | null;
  backwardsCursor: string | null;
}

export interface ThreadItemEntry {
  turnId: string;
  item: ThreadItem;
  startedAtMs: number | null;
  completedAtMs: number | null;
}
export interface ThreadItemsListResult {
  data: ThreadItemEntry[];
  nextCursor: string | null;
  backwardsCursor: string | null;
}

/** A page of a string shown cut in a turn or item (`spool/item/text`). */
export interface ItemTextResult {
  text: string;
  /** Where this page starts (bytes of the escaped text; may be a little before the offset asked for). */
  offset: number;
  /** Pass as `offset` for the next page; null after the last one. */
  nextOffset: number | null;
  /** Size of the whole string in the rollout (escaped bytes, close to its UTF-8 size). */
  totalBytes: number;
}

/** What `itemsView: full` cut from a long string of an item (`item.spool.truncated`). */
export interface ItemTruncation {
  /** JSON pointer of the string within the item, e.g. `/aggregatedOutput`. */
  path: string;
  /** For `spool/item/text`. */
  handle: string;
  totalBytes: number;
}

export type EmptyResult = Record<string, never>;

export interface ThreadUnarchiveResult {
  thread: Thread;
}

export interface ThreadMetadataUpdateResult {
  thread: Thread;
}

/** Outcome of a cascade (close, reopen, archive, unarchive, bulk) for each thread touched. */
export interface ThreadOutcome {
  threadId: string;
  ok: boolean;
  error?: string;
}
export interface CascadeResult {
  outcomes: ThreadOutcome[];
}

export interface TreeNode {
  id: string;
  parentId: string | null;
  depth: number;
  agentPath: string | null;
  agentNickname: string | null;
  agentRole: string | null;
  preview: string;
  name: string | null;
  archived: boolean;
  /** Status of the spawn edge that leads to this node (null for the root). */
  edgeStatus: 'open' | 'closed' | null;
  /** True when the parent the rollout names is not in the index. */
  orphan: boolean;
  sizeBytes: number;
  updatedAtMs: number;
  descendants: { total: number; open: number; closed: number; archived: number; bytes: number };
}
export interface TreeResult {
  rootId: string;
  /** Depth-first (pre-order) by creation time, so a client can render it directly. */
  nodes: TreeNode[];
}

export interface AgentResolveResult {
  threadId: string;
  agentPath: string;
}

export interface SearchHit {
  threadId: string;
  turnId: string | null;
  turnIndex: number | null;
  role: 'user' | 'agent';
  /** The matching passage; matches are wrapped in U+E000 … U+E001 so a client can highlight them safely. */
  snippet: string;
  rank: number;
  thread: Thread;
}
export interface SearchResult {
  data: SearchHit[];
  nextCursor: string | null;
}

export interface FacetCount<K extends string = string> {
  value: K;
  count: number;
}
export interface FacetsResult {
  cwds: FacetCount[];
  providers: FacetCount[];
  sourceKinds: FacetCount<ThreadSourceKind>[];
  total: number;
}

export interface IndexProgress {
  phase: 'idle' | 'scanning' | 'backfill' | 'live';
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second over the recent window. */
  rate: number;
  etaMs: number | null;
  startedAtMs: number | null;
  threads: number;
  /** The walk of the home is still finding files: the totals are still growing. */
  scanning?: boolean;
}
export type IndexStatusResult = IndexProgress;

export interface IndexReportResult {
  home: string;
  dataDir: string;
  files: number;
  threads: number;
  bytes: number;
  /** Counts per problem class: badJsonLines, invalidUtf8Lines, hugeLines, emptyFiles, foreignFiles, permissionDenied, vanished, symlinkLoops, truncatedLastLine, unknownItemTypes, duplicates, … */
  counts: Record<string, number>;
  problems: { path: string; kind: string; detail: string }[];
}

export interface HostInfoResult {
  host: 'electron' | 'browser' | 'cli';
  platform: string;
  canReveal: boolean;
  canSaveDialog: boolean;
}

export interface HostSaveFileResult {
  saved: boolean;
  path: string | null;
}

export interface ResultMap {
  initialize: InitializeResult;
  'thread/list': ThreadListResult;
  'thread/read': ThreadReadResult;
  'thread/turns/list': ThreadTurnsListResult;
  'thread/items/list': ThreadItemsListResult;
  'spool/item/text': ItemTextResult;
  'thread/name/set': EmptyResult;
  'thread/metadata/update': ThreadMetadataUpdateResult;
  'thread/archive': EmptyResult;
  'thread/unarchive': ThreadUnarchiveResult;
  'thread/close': EmptyResult;
  'spool/thread/reopen': CascadeResult;
  'spool/thread/tree': TreeResult;
  'spool/agent/resolve': AgentResolveResult;
  'spool/threads/bulk': CascadeResult;
  'spool/search': SearchResult;
  'spool/facets': FacetsResult;
  'spool/index/status': IndexStatusResult;
  'spool/index/report': IndexReportResult;
  'host/info': HostInfoResult;
  'host/revealPath': EmptyResult;
  'host/saveFile': HostSaveFileResult;
  'host/openExternal': EmptyResult;
  'host/openDemoHome': { home: string };
}
export type ResultOf<M extends MethodName> = ResultMap[M];
