// The rollout parser's data, as types only: a line as the reader hands it out, the parse state that
// is stored with each file and resumed from after an append, and what one parse produces. The
// parser, the turn tracker and the legacy reducer all build on these; keeping them in this leaf
// lets each of those import the others' data without importing their code.
//
// Everything under ParserState is serialised into the index (`files.parse_state`) and read back by
// the next incremental parse: a change to its shape needs a new PARSER_VERSION (parser.ts).

// ---------------------------------------------------------------------------------------------
// lines

/** One complete line as the line reader hands it out: a view into its buffer, reused between lines. */
export interface LineView {
  buf: Buffer;
  /** Start and end (exclusive, without the newline) of the line within `buf`. */
  start: number;
  end: number;
  /** Byte offset of the line in the file, and of the byte after its newline. */
  offset: number;
  nextOffset: number;
  /** 0-based index of the line in the file. */
  index: number;
}

/** The line being parsed, as the turn tracker records it. */
export interface LineCtx {
  offset: number;
  nextOffset: number;
  index: number;
  ordinal: number | null;
  timestampMs: number | null;
  /** The line was decoded from its stub (history/stub.ts): it is too long for the request path. */
  heavy: boolean;
}

// ---------------------------------------------------------------------------------------------
// the thread's metadata

export interface GitMeta {
  sha: string | null;
  branch: string | null;
  originUrl: string | null;
}

export interface ThreadMeta {
  id: string | null;
  sessionId: string | null;
  forkedFromId: string | null;
  /** session_meta.timestamp (or the bare header's) in ms. */
  createdAtMs: number | null;
  source: unknown;
  cwd: string;
  originator: string | null;
  cliVersion: string;
  modelProvider: string | null;
  model: string | null;
  reasoningEffort: string | null;
  agentNickname: string | null;
  agentRole: string | null;
  agentPath: string | null;
  metaParentId: string | null;
  threadSource: string | null;
  historyMode: 'legacy' | 'paginated';
  memoryMode: string | null;
  git: GitMeta | null;
  firstUserMessage: string;
  preview: string;
  /** From the older `thread_name_updated` event. */
  name: string | null;
  tokensUsed: number;
  sandboxPolicy: string | null;
  approvalMode: string | null;
  /** Timestamp of the last line that carried one (ms). */
  lastEventMs: number | null;
}

export interface ParseCounts {
  lines: number;
  badJson: number;
  invalidUtf8: number;
  unknownTypes: number;
  joinedObjects: number;
  /** Lines of LONG_LINE_BYTES or more (read and parsed; reported because they are unusual). */
  longLines: number;
}

// ---------------------------------------------------------------------------------------------
// turns

/** A turn's error as codex's v2 API reports it (history/item-shapes.ts builds it from the rollout's). */
export interface TurnErrorJson {
  message: string;
  codexErrorInfo: unknown;
  additionalDetails: string | null;
  misalignment: unknown;
}

/** A string cut out of a heavy line's stub (history/stub.ts): where its raw bytes are in the file. */
export interface Cut {
  /** File offset of the string's first content byte (after the opening quote). */
  start: number;
  /** Raw (JSON-escaped) length of the string's content in bytes. */
  length: number;
}

export type TurnStatusValue = 'completed' | 'interrupted' | 'failed' | 'inProgress';

export type HistoryMode = 'legacy' | 'paginated' | 'bare';

/** One row of the turns table. Times are stored in ms; codex reports them in seconds. */
export interface TurnRecord {
  seq: number;
  turnId: string;
  rootTurnId: string | null;
  status: TurnStatusValue;
  error: TurnErrorJson | null;
  startedAtMs: number | null;
  completedAtMs: number | null;
  durationMs: number | null;
  startOffset: number;
  endOffset: number;
  startLine: number;
  endLine: number;
  rolloutOrdinal: number | null;
  firstItemIndex: number;
  itemCount: number;
  explicit: boolean;
  userPreview: string | null;
  agentPreview: string | null;
  /** Paginated: the ids of the first user message and the final agent message while the turn ran. */
  summaryUserItem: string | null;
  summaryAgentItem: string | null;
  /** Tokens the thread used while the turn ran (its token counts' growth); null when none were counted. */
  tokensUsed: number | null;
}

export interface TurnPatch {
  status: TurnStatusValue;
  /** Undefined: unchanged. */
  error?: TurnErrorJson;
  completedAtMs: number | null;
  durationMs: number | null;
}

/** Changes to the turn index produced by a parse, applied in order. */
export type TurnOp =
  | { op: 'upsert'; turn: TurnRecord }
  | { op: 'delete'; seq: number }
  | { op: 'truncate'; fromSeq: number }
  | { op: 'patch'; seq: number; patch: TurnPatch }
  /** Paginated: a late completion of a turn that is no longer open; `completed` keeps a failed or interrupted status. */
  | { op: 'patchById'; turnId: string; patch: TurnPatch }
  /** Legacy/bare: this line built (part of) turn `seq`. */
  | { op: 'line'; seq: number; offset: number; length: number; heavy: boolean }
  /** Paginated: an item_completed line; the latest one per item id wins, the first fixes its place. */
  | { op: 'item'; itemId: string; turnId: string; ordinal: number; offset: number; length: number; itemType: string; heavy: boolean }
  /** A line too long to decode on the request path, and its stub. */
  | { op: 'heavy'; offset: number; length: number; stub: string; cuts: Cut[] }
  /** How the thread's history is read, and the paginated base it inherits (forks). */
  | { op: 'history'; mode: HistoryMode; baseThreadId: string | null; baseOrdinal: number | null; baseOffset: number | null };

// ---------------------------------------------------------------------------------------------
// the legacy reducer's state (history/legacy.ts)

export interface LegacyTurn<I> {
  seq: number;
  id: string;
  explicit: boolean;
  sawCompaction: boolean;
  status: TurnStatusValue;
  error: TurnErrorJson | null;
  /** Unix seconds, as codex reports them. */
  startedAt: number | null;
  completedAt: number | null;
  durationMs: number | null;
  rootTurnId: string | null;
  /** `next_item_index` when the turn was opened (legacy item ids are item-N in thread order). */
  firstItemIndex: number;
  items: I[];
}

export interface LegacyReducerState<I> {
  current: LegacyTurn<I> | null;
  nextItemIndex: number;
  nextSeq: number;
}

/** `{id, kind}` stubs (the indexer: enough for every decision, small enough for parse state). */
export interface LightItem {
  i: string;
  k: string;
}

// ---------------------------------------------------------------------------------------------
// the turn tracker's state (turns.ts)

/** Range and preview bookkeeping of the open turn. */
export interface OpenMeta {
  seq: number;
  so: number;
  sl: number;
  eo: number;
  el: number;
  ord: number | null;
  up: string | null;
  ap: string | null;
  /** Paginated: items seen for the open turn, and its summary items (see TurnRecord). */
  n: number;
  su: string | null;
  sa: string | null;
  /** The thread's token total when the turn opened, and the turn's share so far. */
  t0: number;
  tk: number | null;
}

export interface PaginatedTurn {
  seq: number;
  id: string;
  status: TurnStatusValue;
  error: TurnErrorJson | null;
  startedAt: number | null;
  completedAt: number | null;
  durationMs: number | null;
  rootTurnId: string | null;
}

/** [turn id, seq, item count, status] of a finished legacy turn. */
export type FinishedEntry = [string, number, number, TurnStatusValue];

export interface TrackerState {
  mode: HistoryMode | null;
  /** Legacy: rollout items codex could read so far (the n of `rollout-<n>`). */
  items: number;
  legacy: LegacyReducerState<LightItem>;
  finished: FinishedEntry[];
  open: OpenMeta | null;
  pag: { current: PaginatedTurn | null; nextSeq: number };
}

// ---------------------------------------------------------------------------------------------
// the parser's state and output

export interface ParserState {
  v: number;
  format: 'bare' | 'legacy' | 'paginated' | null;
  meta: ThreadMeta;
  /** The turn index's own state (turns.ts). */
  turns: TrackerState;
  counts: ParseCounts;
}

export interface FtsEntry {
  turnSeq: number | null;
  role: 'user' | 'agent';
  text: string;
}

export interface AgentClose {
  childId: string;
  atMs: number;
}

/** What one parse produced, on top of the updated state. */
export interface ParseOutput {
  turnOps: TurnOp[];
  fts: FtsEntry[];
  /** The thread's id changed from null (first session_meta or header seen). */
  sawIdentity: boolean;
  /** Sub-agents this thread closed (`close_agent` calls), for the agent graph. */
  agentCloses: AgentClose[];
}
