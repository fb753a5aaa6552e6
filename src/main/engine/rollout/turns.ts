// The turn index, built while indexing (in the parse workers). It follows codex's own reading of a
// rollout so that turns can later be served by seeking, never by replaying the file:
//
// - legacy rollouts run codex's ThreadHistoryBuilder (history/legacy.ts) with `{id, kind}` items;
//   each turn records its id as codex assigns it, status, times, byte range and the offsets of the
//   lines that built it (`line` ops), so a request replays exactly those lines;
// - paginated rollouts (codex ≥ 0.156) follow codex's history projection (paginated-turns.ts);
// - bare rollouts (codex < 0.47), which codex no longer reads, get implicit turns from their plain
//   response items.
//
// Metadata the engine shows elsewhere is noted here too (turn-notes.ts: the thread preview from the
// first user message, turn previews, search text). All state is plain data in the parser's state,
// so tracking resumes exactly after an append.
import { countsAsRolloutItem, countsUndecoded, peekPayloadType } from './history/classify.ts';
import { LegacyReducer, newLegacyState, type FinishedRef, type FinishedTurns, type TurnMetaPatch } from './history/legacy.ts';
import { lightKit } from './history/item-kits.ts';
import { bareLine } from './history/bare.ts';
import { isObj, num, str, type Json } from './json-value.ts';
import type {
  Cut,
  FinishedEntry,
  HistoryMode,
  LegacyTurn,
  LightItem,
  LineCtx,
  LineView,
  ParseOutput,
  ParserState,
  TrackerState,
  TurnPatch,
} from './parse-types.ts';
import { secondsToMs, TurnBook } from './turn-book.ts';
import { eventImageCount, noteAgent, notePreviewOnly, noteUser } from './turn-notes.ts';
import { PaginatedTurns } from './paginated-turns.ts';

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

export class TurnTracker {
  private readonly book: TurnBook;
  private readonly st: TrackerState;
  private readonly out: ParseOutput;
  private readonly reducer: LegacyReducer<LightItem>;
  private readonly paginated: PaginatedTurns;

  constructor(parser: ParserState, out: ParseOutput) {
    const book = new TurnBook(parser, out);
    this.book = book;
    this.st = parser.turns;
    this.out = out;
    this.paginated = new PaginatedTurns(book);
    this.reducer = new LegacyReducer(this.st.legacy, lightKit, new IndexFinished(this), {
      touch: (seq) => book.touch(seq),
      dropped: (seq) => {
        if (this.st.open?.seq === seq) this.st.open = null;
        this.out.turnOps.push({ op: 'delete', seq });
      },
      rolledBack: (fromSeq) => this.out.turnOps.push({ op: 'truncate', fromSeq }),
    });
  }

  // -------------------------------------------------------------------------------------------
  // entry points (one per line)

  /** A line that could not be read at all (bad JSON, invalid shape). */
  unreadable(ctx: LineCtx): void {
    this.book.begin(ctx);
    this.book.extendOpen();
  }

  /** An envelope line the parser did not decode (response items, world state, compaction, …). */
  undecoded(type: string, view: LineView, ctx: LineCtx): void {
    this.book.begin(ctx);
    if (this.st.mode === 'legacy' || this.st.mode === null) {
      const itemType = type === 'response_item' ? peekPayloadType(view.buf, view.start, view.end) : null;
      if (countsUndecoded(type, itemType)) {
        this.reducer.rolloutIndex = this.st.items++;
        if (type === 'compacted') this.reducer.compacted();
      }
    }
    this.book.extendOpen();
  }

  /** A decoded envelope line (`{"timestamp","type","payload"}`). */
  envelope(type: string, payload: unknown, ctx: LineCtx): void {
    this.book.begin(ctx);
    if (type === 'session_meta' && this.st.mode === null && isObj(payload)) this.decideMode(payload);
    if (this.st.mode === 'paginated') this.paginated.envelope(type, payload);
    else {
      if (this.st.mode === null) this.setMode('legacy', null);
      if (countsAsRolloutItem(type, payload)) {
        this.reducer.rolloutIndex = this.st.items++;
        if (type === 'event_msg' && isObj(payload)) this.legacyEvent(payload);
        else if (type === 'compacted') this.reducer.compacted();
      } else if (type === 'event_msg' && isObj(payload) && payload['type'] === 'user_message') {
        // Not a turn item for codex, but still the thread's first message for its metadata.
        notePreviewOnly(this.book, payload);
      }
    }
    this.book.extendOpen();
  }

  /** A line of a bare (pre-0.47) rollout. */
  bare(v: Json, ctx: LineCtx): void {
    this.book.begin(ctx);
    if (this.st.mode === null) this.setMode('bare', null);
    this.reducer.rolloutIndex = ctx.index;
    const note = bareLine(this.reducer, v);
    if (note?.role === 'user') noteUser(this.book, note.text, note.images);
    else if (note?.role === 'agent') noteAgent(this.book, note.text);
    this.book.extendOpen();
  }

  /** The line being handled is heavy: it was decoded from its stub. */
  heavy(ctx: LineCtx, stub: string, cuts: Cut[]): void {
    this.out.turnOps.push({ op: 'heavy', offset: ctx.offset, length: ctx.nextOffset - ctx.offset, stub, cuts });
  }

  /** Emits the open turn as it stands (in progress), so the index shows a turn being written. */
  flushOpenTurn(): void {
    if (this.st.mode === 'paginated') return this.paginated.flush();
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
  // legacy turns

  private legacyEvent(p: Json): void {
    const type = p['type'];
    this.reducer.event(p);
    const cur = this.st.legacy.current;
    if (type === 'user_message' && cur) {
      noteUser(this.book, str(p['message']) ?? '', eventImageCount(p));
    } else if (type === 'agent_message' && cur) {
      const text = str(p['message']) ?? '';
      if (text !== '') noteAgent(this.book, text);
    }
  }

  private emitLegacy(t: LegacyTurn<LightItem>): void {
    this.book.upsert(t.seq, {
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
