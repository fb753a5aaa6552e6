// Turn tracking for the index: codex's ThreadHistoryBuilder (codex-format.md §2.5) reduced to what
// the turns table keeps — each turn's id as codex assigns it (explicit ids, `rollout-<line>` for
// implicit legacy turns), status, times, byte range and line range in the file, item counts and
// the first user / last agent message previews. The parser feeds it; its state lives in the
// parser's serialisable state so tracking resumes exactly after an append.
import { clip, userMessagePreview } from './text.ts';
import type { LineCtx, ParseOutput, ParserState, TurnOp, TurnRecord } from './parser.ts';

/** Codex keeps the whole first message as the preview (observed: 6,623 characters); this only bounds a pathological one. */
const PREVIEW_MAX = 1024 * 1024;
const TURN_PREVIEW_MAX = 400;
/** Text indexed for search per message; longer messages are indexed by their head. */
const FTS_TEXT_MAX = 64 * 1024;

export class TurnTracker {
  private readonly state: ParserState;
  private readonly out: ParseOutput;

  constructor(state: ParserState, out: ParseOutput) {
    this.state = state;
    this.out = out;
  }

  userMessage(text: string, images: number, ctx: LineCtx): void {
    const st = this.state;
    const cur = st.current;
    if (cur && !cur.explicit && cur.itemCount > 0 && !(cur.sawCompaction && cur.itemCount === 1)) {
      this.finishCurrent();
    }
    const t = this.ensureTurn(ctx);
    this.addItem(t, 'userMessage');
    this.noteUserText(t, text, images);
    this.extendCurrent(ctx);
  }

  agentMessage(text: string, ctx: LineCtx): void {
    const t = this.ensureTurn(ctx);
    this.addItem(t, 'agentMessage');
    this.noteAgentText(t, text);
    this.extendCurrent(ctx);
  }

  noteUserText(t: TurnRecord, text: string, images: number): void {
    const m = this.state.meta;
    const preview = userMessagePreview(text, images);
    if (preview !== null && m.preview === '') {
      m.preview = clip(preview, PREVIEW_MAX);
      m.firstUserMessage = m.preview;
    }
    if (t.userPreview === null && preview !== null) t.userPreview = clip(preview, TURN_PREVIEW_MAX);
    if (text.trim() !== '') this.out.fts.push({ turnSeq: t.seq, role: 'user', text: clip(text, FTS_TEXT_MAX) });
  }

  noteAgentText(t: TurnRecord, text: string): void {
    t.agentPreview = clip(text.trim(), TURN_PREVIEW_MAX);
    this.out.fts.push({ turnSeq: t.seq, role: 'agent', text: clip(text, FTS_TEXT_MAX) });
  }

  addItem(t: TurnRecord, kind: string): void {
    t.itemCount += 1;
    t.lastItemKind = kind;
    this.state.nextItemIndex += 1;
  }

  ensureTurn(ctx: LineCtx): TurnRecord {
    return this.state.current ?? this.openTurn(`rollout-${ctx.index}`, false, ctx);
  }

  openTurn(turnId: string, explicit: boolean, ctx: LineCtx): TurnRecord {
    const st = this.state;
    const t: TurnRecord = {
      seq: st.nextSeq,
      turnId,
      rootTurnId: null,
      status: 'inProgress',
      error: null,
      startedAtMs: ctx.timestampMs,
      completedAtMs: null,
      durationMs: null,
      startOffset: ctx.offset,
      endOffset: ctx.nextOffset,
      startLine: ctx.index,
      endLine: ctx.index + 1,
      rolloutOrdinal: ctx.ordinal,
      firstItemIndex: st.nextItemIndex,
      itemCount: 0,
      explicit,
      userPreview: null,
      agentPreview: null,
      sawCompaction: false,
      lastItemKind: null,
    };
    st.nextSeq += 1;
    st.current = t;
    return t;
  }

  /** Extends the open turn's byte range over this line. */
  extendCurrent(ctx: LineCtx): void {
    const cur = this.state.current;
    if (cur) {
      cur.endOffset = ctx.nextOffset;
      cur.endLine = ctx.index + 1;
    }
  }

  closeTurn(turnId: string | null, status: 'completed' | 'interrupted', patch: { completedAtMs: number | null; durationMs: number | null }, ctx: LineCtx, lastAgent: string | null): void {
    const st = this.state;
    const cur = st.current;
    const apply = (t: TurnRecord): void => {
      if (status === 'interrupted' || (t.status !== 'failed' && t.status !== 'interrupted')) t.status = status;
      t.completedAtMs = patch.completedAtMs;
      t.durationMs = patch.durationMs;
      if (lastAgent && t.agentPreview === null) t.agentPreview = clip(lastAgent.trim(), TURN_PREVIEW_MAX);
    };
    if (cur && (turnId === null || cur.turnId === turnId)) {
      apply(cur);
      this.extendCurrent(ctx);
      this.finishCurrent();
      return;
    }
    const last = st.lastFinished;
    if (turnId !== null && last && last.turnId === turnId) {
      apply(last);
      this.out.turnOps.push({ op: 'upsert', turn: { ...last } });
      return;
    }
    if (turnId !== null && !cur) {
      // A finished turn further back: patch it by id in the index.
      const p: TurnOp = { op: 'patchById', turnId, patch: { completedAtMs: patch.completedAtMs, durationMs: patch.durationMs } };
      if (status === 'interrupted') p.patch.status = 'interrupted';
      else p.patch.status = 'completed';
      this.out.turnOps.push(p);
      return;
    }
    if (cur) {
      apply(cur);
      this.extendCurrent(ctx);
      this.finishCurrent();
    }
  }

  /**
   * Finishes the open turn; codex drops an implicit turn that holds nothing. The turn's byte range
   * already ends after the last line it consumed (`extendCurrent`).
   */
  finishCurrent(): void {
    const st = this.state;
    const cur = st.current;
    if (!cur) return;
    st.current = null;
    if (cur.itemCount === 0 && !cur.explicit && !cur.sawCompaction) {
      st.nextSeq -= 1;
      this.out.turnOps.push({ op: 'delete', seq: cur.seq });
      return;
    }
    st.lastFinished = cur;
    this.out.turnOps.push({ op: 'upsert', turn: { ...cur } });
  }

  /** Emits the open turn as it stands (in progress), so the index shows a turn being written. */
  flushOpenTurn(): void {
    const cur = this.state.current;
    if (cur) this.out.turnOps.push({ op: 'upsert', turn: { ...cur } });
  }
}
