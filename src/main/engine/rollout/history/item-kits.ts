// The two ways the legacy reducer (legacy.ts) represents items: full v2 ThreadItems on the request
// path, which replays the few lines of one turn and keeps its finished turns whole; and `{id, kind}`
// stubs in the indexer, whose reducer state is stored with every file and must stay small.
import type { ThreadItem } from '../../../../shared/protocol/index.ts';
import type { LegacyTurn, LightItem } from '../parse-types.ts';
import type { FinishedRef, FinishedTurns, ItemKit } from './legacy.ts';

/** Full v2 items (the request path). */
export const fullKit: ItemKit<ThreadItem> = {
  id: (i) => i.id,
  isReasoning: (i) => i.type === 'reasoning',
  make: (_kind, _id, build) => build(),
  appendReasoning: (i, text, raw) => {
    const key = raw ? 'content' : 'summary';
    const list = Array.isArray(i[key]) ? (i[key] as unknown[]) : [];
    return { ...i, [key]: [...list, text] };
  },
};

/** `{id, kind}` stubs (the indexer: enough for every decision, small enough for parse state). */
export const lightKit: ItemKit<LightItem> = {
  id: (i) => i.i,
  isReasoning: (i) => i.k === 'reasoning',
  make: (kind, id) => ({ i: id, k: kind }),
  appendReasoning: (i) => i,
};

/** Finished turns kept whole (the request path replays one turn's lines). */
export class FinishedList<I> implements FinishedTurns<I> {
  readonly turns: LegacyTurn<I>[] = [];
  private readonly kit: ItemKit<I>;
  constructor(kit: ItemKit<I>) {
    this.kit = kit;
  }
  push(turn: LegacyTurn<I>): void {
    this.turns.push(turn);
  }
  find(id: string): FinishedRef<I> | null {
    const t = this.turns.find((x) => x.id === id);
    if (!t) return null;
    const kit = this.kit;
    return {
      seq: t.seq,
      upsertItem(item) {
        const at = t.items.findIndex((x) => kit.id(x) === kit.id(item));
        if (at >= 0) t.items[at] = item;
        else t.items.push(item);
      },
      patch(fn) {
        fn(t);
      },
    };
  }
  rollback(n: number): number {
    this.turns.splice(Math.max(0, this.turns.length - n));
    return this.turns.reduce((s, t) => s + t.items.length, 0);
  }
}
