// The turn index, built while indexing (in the parse workers). It follows codex's own reading of a
// rollout so that turns can later be served by seeking, never by replaying the file:
//
// - legacy rollouts run codex's ThreadHistoryBuilder (history/legacy.ts) with `{id, kind}` items;
//   each turn records its id as codex assigns it, status, times, byte range and the offsets of the
//   lines that built it (`line` ops), so a request replays exactly those lines;
// - paginated rollouts (codex ≥ 0.156) follow codex's history projection: turns open at
//   `task_started`, and every `item_completed` line is one item (`item` ops: the offset of its
//   latest version, its turn and the ordinals thread/items/list pages by);
// - bare rollouts (codex < 0.47), which codex no longer reads, get implicit turns from their plain
//   response items.
//
// Metadata the engine shows elsewhere is noted here too (the thread preview from the first user
// message, turn previews, search text). All state is plain data in the parser's state, so tracking
// resumes exactly after an append.
import { clip, userMessagePreview } from './text.ts';
import type { LineCtx, ParseOutput, ParserState, TurnStatusValue } from './parser.ts';
import { countsAsRolloutItem, countsUndecoded, peekPayloadType } from './history/classify.ts';
import { isObj, threadItemType, turnError, type Json, type TurnErrorJson } from './history/convert.ts';
import {
  LegacyReducer,
  lightKit,
  newLegacyState,
  type FinishedRef,
  type FinishedTurns,
  type LegacyReducerState,
  type LegacyTurn,
  type LightItem,
  type TurnMetaPatch,
} from './history/legacy.ts';
import { bareLine } from './history/bare.ts';
import type { Cut } from './history/stub.ts';
import type { LineView } from './line-reader.ts';

/** Codex keeps the whole first message as the preview (observed: 6,623 characters); this only bounds a pathological one. */
const PREVIEW_MAX = 1024 * 1024;
const TURN_PREVIEW_MAX = 400;
/** Text indexed for search per message; longer messages are indexed by their head. */
const FTS_TEXT_MAX = 64 * 1024;

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

/** Range and preview bookkeeping of the open turn. */
interface OpenMeta {
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

interface PaginatedTurn {
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
type FinishedEntry = [string, number, number, TurnStatusValue];

export interface TrackerState {
  mode: HistoryMode | null;
  /** Legacy: rollout items codex could read so far (the n of `rollout-<n>`). */
  items: number;
  legacy: LegacyReducerState<LightItem>;
  finished: FinishedEntry[];
  open: OpenMeta | null;
  pag: { current: PaginatedTurn | null; nextSeq: number };
}

export const newTrackerState = (): TrackerState => ({
  mode: null,
  items: 0,
  legacy: newLegacyState<LightItem>(),
  finished: [],
  open: null,
  pag: { current: null, nextSeq: 0 },
});

/** How many turns the thread has (the open one included). */
export function trackedTurnCount(s: TrackerState): number {
  return s.mode === 'paginated' ? s.pag.nextSeq : s.legacy.nextSeq;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const secondsToMs = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000));

export class TurnTracker {
  private readonly parser: ParserState;
  private readonly st: TrackerState;
  private readonly out: ParseOutput;
  private readonly reducer: LegacyReducer<LightItem>;
  private ctx: LineCtx | null = null;
  /** Turns already given a `line` op for the line being handled. */
  private touched = new Set<number>();

  constructor(parser: ParserState, out: ParseOutput) {
    this.parser = parser;
    this.st = parser.turns;
    this.out = out;
    this.reducer = new LegacyReducer(this.st.legacy, lightKit, new IndexFinished(this), {
      touch: (seq) => this.touch(seq),
      dropped: (seq) => {
        if (this.st.open?.seq === seq) this.st.open = null;
        this.out.turnOps.push({ op: 'delete', seq });
      },
      rolledBack: (fromSeq) => this.out.turnOps.push({ op: 'truncate', fromSeq }),
    });
  }

  // -------------------------------------------------------------------------------------------
  // entry points (one per line)

  private begin(ctx: LineCtx): void {
    this.ctx = ctx;
    this.touched.clear();
  }

  /** A line that could not be read at all (bad JSON, invalid shape). */
  unreadable(ctx: LineCtx): void {
    this.begin(ctx);
    this.extendOpen();
  }

  /** An envelope line the parser did not decode (response items, world state, compaction, …). */
  undecoded(type: string, view: LineView, ctx: LineCtx): void {
    this.begin(ctx);
    if (this.st.mode === 'legacy' || this.st.mode === null) {
      const itemType = type === 'response_item' ? peekPayloadType(view.buf, view.start, view.end) : null;
      if (countsUndecoded(type, itemType)) {
        this.reducer.rolloutIndex = this.st.items++;
        if (type === 'compacted') this.reducer.compacted();
      }
    }
    this.extendOpen();
  }

  /** A decoded envelope line (`{"timestamp","type","payload"}`). */
  envelope(type: string, payload: unknown, ctx: LineCtx): void {
    this.begin(ctx);
    if (type === 'session_meta' && this.st.mode === null && isObj(payload)) this.decideMode(payload);
    if (this.st.mode === 'paginated') this.paginated(type, payload);
    else {
      if (this.st.mode === null) this.setMode('legacy', null);
      if (countsAsRolloutItem(type, payload)) {
        this.reducer.rolloutIndex = this.st.items++;
        if (type === 'event_msg' && isObj(payload)) this.legacyEvent(payload);
        else if (type === 'compacted') this.reducer.compacted();
      } else if (type === 'event_msg' && isObj(payload) && payload['type'] === 'user_message') {
        // Not a turn item for codex, but still the thread's first message for its metadata.
        this.notePreviewOnly(payload);
      }
    }
    this.extendOpen();
  }

  /** A line of a bare (pre-0.47) rollout. */
  bare(v: Json, ctx: LineCtx): void {
    this.begin(ctx);
    if (this.st.mode === null) this.setMode('bare', null);
    this.reducer.rolloutIndex = ctx.index;
    const note = bareLine(this.reducer, v);
    if (note?.role === 'user') this.noteUser(note.text, note.images);
    else if (note?.role === 'agent') this.noteAgent(note.text);
    this.extendOpen();
  }

  /** The line being handled is heavy: it was decoded from its stub. */
  heavy(ctx: LineCtx, stub: string, cuts: Cut[]): void {
    this.out.turnOps.push({ op: 'heavy', offset: ctx.offset, length: ctx.nextOffset - ctx.offset, stub, cuts });
  }

  /** Emits the open turn as it stands (in progress), so the index shows a turn being written. */
  flushOpenTurn(): void {
    if (this.st.mode === 'paginated') {
      const cur = this.st.pag.current;
      if (cur) this.emitPaginated(cur);
      return;
    }
    const cur = this.st.legacy.current;
    if (cur) this.emitLegacy(cur);
  }

  // -------------------------------------------------------------------------------------------
  // mode

  private decideMode(meta: Json): void {
    if (meta['history_mode'] !== 'paginated') return this.setMode('legacy', null);
    const base = isObj(meta['history_base']) ? meta['history_base'] : null;
    this.setMode('paginated', base);
  }

  private setMode(mode: HistoryMode, base: Json | null): void {
    this.st.mode = mode;
    this.out.turnOps.push({
      op: 'history',
      mode,
      baseThreadId: base ? (str(base['thread_id'])?.toLowerCase() ?? null) : null,
      baseOrdinal: base ? num(base['end_ordinal_exclusive']) : null,
      baseOffset: base ? num(base['end_byte_offset']) : null,
    });
  }

  // -------------------------------------------------------------------------------------------
  // line bookkeeping

  private touch(seq: number): void {
    const ctx = this.ctx;
    if (!ctx) return;
    let open = this.st.open;
    const cur = this.st.mode === 'paginated' ? this.st.pag.current : this.st.legacy.current;
    if (cur && cur.seq === seq && (!open || open.seq !== seq)) {
      open = {
        seq,
        so: ctx.offset,
        sl: ctx.index,
        eo: ctx.nextOffset,
        el: ctx.index + 1,
        ord: ctx.ordinal,
        up: null,
        ap: null,
        n: 0,
        su: null,
        sa: null,
        t0: this.parser.meta.tokensUsed,
        tk: null,
      };
      this.st.open = open;
    }
    if (this.st.mode === 'paginated' || this.touched.has(seq)) return;
    this.touched.add(seq);
    this.out.turnOps.push({ op: 'line', seq, offset: ctx.offset, length: ctx.nextOffset - ctx.offset, heavy: ctx.heavy });
  }

  /** Extends the open turn's byte range over the line being handled, and its token count. */
  private extendOpen(): void {
    const open = this.st.open;
    const ctx = this.ctx;
    if (!open || !ctx) return;
    open.eo = ctx.nextOffset;
    open.el = ctx.index + 1;
    const used = this.parser.meta.tokensUsed - open.t0;
    if (used > 0) open.tk = used;
  }

  private record(
    seq: number,
    fields: Omit<
      TurnRecord,
      | 'seq'
      | 'startOffset'
      | 'endOffset'
      | 'startLine'
      | 'endLine'
      | 'rolloutOrdinal'
      | 'userPreview'
      | 'agentPreview'
      | 'summaryUserItem'
      | 'summaryAgentItem'
      | 'tokensUsed'
    >,
  ): TurnRecord {
    const open = this.st.open && this.st.open.seq === seq ? this.st.open : null;
    const ctx = this.ctx;
    const at = ctx?.offset ?? 0;
    return {
      seq,
      ...fields,
      startOffset: open?.so ?? at,
      endOffset: open?.eo ?? ctx?.nextOffset ?? at,
      startLine: open?.sl ?? ctx?.index ?? 0,
      endLine: open?.el ?? (ctx ? ctx.index + 1 : 0),
      rolloutOrdinal: open?.ord ?? null,
      userPreview: open?.up ?? null,
      agentPreview: open?.ap ?? null,
      summaryUserItem: open?.su ?? null,
      summaryAgentItem: open?.sa ?? null,
      tokensUsed: open?.tk ?? null,
    };
  }

  emitLegacy(t: LegacyTurn<LightItem>): void {
    this.extendOpen();
    this.out.turnOps.push({
      op: 'upsert',
      turn: this.record(t.seq, {
        turnId: t.id,
        rootTurnId: t.rootTurnId,
        status: t.status,
        error: t.error,
        startedAtMs: secondsToMs(t.startedAt),
        completedAtMs: secondsToMs(t.completedAt),
        durationMs: t.durationMs,
        firstItemIndex: t.firstItemIndex,
        itemCount: t.items.length,
        explicit: t.explicit,
      }),
    });
  }

  /** A legacy turn finished: its final row; the open-turn bookkeeping goes with it. */
  finishedLegacy(t: LegacyTurn<LightItem>): void {
    this.emitLegacy(t);
    if (this.st.open?.seq === t.seq) this.st.open = null;
  }

  patchLegacy(seq: number, patch: TurnPatch): void {
    this.out.turnOps.push({ op: 'patch', seq, patch });
  }

  // -------------------------------------------------------------------------------------------
  // legacy events

  private legacyEvent(p: Json): void {
    const type = p['type'];
    this.reducer.event(p);
    const cur = this.st.legacy.current;
    if (type === 'user_message' && cur) {
      const text = str(p['message']) ?? '';
      const images =
        (Array.isArray(p['images']) ? p['images'].length : 0) + (Array.isArray(p['local_images']) ? p['local_images'].length : 0);
      this.noteUser(text, images);
    } else if (type === 'agent_message' && cur) {
      const text = str(p['message']) ?? '';
      if (text !== '') this.noteAgent(text);
    }
  }

  // -------------------------------------------------------------------------------------------
  // paginated rollouts

  private paginated(type: string, payload: unknown): void {
    if (type !== 'event_msg' || !isObj(payload)) return;
    const p = payload;
    const pag = this.st.pag;
    switch (p['type']) {
      case 'task_started': {
        this.finishPaginated();
        const t: PaginatedTurn = {
          seq: pag.nextSeq++,
          id: str(p['turn_id']) ?? '',
          status: 'inProgress',
          error: null,
          startedAt: num(p['started_at']),
          completedAt: null,
          durationMs: null,
          rootTurnId: str(p['root_turn_id']),
        };
        pag.current = t;
        this.touch(t.seq);
        return;
      }
      case 'task_complete': {
        const id = str(p['turn_id']) ?? '';
        const err = isObj(p['error']) ? turnError(p['error']) : null;
        const cur = pag.current;
        if (cur && cur.id === id) {
          if (err) {
            cur.status = 'failed';
            cur.error = err;
          } else if (cur.status === 'inProgress' || cur.status === 'completed') cur.status = 'completed';
          cur.completedAt = num(p['completed_at']);
          cur.durationMs = num(p['duration_ms']);
          this.finishPaginated();
          return;
        }
        const patch: TurnPatch = {
          status: err ? 'failed' : 'completed',
          completedAtMs: secondsToMs(num(p['completed_at'])),
          durationMs: num(p['duration_ms']),
        };
        if (err) patch.error = err;
        this.out.turnOps.push({ op: 'patchById', turnId: id, patch });
        return;
      }
      case 'turn_aborted': {
        const id = str(p['turn_id']);
        const cur = pag.current;
        if (cur && (id === null || cur.id === id)) {
          cur.status = 'interrupted';
          cur.completedAt = num(p['completed_at']);
          cur.durationMs = num(p['duration_ms']);
          this.emitPaginated(cur);
          return;
        }
        if (id !== null)
          this.out.turnOps.push({
            op: 'patchById',
            turnId: id,
            patch: { status: 'interrupted', completedAtMs: secondsToMs(num(p['completed_at'])), durationMs: num(p['duration_ms']) },
          });
        return;
      }
      case 'item_completed':
        return this.paginatedItem(p);
      case 'thread_rolled_back': {
        // Codex 0.169's projection keeps rolled-back turns of paginated threads; Spool drops them as
        // the legacy reader does (see the README's list of differences).
        this.finishPaginated();
        const k = Math.min(Math.max(0, num(p['num_turns']) ?? 0), pag.nextSeq);
        if (k > 0) {
          pag.nextSeq -= k;
          this.out.turnOps.push({ op: 'truncate', fromSeq: pag.nextSeq });
        }
        return;
      }
      case 'user_message':
        return this.notePreviewOnly(p);
      default:
        return;
    }
  }

  private paginatedItem(p: Json): void {
    const item = p['item'];
    const ctx = this.ctx;
    if (!isObj(item) || !ctx) return;
    const itemId = str(item['id']);
    const kind = str(item['type']);
    if (itemId === null || kind === null || ctx.ordinal === null) return;
    const turnId = str(p['turn_id']) ?? '';
    this.out.turnOps.push({
      op: 'item',
      itemId,
      turnId,
      ordinal: ctx.ordinal,
      offset: ctx.offset,
      length: ctx.nextOffset - ctx.offset,
      itemType: threadItemType(kind),
      heavy: ctx.heavy,
    });
    const cur = this.st.pag.current;
    const mine = cur !== null && cur.id === turnId;
    if (mine) {
      this.touch(cur.seq);
      const open = this.st.open;
      if (open) {
        open.n += 1;
        if (kind === 'UserMessage' && open.su === null) open.su = itemId;
        if (kind === 'AgentMessage') open.sa = itemId;
      }
    }
    if (kind === 'UserMessage') {
      const { text, images } = userItemText(item);
      if (mine) this.noteUser(text, images);
      else this.notePreview(text, images);
    } else if (kind === 'AgentMessage') {
      const text = agentItemText(item);
      if (text && mine) this.noteAgent(text);
    }
  }

  private finishPaginated(): void {
    const cur = this.st.pag.current;
    if (!cur) return;
    this.emitPaginated(cur);
    this.st.pag.current = null;
    if (this.st.open?.seq === cur.seq) this.st.open = null;
  }

  private emitPaginated(t: PaginatedTurn): void {
    this.extendOpen();
    this.out.turnOps.push({
      op: 'upsert',
      turn: this.record(t.seq, {
        turnId: t.id,
        rootTurnId: t.rootTurnId,
        status: t.status,
        error: t.error,
        startedAtMs: secondsToMs(t.startedAt),
        completedAtMs: secondsToMs(t.completedAt),
        durationMs: t.durationMs,
        firstItemIndex: 1,
        itemCount: this.st.open?.seq === t.seq ? this.st.open.n : 0,
        explicit: true,
      }),
    });
  }

  // -------------------------------------------------------------------------------------------
  // previews and search text

  private notePreview(text: string, images: number): string | null {
    const m = this.parser.meta;
    const preview = userMessagePreview(text, images);
    if (preview !== null && m.preview === '') {
      m.preview = clip(preview, PREVIEW_MAX);
      m.firstUserMessage = m.preview;
    }
    return preview;
  }

  private notePreviewOnly(p: Json): void {
    const images =
      (Array.isArray(p['images']) ? p['images'].length : 0) + (Array.isArray(p['local_images']) ? p['local_images'].length : 0);
    this.notePreview(str(p['message']) ?? '', images);
  }

  private noteUser(text: string, images: number): void {
    const preview = this.notePreview(text, images);
    const open = this.st.open;
    if (open && open.up === null && preview !== null) open.up = clip(preview, TURN_PREVIEW_MAX);
    if (text.trim() !== '') this.out.fts.push({ turnSeq: open?.seq ?? null, role: 'user', text: clip(text, FTS_TEXT_MAX) });
  }

  private noteAgent(text: string): void {
    const open = this.st.open;
    if (open) open.ap = clip(text.trim(), TURN_PREVIEW_MAX);
    this.out.fts.push({ turnSeq: open?.seq ?? null, role: 'agent', text: clip(text, FTS_TEXT_MAX) });
  }

  /** Entries of finished legacy turns (id, seq, item count, status), kept in the parse state. */
  get finishedEntries(): FinishedEntry[] {
    return this.st.finished;
  }
}

/** Finished legacy turns as the indexer keeps them: enough to route late events and roll back. */
class IndexFinished implements FinishedTurns<LightItem> {
  private readonly tracker: TurnTracker;
  constructor(tracker: TurnTracker) {
    this.tracker = tracker;
  }
  push(turn: LegacyTurn<LightItem>): void {
    this.tracker.finishedEntries.push([turn.id, turn.seq, turn.items.length, turn.status]);
    this.tracker.finishedLegacy(turn);
  }
  find(id: string): FinishedRef<LightItem> | null {
    const e = this.tracker.finishedEntries.find((x) => x[0] === id);
    if (!e) return null;
    const tracker = this.tracker;
    return {
      seq: e[1],
      // The item may replace one with the same id; the count is only informational.
      upsertItem: () => {
        e[2] += 1;
      },
      patch: (fn) => {
        const t: TurnMetaPatch = { status: e[3], error: null, completedAt: null, durationMs: null };
        fn(t);
        e[3] = t.status;
        const patch: TurnPatch = { status: t.status, completedAtMs: secondsToMs(t.completedAt), durationMs: t.durationMs };
        if (t.error) patch.error = t.error;
        tracker.patchLegacy(e[1], patch);
      },
    };
  }
  rollback(n: number): number {
    const list = this.tracker.finishedEntries;
    list.splice(Math.max(0, list.length - n));
    return list.reduce((s, e) => s + e[2], 0);
  }
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
  const content = item['content'];
  if (!Array.isArray(content)) return '';
  return content.map((c) => (isObj(c) && typeof c['text'] === 'string' ? c['text'] : '')).join('');
}
