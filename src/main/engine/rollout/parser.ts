// The incremental rollout parser. It reads every shape of rollout codex has written — bare legacy
// files (before 0.47: a `{id,timestamp}` header and bare response items), envelope files with
// `session_meta` (0.47+), and paginated ones (0.156+: `ordinal`, `item_completed`) — and extracts
// the thread's metadata (codex-format.md §7.4, §2.7), its turns (§2.5) and its searchable messages.
//
// All state lives in a plain object (`ParserState`) so parsing can stop at any complete line and
// resume later from the stored state and byte offset: an append costs only the appended bytes.
import { isUtf8 } from 'node:buffer';
import { peekType, type LineView } from './line-reader.ts';
import { newTrackerState, TurnTracker, type TrackerState, type TurnOp } from './turns.ts';
import { buildStub, CUT_BYTES, type Cut } from './history/stub.ts';
import { textWithout } from './json-skip.ts';
import { closedAgentOf, mayCloseAgent } from './agent-closes.ts';

export type { TurnOp, TurnRecord } from './turns.ts';

const BASE_INSTRUCTIONS_KEY = Buffer.from('"base_instructions":');

/**
 * Bump when what the parser extracts changes: an index built by another version is rebuilt.
 * 2: codex 0.169's turn semantics (ids, times, items), the item and line index.
 * 3: close_agent calls (the agent graph's closed edges).
 */
export const PARSER_VERSION = 3;

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

/** Envelope lines the parser never decodes (the tracker still sees them, undecoded). */
const UNDECODED = new Set([
  'world_state',
  'token_usage_record',
  'inter_agent_communication_metadata',
  'security_risk_score',
  'dynamic_tools_updated',
  'realtime_item',
  'retained_context',
  'inter_agent_communication',
  'compacted',
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
  /** Lines of LONG_LINE_BYTES or more (read and parsed; reported because they are unusual). */
  longLines: number;
}

/** A line this long is worth a mention in the index report (codex truncates tool output far below it). */
export const LONG_LINE_BYTES = 1024 * 1024;

export interface ParserState {
  v: number;
  format: 'bare' | 'legacy' | 'paginated' | null;
  meta: ThreadMeta;
  /** The turn index's own state (turns.ts). */
  turns: TrackerState;
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
    turns: newTrackerState(),
    counts: { lines: 0, badJson: 0, invalidUtf8: 0, unknownTypes: 0, joinedObjects: 0, longLines: 0 },
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

/** Response item types that stand bare on a line in rollouts written before codex 0.47. */
const BARE_ITEM_TYPES = new Set([
  'message',
  'reasoning',
  'function_call',
  'function_call_output',
  'custom_tool_call',
  'custom_tool_call_output',
  'local_shell_call',
  'web_search_call',
  'image_generation_call',
  'tool_search_call',
  'tool_search_output',
  'compaction',
  'ghost_snapshot',
]);

/** Texts codex injects as "user" messages that are not the user's words. */
const INJECTED_PREFIXES = [
  '<environment_context>',
  '<user_instructions>',
  '# AGENTS.md instructions',
  '<permissions instructions>',
  '<user_shell_command>',
  '<turn_aborted>',
  '<subagent_notification>',
];
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
  /** The line was decoded from its stub (history/stub.ts): it is too long for the request path. */
  heavy: boolean;
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
    const ctx: LineCtx = {
      offset: view.offset,
      nextOffset: view.nextOffset,
      index: view.index,
      ordinal: null,
      timestampMs: null,
      heavy: false,
    };
    if (end <= start) return this.turns.unreadable(ctx); // blank lines are skipped, as codex does
    if (end - start >= LONG_LINE_BYTES) st.counts.longLines += 1;
    const type = peekType(buf, start, end);
    const isEnvelope = type !== null && ENVELOPE_TYPES.has(type) && buf[start + 2] === 0x74; // {"t(imestamp)
    if (isEnvelope) {
      // Lines whose content never affects metadata, turns or search are not decoded at all: they
      // are most of a rollout's bytes (tool schemas, instructions, model-visible history).
      if ((type === 'response_item' && st.format !== 'bare') || UNDECODED.has(type)) {
        // close_agent calls are the one response item the agent graph needs.
        if (type === 'response_item' && mayCloseAgent(buf, start, end)) this.agentClose(buf.subarray(start, end), ctx);
        return this.turns.undecoded(type, view, ctx);
      }
    }
    let slice = buf.subarray(start, end);
    if (end - start > CUT_BYTES) {
      // A heavy line: decode its stub (long strings cut) here and on the request path alike.
      const stub = buildStub(buf, start, end, view.offset);
      if (stub) {
        ctx.heavy = true;
        this.turns.heavy(ctx, stub.text, stub.cuts);
        if (!isUtf8(slice)) st.counts.invalidUtf8 += 1;
        slice = Buffer.from(stub.text, 'utf8');
      }
    }
    if (!ctx.heavy && !isUtf8(slice)) st.counts.invalidUtf8 += 1;
    // session_meta is decoded without the model's base instructions: most of its bytes, never used.
    const text =
      !ctx.heavy && isEnvelope && type === 'session_meta' ? textWithout(buf, start, end, BASE_INSTRUCTIONS_KEY) : slice.toString('utf8');
    const values = parseJsonLine(text, st.counts);
    if (values === null) {
      st.counts.badJson += 1;
      return this.turns.unreadable(ctx);
    }
    for (const value of values) this.value(value, ctx);
  }

  /** A line longer than the line reader holds: it is read once to build its stub, then parsed as that. */
  oversized(stubText: string, cuts: Cut[], offset: number, length: number, index: number): void {
    const buf = Buffer.from(stubText, 'utf8');
    const ctx: LineCtx = { offset, nextOffset: offset + length + 1, index, ordinal: null, timestampMs: null, heavy: true };
    this.state.counts.lines += 1;
    this.turns.heavy(ctx, stubText, cuts);
    const values = parseJsonLine(buf.toString('utf8'), this.state.counts);
    if (values === null) {
      this.state.counts.badJson += 1;
      return this.turns.unreadable(ctx);
    }
    for (const value of values) this.value(value, ctx);
  }

  private value(v: unknown, ctx: LineCtx): void {
    if (!isObj(v)) {
      this.state.counts.badJson += 1;
      return this.turns.unreadable(ctx);
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
      return this.turns.unreadable(ctx);
    }
    this.bare(v, ctx);
  }

  // ------------------------------------------------------------------------------------------
  // envelope lines (codex ≥ 0.47)

  private envelope(type: string, payload: unknown, ctx: LineCtx): void {
    const st = this.state;
    if (st.format === null) st.format = ctx.ordinal !== null ? 'paginated' : 'legacy';
    if (isObj(payload)) {
      if (type === 'session_meta') this.sessionMeta(payload);
      else if (type === 'turn_context') this.turnContext(payload);
      else if (type === 'event_msg') this.event(payload);
      else if (type === 'response_item') this.noteAgentClose(payload, ctx.timestampMs);
    }
    this.turns.envelope(type, payload, ctx);
  }

  /** A response item that may be a close_agent call, decoded only for that (the agent graph). */
  private agentClose(line: Buffer, ctx: LineCtx): void {
    let value: unknown;
    try {
      value = JSON.parse(line.toString('utf8'));
    } catch {
      return; // not counted here: the turn tracker handles the line as it handles every undecoded one
    }
    if (isObj(value) && isObj(value['payload']))
      this.noteAgentClose(value['payload'], parseTimestampMs(value['timestamp']) ?? ctx.timestampMs);
  }

  private noteAgentClose(payload: Json, atMs: number | null): void {
    const child = closedAgentOf(payload);
    if (child !== null) this.out.agentCloses.push({ childId: child, atMs: atMs ?? 0 });
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

  private turnContext(p: Json): void {
    if (!codexReadsTurnContext(p)) return;
    const m = this.state.meta;
    const cwd = str(p['cwd']);
    if (cwd) m.cwd = cwd;
    const model = str(p['model']);
    if (model) m.model = model;
    // The latest turn context decides, and one without an effort clears it (observed on a
    // 0.169 fork of an older thread: the copied contexts said "high", the new one nothing).
    m.reasoningEffort = str(p['effort']);
    const sandbox = p['sandbox_policy'];
    if (sandbox !== undefined && sandbox !== null) m.sandboxPolicy = JSON.stringify(sandbox);
    const approval = str(p['approval_policy']);
    if (approval) m.approvalMode = approval;
  }

  /** Metadata carried by events; turns and items are the tracker's. */
  private event(p: Json): void {
    const m = this.state.meta;
    switch (p['type']) {
      case 'token_count': {
        const info = p['info'];
        if (isObj(info) && isObj(info['total_token_usage'])) {
          const total = num(info['total_token_usage']['total_tokens']);
          if (total !== null) m.tokensUsed = Math.max(0, total);
        }
        return;
      }
      case 'thread_name_updated': {
        const name = str(p['thread_name'])?.trim();
        if (name) m.name = name;
        return;
      }
      default:
        return;
    }
  }

  // ------------------------------------------------------------------------------------------
  // bare lines (codex < 0.47): a header, then bare response items and state records

  private bare(v: Json, ctx: LineCtx): void {
    const st = this.state;
    const m = st.meta;
    if (m.id === null && typeof v['id'] === 'string' && typeof v['timestamp'] === 'string' && !('type' in v)) {
      st.format ??= 'bare';
      m.id = v['id'].toLowerCase();
      m.sessionId = m.id;
      m.createdAtMs = parseTimestampMs(v['timestamp']);
      this.out.sawIdentity = true;
      if ('git' in v) m.git = gitFrom(v['git']);
      return this.turns.unreadable(ctx);
    }
    const type = v['type'];
    const known = 'record_type' in v || (typeof type === 'string' && BARE_ITEM_TYPES.has(type));
    if (!known) {
      // Not a rollout line. In a rollout it is an item type from a newer codex; in any other
      // JSON-lines file it says nothing (the file is reported as not a rollout).
      if (st.format !== null) st.counts.unknownTypes += 1;
    } else st.format ??= 'bare';
    if (known && type === 'message' && v['role'] === 'user') {
      const text = contentText(v['content']);
      if (isInjectedUserText(text)) {
        const cwd = /<cwd>([^<]*)<\/cwd>/.exec(text)?.[1];
        if (cwd && m.cwd === '') m.cwd = cwd;
      }
    }
    this.turns.bare(v, ctx);
  }

  /** The thread id the file should be indexed under: its own meta, else its file name. */
  threadId(): string | null {
    return this.state.meta.id ?? this.filenameId;
  }
}

/**
 * Whether codex 0.169 can decode this turn_context for metadata. Codex 0.47–0.6x wrote
 * `sandbox_policy` as `{"mode": …}`; today's codex expects `{"type": …}`, fails to decode the
 * whole item and so takes no cwd, model or effort from it (observed: such threads have no model
 * in codex's state DB). Spool does the same so its metadata matches codex's.
 */
function codexReadsTurnContext(p: Json): boolean {
  const sandbox = p['sandbox_policy'];
  if (sandbox === undefined || sandbox === null) return true;
  return isObj(sandbox) && typeof sandbox['type'] === 'string';
}

function gitFrom(g: unknown): GitMeta | null {
  if (!isObj(g)) return null;
  const sha = str(g['commit_hash']);
  const branch = str(g['branch']);
  const originUrl = str(g['repository_url']);
  return { sha, branch, originUrl };
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
