// Codex's ThreadHistoryBuilder for legacy (non-paginated) rollouts, as codex 0.169 runs it
// (docs/FORMAT.md §2.5, checked event by event against the real `codex app-server`):
//
// - `task_started` finishes the open turn and opens an explicit one (inProgress); `task_complete`
//   and `turn_aborted` close the matching turn, else a finished one with that id, else the open one;
//   a `task_complete` carrying an `error` fails the turn.
// - Without explicit turns, a `user_message` opens an implicit turn `rollout-<n>`, n being the index
//   of that rollout item among the items codex could read (see classify.ts).
// - Items get ids `item-N` in thread order; reasoning events merge into a trailing reasoning item.
// - `turn_context` is ignored by 0.169 (older builds adopted its turn id), and so are `error`
//   events, non-Plan `item_completed` events and `exec_command_end`.
// - `thread_rolled_back` drops the last N turns and renumbers the following items.
//
// The reducer is generic over the item representation (item-kits.ts) so that the indexer (which
// keeps only ids and kinds, in serialisable state) and the request path (which builds full v2 items
// from the few lines of one turn) share every decision. Its state is part of the parse state the
// indexer stores, so the state's types live with the rest of it (../parse-types.ts).
import type { ThreadItem } from '../../../../shared/protocol/index.ts';
import { isObj, num, str, type Json } from '../json-value.ts';
import type { LegacyReducerState, LegacyTurn, TurnErrorJson, TurnStatusValue } from '../parse-types.ts';
import { turnError } from './item-shapes.ts';
import { threadItemFromTurnItem } from './convert.ts';
import {
  REVIEW_REQUESTED,
  agentMessageFromEvent,
  contextCompactionItem,
  exitedReviewText,
  fileChangeFromEvent,
  imageGenerationFromEvent,
  mcpToolCallFromEvent,
  reasoningItem,
  userMessageFromEvent,
  webSearchFromEvent,
} from './event-items.ts';

/** How items are represented: full v2 ThreadItems, or `{id, kind}` stubs for the index. */
export interface ItemKit<I> {
  id(item: I): string;
  isReasoning(item: I): boolean;
  /** A new item of `kind`; `build` makes the full ThreadItem when the kit wants one. */
  make(kind: string, id: string, build: () => ThreadItem | null): I | null;
  appendReasoning(item: I, text: string, raw: boolean): I;
}

/** Where finished turns go. The indexer keeps ids and counts; the request path keeps turns. */
export interface FinishedTurns<I> {
  push(turn: LegacyTurn<I>): void;
  /** The first finished turn with this id. */
  find(id: string): FinishedRef<I> | null;
  /** Drops the last `n` finished turns; returns the item count of those that remain. */
  rollback(n: number): number;
}

export interface FinishedRef<I> {
  seq: number;
  upsertItem(item: I, itemId: string): void;
  patch(fn: (t: TurnMetaPatch) => void): void;
}

/** The part of a turn a late event may change. */
export interface TurnMetaPatch {
  status: TurnStatusValue;
  error: TurnErrorJson | null;
  completedAt: number | null;
  durationMs: number | null;
}

export const newLegacyState = <I>(): LegacyReducerState<I> => ({ current: null, nextItemIndex: 1, nextSeq: 0 });

export interface ReducerHooks {
  /** A turn was opened, changed, or had an item added by the line being processed. */
  touch(seq: number): void;
  /** A turn held nothing and was dropped; its seq is free again. */
  dropped(seq: number): void;
  /** The last `n` finished turns were rolled back (their seqs are >= `fromSeq`). */
  rolledBack(fromSeq: number): void;
}

export class LegacyReducer<I> {
  readonly state: LegacyReducerState<I>;
  private readonly kit: ItemKit<I>;
  private readonly finished: FinishedTurns<I>;
  private readonly hooks: ReducerHooks;
  /** Index of the rollout item being handled, for implicit turn ids (`rollout-<n>`). */
  rolloutIndex = 0;

  constructor(state: LegacyReducerState<I>, kit: ItemKit<I>, finished: FinishedTurns<I>, hooks: ReducerHooks) {
    this.state = state;
    this.kit = kit;
    this.finished = finished;
    this.hooks = hooks;
  }

  // -------------------------------------------------------------------------------------------
  // turns

  private newTurn(id: string | null): LegacyTurn<I> {
    const st = this.state;
    const t: LegacyTurn<I> = {
      seq: st.nextSeq++,
      id: id ?? `rollout-${this.rolloutIndex}`,
      explicit: false,
      sawCompaction: false,
      status: 'completed',
      error: null,
      startedAt: null,
      completedAt: null,
      durationMs: null,
      rootTurnId: null,
      firstItemIndex: st.nextItemIndex,
      items: [],
    };
    st.current = t;
    this.hooks.touch(t.seq);
    return t;
  }

  private ensureTurn(): LegacyTurn<I> {
    return this.state.current ?? this.newTurn(null);
  }

  finishCurrent(): void {
    const st = this.state;
    const cur = st.current;
    if (!cur) return;
    st.current = null;
    if (cur.items.length === 0 && !cur.explicit && !cur.sawCompaction) {
      st.nextSeq -= 1;
      this.hooks.dropped(cur.seq);
      return;
    }
    this.finished.push(cur);
  }

  private nextItemId(): string {
    return `item-${this.state.nextItemIndex++}`;
  }

  private push(turn: LegacyTurn<I>, item: I | null): void {
    if (item === null) return;
    turn.items.push(item);
    this.hooks.touch(turn.seq);
  }

  private upsertInto(items: I[], item: I): void {
    const id = this.kit.id(item);
    const at = items.findIndex((x) => this.kit.id(x) === id);
    if (at >= 0) items[at] = item;
    else items.push(item);
  }

  private upsertCurrent(item: I | null): void {
    if (item === null) return;
    const t = this.ensureTurn();
    this.upsertInto(t.items, item);
    this.hooks.touch(t.seq);
  }

  /** Upserts into the turn with this id (open or finished); an unknown turn drops the item. */
  private upsertInTurn(turnId: string, item: I | null): void {
    if (item === null) return;
    const cur = this.state.current;
    if (cur && cur.id === turnId) {
      this.upsertInto(cur.items, item);
      this.hooks.touch(cur.seq);
      return;
    }
    const ref = this.finished.find(turnId);
    if (ref) {
      ref.upsertItem(item, this.kit.id(item));
      this.hooks.touch(ref.seq);
    }
  }

  // -------------------------------------------------------------------------------------------
  // events

  /** Feeds one `event_msg` payload that codex counts as a rollout item. */
  event(p: Json): void {
    switch (p['type']) {
      case 'task_started':
        return this.turnStarted(p);
      case 'task_complete':
        return this.turnComplete(p);
      case 'turn_aborted':
        return this.turnAborted(p);
      case 'user_message':
        return this.userMessage(p);
      case 'agent_message':
        return this.agentMessage(p);
      case 'agent_reasoning':
        return this.reasoning(str(p['text']) ?? '', false);
      case 'agent_reasoning_raw_content':
        return this.reasoning(str(p['text']) ?? '', true);
      case 'context_compacted': {
        const t = this.ensureTurn();
        const id = this.nextItemId();
        return this.push(
          t,
          this.kit.make('contextCompaction', id, () => contextCompactionItem(id)),
        );
      }
      case 'entered_review_mode': {
        const review = str(p['user_facing_hint']) ?? REVIEW_REQUESTED;
        return this.reviewItem(p, 'enteredReviewMode', review);
      }
      case 'exited_review_mode':
        return this.reviewItem(p, 'exitedReviewMode', exitedReviewText(p));
      case 'thread_rolled_back':
        return this.rollback(num(p['num_turns']) ?? 0);
      case 'mcp_tool_call_end': {
        const id = str(p['call_id']);
        if (id !== null) this.upsertCurrent(this.kit.make('mcpToolCall', id, () => mcpToolCallFromEvent(p)));
        return;
      }
      case 'web_search_end': {
        const id = str(p['call_id']);
        if (id !== null) this.upsertCurrent(this.kit.make('webSearch', id, () => webSearchFromEvent(p)));
        return;
      }
      case 'image_generation_end': {
        const id = str(p['call_id']);
        if (id !== null) this.upsertCurrent(this.kit.make('imageGeneration', id, () => imageGenerationFromEvent(p)));
        return;
      }
      case 'patch_apply_end': {
        const id = str(p['call_id']);
        if (id === null) return;
        const item = this.kit.make('fileChange', id, () => fileChangeFromEvent(p));
        const turnId = str(p['turn_id']) ?? '';
        if (turnId === '') this.upsertCurrent(item);
        else this.upsertInTurn(turnId, item);
        return;
      }
      case 'item_completed':
      case 'item_started': {
        // Only Plan items are persisted (and read back) in legacy rollouts.
        const item = p['item'];
        if (!isObj(item) || item['type'] !== 'Plan' || (str(item['text']) ?? '') === '') return;
        const id = str(item['id']);
        if (id === null) return;
        this.upsertInTurn(
          str(p['turn_id']) ?? '',
          this.kit.make('plan', id, () => threadItemFromTurnItem(item)),
        );
        return;
      }
      default:
        return;
    }
  }

  /** Upserts an item of the open turn (opening an implicit one), built from the item it replaces. */
  upsertCurrentItem(kind: string, id: string, build: (prev: I | undefined) => ThreadItem | null): void {
    const t = this.ensureTurn();
    const prev = t.items.find((x) => this.kit.id(x) === id);
    this.upsertCurrent(this.kit.make(kind, id, () => build(prev)));
  }

  /** A `compacted` rollout item: the open turn survives even without items. */
  compacted(): void {
    const t = this.ensureTurn();
    t.sawCompaction = true;
    this.hooks.touch(t.seq);
  }

  private turnStarted(p: Json): void {
    this.finishCurrent();
    const t = this.newTurn(str(p['turn_id']) ?? '');
    t.explicit = true;
    t.status = 'inProgress';
    t.startedAt = num(p['started_at']);
    t.rootTurnId = str(p['root_turn_id']);
  }

  private applyCompletion(t: TurnMetaPatch, p: Json): void {
    const err = p['error'];
    if (isObj(err)) {
      t.status = 'failed';
      t.error = turnError(err);
    } else if (t.status === 'completed' || t.status === 'inProgress') t.status = 'completed';
    t.completedAt = num(p['completed_at']);
    t.durationMs = num(p['duration_ms']);
  }

  private turnComplete(p: Json): void {
    const id = str(p['turn_id']) ?? '';
    const cur = this.state.current;
    if (cur && cur.id === id) {
      this.applyCompletion(cur, p);
      this.hooks.touch(cur.seq);
      return this.finishCurrent();
    }
    const ref = this.finished.find(id);
    if (ref) {
      ref.patch((t) => this.applyCompletion(t, p));
      this.hooks.touch(ref.seq);
      return;
    }
    if (cur) {
      this.applyCompletion(cur, p);
      this.hooks.touch(cur.seq);
      this.finishCurrent();
    }
  }

  private turnAborted(p: Json): void {
    const abort = (t: TurnMetaPatch): void => {
      t.status = 'interrupted';
      t.completedAt = num(p['completed_at']);
      t.durationMs = num(p['duration_ms']);
    };
    const id = str(p['turn_id']);
    const cur = this.state.current;
    if (id !== null) {
      if (cur && cur.id === id) {
        abort(cur);
        this.hooks.touch(cur.seq);
        return;
      }
      const ref = this.finished.find(id);
      if (ref) {
        ref.patch(abort);
        this.hooks.touch(ref.seq);
        return;
      }
      // An abort naming a turn that does not exist still interrupts the open one, but codex keeps
      // that turn's times (they belong to another turn).
      if (cur) {
        cur.status = 'interrupted';
        this.hooks.touch(cur.seq);
      }
      return;
    }
    if (cur) {
      abort(cur);
      this.hooks.touch(cur.seq);
    }
  }

  private userMessage(p: Json): void {
    const cur = this.state.current;
    // An implicit turn that already holds something ends where the next user input begins.
    if (cur && !cur.explicit && !(cur.sawCompaction && cur.items.length === 0)) this.finishCurrent();
    const t = this.ensureTurn();
    const id = this.nextItemId();
    this.push(
      t,
      this.kit.make('userMessage', id, () => userMessageFromEvent(id, p)),
    );
  }

  private agentMessage(p: Json): void {
    if ((str(p['message']) ?? '') === '') return;
    const t = this.ensureTurn();
    const id = this.nextItemId();
    this.push(
      t,
      this.kit.make('agentMessage', id, () => agentMessageFromEvent(id, p)),
    );
  }

  private reasoning(text: string, raw: boolean): void {
    if (text === '') return;
    const t = this.ensureTurn();
    const last = t.items[t.items.length - 1];
    if (last !== undefined && this.kit.isReasoning(last)) {
      t.items[t.items.length - 1] = this.kit.appendReasoning(last, text, raw);
      this.hooks.touch(t.seq);
      return;
    }
    const id = this.nextItemId();
    this.push(
      t,
      this.kit.make('reasoning', id, () => reasoningItem(id, raw ? [] : [text], raw ? [text] : [])),
    );
  }

  private reviewItem(p: Json, kind: 'enteredReviewMode' | 'exitedReviewMode', review: string): void {
    const id = str(p['item_id']) ?? this.nextItemId();
    const item = this.kit.make(kind, id, () => ({ type: kind, id, review }));
    const turnId = str(p['turn_id']);
    if (turnId === null) return this.upsertCurrent(item);
    const cur = this.state.current;
    if (!(cur && cur.id === turnId) && !this.finished.find(turnId)) {
      this.finishCurrent();
      this.newTurn(turnId);
    }
    this.upsertInTurn(turnId, item);
  }

  private rollback(n: number): void {
    this.finishCurrent();
    // Finished turns hold the seqs 0..nextSeq-1 (empty implicit turns give theirs back).
    const k = Math.min(Math.max(0, n), this.state.nextSeq);
    const remainingItems = this.finished.rollback(k);
    this.state.nextSeq -= k;
    this.state.nextItemIndex = remainingItems + 1;
    if (k > 0) this.hooks.rolledBack(this.state.nextSeq);
  }
}
