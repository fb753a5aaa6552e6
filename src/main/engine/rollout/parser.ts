// The incremental rollout parser. It reads every shape of rollout codex has written — bare legacy
// files (before 0.47: a `{id,timestamp}` header and bare response items), envelope files with
// `session_meta` (0.47+), and paginated ones (0.156+: `ordinal`, `item_completed`) — and extracts
// the thread's metadata (thread-meta.ts), its turns (turns.ts) and its searchable messages.
//
// All state lives in a plain object (`ParserState`, parse-types.ts) so parsing can stop at any
// complete line and resume later from the stored state and byte offset: an append costs only the
// appended bytes.
import { isUtf8 } from 'node:buffer';
import { peekType } from './line-reader.ts';
import { newTrackerState, TurnTracker } from './turns.ts';
import { buildStub, CUT_BYTES } from './history/stub.ts';
import { contentText } from './history/bare.ts';
import { textWithout } from './json-skip.ts';
import { closedAgentOf, mayCloseAgent } from './agent-closes.ts';
import { isInjectedUserText } from './injected-text.ts';
import { BARE_ITEM_TYPES, ENVELOPE_TYPES } from './item-types.ts';
import { parseJsonLine } from './json-line.ts';
import { isObj, num, parseTimestampMs, type Json } from './json-value.ts';
import { applyBareHeader, applyEventMeta, applySessionMeta, applyTurnContext, newThreadMeta } from './thread-meta.ts';
import type { Cut, LineCtx, LineView, ParseOutput, ParserState } from './parse-types.ts';

const BASE_INSTRUCTIONS_KEY = Buffer.from('"base_instructions":');

/**
 * Bump when what the parser extracts changes: an index built by another version is rebuilt.
 * 2: codex 0.169's turn semantics (ids, times, items), the item and line index.
 * 3: close_agent calls (the agent graph's closed edges).
 */
export const PARSER_VERSION = 3;

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

/** A line this long is worth a mention in the index report (codex truncates tool output far below it). */
export const LONG_LINE_BYTES = 1024 * 1024;

export function newParserState(): ParserState {
  return {
    v: PARSER_VERSION,
    format: null,
    meta: newThreadMeta(),
    turns: newTrackerState(),
    counts: { lines: 0, badJson: 0, invalidUtf8: 0, unknownTypes: 0, joinedObjects: 0, longLines: 0 },
  };
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
      if (type === 'session_meta') {
        if (applySessionMeta(st.meta, payload)) this.out.sawIdentity = true;
      } else if (type === 'turn_context') applyTurnContext(st.meta, payload);
      else if (type === 'event_msg') applyEventMeta(st.meta, payload);
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

  // ------------------------------------------------------------------------------------------
  // bare lines (codex < 0.47): a header, then bare response items and state records

  private bare(v: Json, ctx: LineCtx): void {
    const st = this.state;
    const m = st.meta;
    if (m.id === null && typeof v['id'] === 'string' && typeof v['timestamp'] === 'string' && !('type' in v)) {
      st.format ??= 'bare';
      applyBareHeader(m, v['id'], v);
      this.out.sawIdentity = true;
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
