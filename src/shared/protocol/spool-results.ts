// Result shapes of Spool's own methods (`spool/*`) and of the host's (`host/*`), written by hand:
// codex has none of them. Codex's methods take their results from codex (./results.ts).
import type { Thread, ThreadSourceKind, ThreadStatus, TurnStatus } from './thread.ts';

/** An answer with nothing to say (`{}`). */
export type EmptyResult = Record<string, never>;

/** One parent's descendants, as thread/list with `ancestorThreadId` lists them. */
export interface ThreadFamily {
  parentThreadId: string;
  data: Thread[];
  /** More descendants than the limit exist. */
  more: boolean;
}

export interface ThreadFamiliesResult {
  /** One family per requested parent, in the order asked. */
  data: ThreadFamily[];
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

/** Outcome of a cascade (close, reopen, archive, unarchive, bulk) for each thread touched. */
export interface ThreadOutcome {
  threadId: string;
  ok: boolean;
  error?: string;
  /** Why nothing changed for this thread (e.g. "already closed", "closed by codex"). */
  note?: string;
}
export interface CascadeResult {
  outcomes: ThreadOutcome[];
}
export interface BulkResult extends CascadeResult {
  operationId: string;
}

/** Descendant counts of a tree node (the node itself excluded). */
export interface TreeCounts {
  total: number;
  /** Descendants whose spawn edge is open / closed. */
  open: number;
  closed: number;
  archived: number;
  /** Rollout bytes on disk of all descendants. */
  bytes: number;
}

export interface TreeNode {
  id: string;
  /** The parent in this tree (null for the root). */
  parentId: string | null;
  /** Distance from the root, as the edges say (the depth a rollout declares is not trusted). */
  depth: number;
  agentPath: string | null;
  agentNickname: string | null;
  agentRole: string | null;
  preview: string;
  name: string | null;
  archived: boolean;
  /** Codex's thread status: Spool runs no agent, so every thread is `notLoaded`. */
  status: ThreadStatus;
  /** Status of the thread's last turn (in-progress turns of threads not running read `interrupted`, as in codex). */
  lastTurnStatus: TurnStatus | null;
  turnCount: number;
  /** Status of the spawn edge that leads to this node (null for a root without one). */
  edgeStatus: 'open' | 'closed' | null;
  /** Who closed the edge: codex (a close_agent call in the parent's rollout) or the user in Spool. */
  closedBy: 'codex' | 'spool' | null;
  /** The parent its rollout names is not in the index: the node heads its own tree. */
  orphan: boolean;
  /** The parent it names, when that parent is missing or the edge closes a cycle. */
  declaredParentId: string | null;
  /** Its edge would close a cycle (a damaged rollout): the edge is ignored for the tree's shape. */
  cycle: boolean;
  sizeBytes: number;
  createdAtMs: number;
  updatedAtMs: number;
  childCount: number;
  descendants: TreeCounts;
}
export interface TreeResult {
  /** The root of the requested thread's family (its top-most ancestor in the index). */
  rootId: string;
  /** The thread that was asked for. */
  threadId: string;
  /** Depth-first (pre-order), siblings by creation time then id, so a client can render it directly. */
  nodes: TreeNode[];
}

export interface AgentResolveResult {
  threadId: string;
  /** The canonical agent path (`/root` for a tree's root; null for a v1 agent, which has none). */
  agentPath: string | null;
  rootId: string;
}

export interface OrphanEntry {
  threadId: string;
  /** The parent its rollout names, missing from the index. */
  missingParentId: string;
  agentNickname: string | null;
  agentPath: string | null;
  archived: boolean;
  /** Threads in its subtree, itself included. */
  subtreeSize: number;
}
export interface AgentOrphansResult {
  data: OrphanEntry[];
  /** All orphans in the index (data may be cut at `limit`). */
  total: number;
}

export interface SearchHit {
  /** The message's id in the index (stable while the thread is not re-indexed). */
  messageId: number;
  threadId: string;
  /** The turn the message belongs to (a deep link opens the thread there), when it has one. */
  turnId: string | null;
  /** 0-based position of that turn in the thread. */
  turnIndex: number | null;
  role: 'user' | 'agent';
  /** The matching passage, as plain text; matches are wrapped in U+E000 … U+E001 so a client can highlight them without parsing markup. */
  snippet: string;
  /** bm25 score (lower is more relevant). */
  rank: number;
  thread: Thread;
}
export interface SearchResult {
  data: SearchHit[];
  nextCursor: string | null;
  /**
   * `relevance`: every match was ranked. `windowed`: the query matched more messages than Spool
   * ranks at once, so matches are ranked a window at a time, newest messages first.
   */
  ranking: 'relevance' | 'windowed';
}

export interface FacetCount<K extends string = string> {
  value: K;
  count: number;
}
export interface FacetsResult {
  /** Working directories, most threads first (up to cwdLimit). */
  cwds: FacetCount[];
  /** How many distinct working directories match (cwds may hold fewer). */
  cwdCount: number;
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

export interface HostOpenDemoHomeResult {
  home: string;
}
