// The incremental rollout parser. It reads every shape of rollout codex has written — bare legacy
// files (before 0.47: a `{id,timestamp}` header and bare response items), envelope files with
// `session_meta` (0.47+), and paginated ones (0.156+: `ordinal`, `item_completed`) — and extracts
// the thread's metadata (codex-format.md §7.4, §2.7), its turns (§2.5) and its searchable messages.
//
// All state lives in a plain object (`ParserState`) so parsing can stop at any complete line and
// resume later from the stored state and byte offset: an append costs only the appended bytes.
import { isUtf8 } from 'node:buffer';
import { peekType, type LineView } from './line-reader.ts';
import { TurnTracker } from './turns.ts';
import { closedAgentOf, mayCloseAgent } from '../graph/agent-closes.ts';

export const PARSER_VERSION = 1;

/** Codex's envelope types (codex 0.169 tag table); anything else on an envelope line is unknown. */
const ENVELOPE_TYPES = new Set([
  'session_meta',
  'dynamic_tools_updated',
  'response_item',
  'inter_agent_communication',
  'inter_agent_communication_metadata',
  'compacted',
  'turn_context',
  'token_usage_record',
  'world_state',
  'security_risk_score',
  'event_msg',
  'realtime_item',
  'retained_context',
]);

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

export type TurnStatusValue = 'completed' | 'interrupted' | 'failed' | 'inProgress';

export interface TurnRecord {
  seq: number;
  turnId: string;
  rootTurnId: string | null;
  status: TurnStatusValue;
  error: { message: string; codexErrorInfo: unknown; additionalDetails: null } | null;
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
  sawCompaction: boolean;
  /** Kind of the last item, to merge consecutive reasoning events as codex does. */
  lastItemKind: string | null;
}

/** Changes to the turn table produced by a parse, applied in order. */
export type TurnOp =
  | { op: 'upsert'; turn: TurnRecord }
  | { op: 'delete'; seq: number }
  | { op: 'truncate'; fromSeq: number }
  | { op: 'patchById'; turnId: string; patch: Partial<Pick<TurnRecord, 'status' | 'error' | 'completedAtMs' | 'durationMs'>> };

export interface FtsEntry {
  turnSeq: number | null;
  role: 'user' | 'agent';
  text: string;
}

export interface ParseCounts {
  lines: number;
  badJson: number;
  invalidUtf8: number;
  unknownTypes: number;
  joinedObjects: number;
}

export interface ParserState {
  v: number;
  format: 'bare' | 'legacy' | 'paginated' | null;
  meta: ThreadMeta;
  /** The open turn, if any. */
  current: TurnRecord | null;
  /** The last finished turn (codex matches a late task_complete against finished turns). */
  lastFinished: TurnRecord | null;
  nextSeq: number;
  nextItemIndex: number;
  counts: ParseCounts;
}

export function newParserState(): ParserState {
  return {
    v: PARSER_VERSION,
    format: null,
    meta: {
      id: null,
      sessionId: null,
      forkedFromId: null,
      createdAtMs: null,
      source: null,
      cwd: '',
      originator: null,
      cliVersion: '',
      modelProvider: null,
      model: null,
      reasoningEffort: null,
      agentNickname: null,
      agentRole: null,
      agentPath: null,
      metaParentId: null,
      threadSource: null,
      historyMode: 'legacy',
      memoryMode: null,
      git: null,
      firstUserMessage: '',
      preview: '',
      name: null,
      tokensUsed: 0,
      sandboxPolicy: null,
      approvalMode: null,
      lastEventMs: null,
    },
    current: null,
    lastFinished: null,
    nextSeq: 0,
    nextItemIndex: 1,
    counts: { lines: 0, badJson: 0, invalidUtf8: 0, unknownTypes: 0, joinedObjects: 0 },
  };
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function parseTimestampMs(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

/** Texts codex injects as "user" messages that are not the user's words. */
const INJECTED_PREFIXES = ['<environment_context>', '<user_instructions>', '# AGENTS.md instructions', '<permissions instructions>', '<user_shell_command>', '<turn_aborted>', '<subagent_notification>'];
export const isInjectedUserText = (t: string): boolean => {
  const s = t.trimStart();
  return INJECTED_PREFIXES.some((p) => s.startsWith(p));
};

/**
 * JSON.parse, with one repair: codex 0.8 could leave a line without its newline so the next write
 * joined two objects on one line (`{…}{…}`). Returns every object found.
 */
export function parseJsonLine(text: string, counts: ParseCounts): unknown[] | null {
  try {
    return [JSON.parse(text)];
  } catch {
    // fall through to the repair
  }
  const parts: unknown[] = [];
  let from = 0;
  let at = text.indexOf('}{', from);
  while (at >= 0) {
    try {
      parts.push(JSON.parse(text.slice(from, at + 1)));
      from = at + 1;
    } catch {
      // `}{` inside a string: keep looking
    }
    at = text.indexOf('}{', at + 1);
  }
  if (parts.length === 0) return null;
  try {
    parts.push(JSON.parse(text.slice(from)));
  } catch {
    return null;
  }
  counts.joinedObjects += 1;
  return parts;
}

export interface LineCtx {
  offset: number;
  nextOffset: number;
  index: number;
  ordinal: number | null;
  timestampMs: number | null;
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

export interface AgentClose {
  childId: string;
  atMs: number;
}

export class RolloutParser {
  readonly state: ParserState;
  readonly out: ParseOutput = { turnOps: [], fts: [], sawIdentity: false, agentCloses: [] };
  private readonly filenameId: string | null;

  private readonly turns: TurnTracker;

  constructor(state: ParserState, filenameId: string | null) {
    this.state = state;
    this.filenameId = filenameId;
    this.turns = new TurnTracker(state, this.out);
  }

  /** Emits the open turn as it stands (in progress), so the index shows a turn being written. */
  flushOpenTurn(): void {
    this.turns.flushOpenTurn();
  }

  /** Feeds one complete line (without its newline). */
  line(view: LineView): void {
    const { buf, start, end } = view;
    const st = this.state;
    st.counts.lines += 1;
    if (end <= start) return; // blank lines are skipped, as codex does
    const type = peekType(buf, start, end);
    const isEnvelope = type !== null && ENVELOPE_TYPES.has(type) && buf[start + 2] === 0x74; // {"t(imestamp)
    const ctx: LineCtx = { offset: view.offset, nextOffset: view.nextOffset, index: view.index, ordinal: null, timestampMs: null };
    if (isEnvelope) {
      // Lines whose content never affects metadata, turns or search are not decoded at all: they
      // are most of a rollout's bytes (tool schemas, instructions, model-visible history).
      if (type === 'response_item' && st.format !== 'bare' && !mayCloseAgent(buf, start, end)) return this.turns.extendCurrent(ctx);
      if (type === 'world_state' || type === 'token_usage_record' || type === 'inter_agent_communication_metadata' || type === 'security_risk_score' || type === 'dynamic_tools_updated' || type === 'realtime_item' || type === 'retained_context' || type === 'inter_agent_communication') {
        return this.turns.extendCurrent(ctx);
      }
      if (type === 'compacted') return this.onCompacted(ctx);
    }
    const slice = buf.subarray(start, end);
    if (!isUtf8(slice)) st.counts.invalidUtf8 += 1;
    const values = parseJsonLine(slice.toString('utf8'), st.counts);
    if (values === null) {
      st.counts.badJson += 1;
      return;
    }
    for (const value of values) this.value(value, ctx);
  }

  private value(v: unknown, ctx: LineCtx): void {
    if (!isObj(v)) {
      this.state.counts.badJson += 1;
      return;
    }
    const type = v['type'];
    if (typeof type === 'string' && 'payload' in v && ENVELOPE_TYPES.has(type)) {
      ctx.ordinal = num(v['ordinal']);
      ctx.timestampMs = parseTimestampMs(v['timestamp']);
      if (ctx.timestampMs !== null) this.state.meta.lastEventMs = ctx.timestampMs;
      return this.envelope(type, v['payload'], ctx);
    }
    if (typeof type === 'string' && 'payload' in v) {
      this.state.counts.unknownTypes += 1;
      return;
    }
    this.bare(v, ctx);
  }

  // ------------------------------------------------------------------------------------------
  // envelope lines (codex ≥ 0.47)

  private envelope(type: string, payload: unknown, ctx: LineCtx): void {
    const st = this.state;
    if (st.format === null) st.format = ctx.ordinal !== null ? 'paginated' : 'legacy';
    if (!isObj(payload)) return this.turns.extendCurrent(ctx);
    switch (type) {
      case 'session_meta':
        this.sessionMeta(payload);
        return this.turns.extendCurrent(ctx);
      case 'turn_context':
        return this.turnContext(payload, ctx);
      case 'event_msg':
        return this.event(payload, ctx);
      case 'response_item': {
        // Reached for close_agent calls (the agent graph), and for bare files that later got
        // envelope lines appended.
        const child = closedAgentOf(payload);
        if (child !== null) this.out.agentCloses.push({ childId: child, atMs: ctx.timestampMs ?? 0 });
        return this.turns.extendCurrent(ctx);
      }
      default:
        return this.turns.extendCurrent(ctx);
    }
  }

  private sessionMeta(p: Json): void {
    const st = this.state;
    const m = st.meta;
    const id = str(p['id'])?.toLowerCase() ?? null;
    if (m.id === null) {
      // The first session_meta names the thread. A file whose name carries another id is still
      // that thread's file only if the meta agrees; forks embed their source's meta later on.
      if (id === null) return;
      m.id = id;
      this.out.sawIdentity = true;
      m.sessionId = str(p['session_id'])?.toLowerCase() ?? id;
      m.forkedFromId = str(p['forked_from_id'])?.toLowerCase() ?? null;
      m.createdAtMs = parseTimestampMs(p['timestamp']);
      m.source = p['source'] ?? null;
      m.originator = str(p['originator']);
      m.agentNickname = str(p['agent_nickname']);
      m.agentRole = str(p['agent_role']);
      m.agentPath = str(p['agent_path']);
      m.metaParentId = str(p['parent_thread_id'])?.toLowerCase() ?? null;
      m.threadSource = str(p['thread_source']);
      if (p['history_mode'] === 'paginated') m.historyMode = 'paginated';
    } else if (id !== m.id) {
      return;
    }
    const provider = str(p['model_provider']);
    if (provider) m.modelProvider = provider;
    const cli = str(p['cli_version']);
    if (cli) m.cliVersion = cli;
    const cwd = str(p['cwd']);
    if (cwd) m.cwd = cwd;
    const mem = str(p['memory_mode']);
    if (mem) m.memoryMode = mem;
    if (p['history_mode'] === 'paginated') m.historyMode = 'paginated';
    if ('git' in p) m.git = gitFrom(p['git']);
  }

  private turnContext(p: Json, ctx: LineCtx): void {
    const m = this.state.meta;
    const cwd = str(p['cwd']);
    if (cwd) m.cwd = cwd;
    const model = str(p['model']);
    if (model) m.model = model;
    if ('effort' in p) m.reasoningEffort = str(p['effort']);
    const sandbox = p['sandbox_policy'];
    if (sandbox !== undefined && sandbox !== null) m.sandboxPolicy = JSON.stringify(sandbox);
    const approval = str(p['approval_policy']);
    if (approval) m.approvalMode = approval;

    const turnId = str(p['turn_id']);
    const cur = this.state.current;
    if (cur && !cur.explicit && cur.itemCount === 0 && turnId) {
      cur.turnId = turnId; // an implicit, still-empty turn adopts the context's id
      this.turns.extendCurrent(ctx);
      return;
    }
    if (turnId && (!cur || cur.turnId !== turnId)) {
      this.turns.finishCurrent();
      this.turns.openTurn(turnId, false, ctx);
      return;
    }
    this.turns.extendCurrent(ctx);
  }

  private event(p: Json, ctx: LineCtx): void {
    const st = this.state;
    const m = st.meta;
    switch (p['type']) {
      case 'task_started': {
        const turnId = str(p['turn_id']) ?? `rollout-${ctx.index}`;
        const cur = st.current;
        const startedAtMs = secondsToMs(p['started_at']) ?? ctx.timestampMs;
        if (cur && cur.turnId === turnId && !cur.explicit) {
          cur.explicit = true;
          cur.startedAtMs = startedAtMs;
          cur.rootTurnId = str(p['root_turn_id']) ?? cur.rootTurnId;
          this.turns.extendCurrent(ctx);
        } else {
          this.turns.finishCurrent();
          const t = this.turns.openTurn(turnId, true, ctx);
          t.startedAtMs = startedAtMs;
          t.rootTurnId = str(p['root_turn_id']);
        }
        return;
      }
      case 'task_complete': {
        const turnId = str(p['turn_id']);
        const patch = {
          completedAtMs: secondsToMs(p['completed_at']) ?? ctx.timestampMs,
          durationMs: num(p['duration_ms']),
        };
        const last = str(p['last_agent_message']);
        this.turns.closeTurn(turnId, 'completed', patch, ctx, last);
        return;
      }
      case 'turn_aborted': {
        const turnId = str(p['turn_id']);
        this.turns.closeTurn(turnId, 'interrupted', { completedAtMs: secondsToMs(p['completed_at']) ?? ctx.timestampMs, durationMs: num(p['duration_ms']) }, ctx, null);
        return;
      }
      case 'error': {
        const cur = st.current;
        if (cur) {
          cur.status = 'failed';
          cur.error = { message: str(p['message']) ?? 'error', codexErrorInfo: p['codex_error_info'] ?? null, additionalDetails: null };
        }
        this.turns.extendCurrent(ctx);
        return;
      }
      case 'user_message': {
        const text = str(p['message']) ?? '';
        const images = countImages(p);
        this.turns.userMessage(text, images, ctx);
        return;
      }
      case 'agent_message': {
        const text = str(p['message']) ?? '';
        if (text === '') return this.turns.extendCurrent(ctx);
        this.turns.agentMessage(text, ctx);
        return;
      }
      case 'agent_reasoning':
      case 'agent_reasoning_raw_content': {
        const t = this.turns.ensureTurn(ctx);
        if (t.lastItemKind !== 'reasoning') this.turns.addItem(t, 'reasoning');
        this.turns.extendCurrent(ctx);
        return;
      }
      case 'item_completed':
      case 'item_started':
        return this.typedItem(p, ctx);
      case 'token_count': {
        const info = p['info'];
        if (isObj(info) && isObj(info['total_token_usage'])) {
          const total = num(info['total_token_usage']['total_tokens']);
          if (total !== null) m.tokensUsed = Math.max(0, total);
        }
        return this.turns.extendCurrent(ctx);
      }
      case 'thread_name_updated': {
        const name = str(p['thread_name'])?.trim();
        if (name) m.name = name;
        return this.turns.extendCurrent(ctx);
      }
      case 'thread_rolled_back': {
        const n = num(p['num_turns']) ?? 0;
        this.turns.finishCurrent();
        if (n > 0) {
          const fromSeq = Math.max(0, st.nextSeq - n);
          this.out.turnOps.push({ op: 'truncate', fromSeq });
          st.nextSeq = fromSeq;
          st.lastFinished = null;
        }
        return;
      }
      case 'context_compacted': {
        const t = this.turns.ensureTurn(ctx);
        t.sawCompaction = true;
        this.turns.addItem(t, 'contextCompaction');
        this.turns.extendCurrent(ctx);
        return;
      }
      case 'entered_review_mode':
      case 'exited_review_mode':
      case 'exec_command_end':
      case 'patch_apply_end':
      case 'mcp_tool_call_end':
      case 'web_search_end':
      case 'view_image_tool_call':
      case 'image_generation_end':
      case 'undo_completed': {
        const t = this.turns.ensureTurn(ctx);
        this.turns.addItem(t, String(p['type']));
        this.turns.extendCurrent(ctx);
        return;
      }
      default:
        return this.turns.extendCurrent(ctx);
    }
  }

  private typedItem(p: Json, ctx: LineCtx): void {
    const item = p['item'];
    if (!isObj(item)) return this.turns.extendCurrent(ctx);
    const turnId = str(p['turn_id']);
    const cur = this.state.current;
    let t: TurnRecord;
    if (cur && (turnId === null || cur.turnId === turnId)) t = cur;
    else {
      this.turns.finishCurrent();
      t = this.turns.openTurn(turnId ?? `rollout-${ctx.index}`, false, ctx);
    }
    const kind = str(item['type']) ?? 'unknown';
    if (p['type'] === 'item_completed') {
      if (kind === 'UserMessage') {
        const { text, images } = userItemText(item);
        this.turns.noteUserText(t, text, images);
      } else if (kind === 'AgentMessage') {
        const text = agentItemText(item);
        if (text) this.turns.noteAgentText(t, text);
      }
      t.itemCount += 1;
      t.lastItemKind = kind;
    }
    this.turns.extendCurrent(ctx);
  }

  private onCompacted(ctx: LineCtx): void {
    const t = this.turns.ensureTurn(ctx);
    t.sawCompaction = true;
    this.turns.addItem(t, 'contextCompaction');
    this.turns.extendCurrent(ctx);
  }

  // ------------------------------------------------------------------------------------------
  // bare lines (codex < 0.47): a header, then bare response items and state records

  private bare(v: Json, ctx: LineCtx): void {
    const st = this.state;
    const m = st.meta;
    if (st.format === null) st.format = 'bare';
    if (m.id === null && typeof v['id'] === 'string' && typeof v['timestamp'] === 'string' && !('type' in v)) {
      m.id = v['id'].toLowerCase();
      m.sessionId = m.id;
      m.createdAtMs = parseTimestampMs(v['timestamp']);
      this.out.sawIdentity = true;
      if ('git' in v) m.git = gitFrom(v['git']);
      return;
    }
    if ('record_type' in v) return this.turns.extendCurrent(ctx);
    const type = v['type'];
    if (type === 'message') {
      const role = v['role'];
      const text = contentText(v['content']);
      if (role === 'user') {
        if (isInjectedUserText(text)) {
          const cwd = /<cwd>([^<]*)<\/cwd>/.exec(text)?.[1];
          if (cwd && m.cwd === '') m.cwd = cwd;
          return this.turns.extendCurrent(ctx);
        }
        return this.turns.userMessage(text, countContentImages(v['content']), ctx);
      }
      if (role === 'assistant') {
        if (text === '') return this.turns.extendCurrent(ctx);
        return this.turns.agentMessage(text, ctx);
      }
      return this.turns.extendCurrent(ctx);
    }
    if (type === 'reasoning') {
      const t = this.turns.ensureTurn(ctx);
      if (t.lastItemKind !== 'reasoning') this.turns.addItem(t, 'reasoning');
      return this.turns.extendCurrent(ctx);
    }
    if (type === 'function_call' || type === 'local_shell_call' || type === 'custom_tool_call') {
      const t = this.turns.ensureTurn(ctx);
      this.turns.addItem(t, 'toolCall');
      return this.turns.extendCurrent(ctx);
    }
    if (typeof type !== 'string') st.counts.unknownTypes += 1;
    this.turns.extendCurrent(ctx);
  }

  /** The thread id the file should be indexed under: its own meta, else its file name. */
  threadId(): string | null {
    return this.state.meta.id ?? this.filenameId;
  }
}

function secondsToMs(v: unknown): number | null {
  const n = num(v);
  return n === null ? null : Math.round(n * 1000);
}

function gitFrom(g: unknown): GitMeta | null {
  if (!isObj(g)) return null;
  const sha = str(g['commit_hash']);
  const branch = str(g['branch']);
  const originUrl = str(g['repository_url']);
  return { sha, branch, originUrl };
}

function countImages(p: Json): number {
  const a = Array.isArray(p['images']) ? p['images'].length : 0;
  const b = Array.isArray(p['local_images']) ? p['local_images'].length : 0;
  return a + b;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const c of content) {
    if (isObj(c) && typeof c['text'] === 'string') parts.push(c['text']);
  }
  return parts.join('\n');
}

function countContentImages(content: unknown): number {
  if (!Array.isArray(content)) return 0;
  return content.filter((c) => isObj(c) && (c['type'] === 'input_image' || c['type'] === 'image')).length;
}

function userItemText(item: Json): { text: string; images: number } {
  const content = item['content'];
  if (!Array.isArray(content)) return { text: '', images: 0 };
  const texts: string[] = [];
  let images = 0;
  for (const c of content) {
    if (!isObj(c)) continue;
    const t = String(c['type'] ?? '').toLowerCase();
    if (t === 'text' && typeof c['text'] === 'string') texts.push(c['text']);
    else if (t === 'image' || t === 'localimage' || t === 'local_image') images += 1;
  }
  return { text: texts.join('\n'), images };
}

function agentItemText(item: Json): string {
  if (typeof item['text'] === 'string') return item['text'];
  return contentText(item['content']);
}
