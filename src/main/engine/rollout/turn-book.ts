// The open turn's bookkeeping while lines are tracked: which line is being handled, the byte and
// line range of the turn it belongs to, the `line` ops that let a request replay exactly the lines
// that built a legacy turn, and the turn's row as it stands. The tracker (turns.ts, legacy and bare
// turns) and paginated-turns.ts share it; its state lives in the tracker's part of the parse state.
import type { LineCtx, ParseOutput, ParserState, TrackerState, TurnRecord } from './parse-types.ts';

/** A turn row's own fields; the range, previews and token share come from the open-turn bookkeeping. */
export type TurnFields = Omit<
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
>;

/** Codex reports turn times in seconds; the index keeps ms. */
export const secondsToMs = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000));

export class TurnBook {
  readonly parser: ParserState;
  readonly st: TrackerState;
  readonly out: ParseOutput;
  /** The line being handled. */
  ctx: LineCtx | null = null;
  /** Turns already given a `line` op for the line being handled. */
  private readonly touched = new Set<number>();

  constructor(parser: ParserState, out: ParseOutput) {
    this.parser = parser;
    this.st = parser.turns;
    this.out = out;
  }

  /** A new line is being handled. */
  begin(ctx: LineCtx): void {
    this.ctx = ctx;
    this.touched.clear();
  }

  /** Turn `seq` was opened or changed by the line being handled. */
  touch(seq: number): void {
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
  extendOpen(): void {
    const open = this.st.open;
    const ctx = this.ctx;
    if (!open || !ctx) return;
    open.eo = ctx.nextOffset;
    open.el = ctx.index + 1;
    const used = this.parser.meta.tokensUsed - open.t0;
    if (used > 0) open.tk = used;
  }

  /** Emits turn `seq`'s row as it stands, its range extended over the line being handled. */
  upsert(seq: number, fields: TurnFields): void {
    this.extendOpen();
    this.out.turnOps.push({ op: 'upsert', turn: this.record(seq, fields) });
  }

  private record(seq: number, fields: TurnFields): TurnRecord {
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
}
