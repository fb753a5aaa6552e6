// How the turn window recognises turns it already holds in a new answer: the same position in the
// thread (legacy turn ids repeat), the offset at which an answer lines up with the held turns, and
// whether a refreshed turn (or the whole list of entries) changed at all, so unchanged ones keep
// their objects and the view does not render them again.
import type { Turn } from '../../../../shared/protocol/index.ts';
import type { TurnEntry } from './turn-pages.ts';

/**
 * Is `b` the same turn of the thread as `a` (the same position, not just the same id)? Legacy turn
 * ids can repeat, and codex anchors a cursor on an id's first occurrence; a turn's start time and
 * first item (legacy item ids count up through the thread) tell occurrences apart.
 */
function samePosition(a: Turn, b: Turn): boolean {
  if (a.id !== b.id) return false;
  if (a.startedAt !== null && b.startedAt !== null && a.startedAt !== b.startedAt) return false;
  const ai = a.items[0];
  const bi = b.items[0];
  return !ai || !bi || ai.id === bi.id;
}

/** The offset `o` with `answer[i]` = `held[o + i]` (an asc answer that includes the anchor), or null. */
export function alignNewer(held: readonly TurnEntry[], answer: readonly Turn[], anchor: number): number | null {
  for (let j = 0; j < answer.length; j++) {
    if (!samePosition(held[anchor]!.turn, answer[j]!)) continue;
    const o = anchor - j;
    let ok = true;
    for (let i = 0; i < answer.length && ok; i++) if (o + i >= 0 && o + i < held.length) ok = samePosition(held[o + i]!.turn, answer[i]!);
    if (ok) return o;
  }
  return null;
}

/** The offset `o` with `answer[i]` = `held[o - i]` (a desc answer that includes the anchor), or null. */
export function alignOlder(held: readonly TurnEntry[], answer: readonly Turn[], anchor: number): number | null {
  for (let j = 0; j < answer.length; j++) {
    if (!samePosition(held[anchor]!.turn, answer[j]!)) continue;
    const o = anchor + j;
    let ok = true;
    for (let i = 0; i < answer.length && ok; i++) if (o - i >= 0 && o - i < held.length) ok = samePosition(held[o - i]!.turn, answer[i]!);
    if (ok) return o;
  }
  return null;
}

/**
 * `next`, or `prev` when it holds the same entries: a state change that left the turns alone (a
 * loading flag, a retry) keeps the array, so the view does not lay out the whole window again.
 */
export function sameEntries(next: readonly TurnEntry[], prev: readonly TurnEntry[]): readonly TurnEntry[] {
  if (next.length !== prev.length) return next;
  for (let i = 0; i < next.length; i++) if (next[i] !== prev[i]) return next;
  return prev;
}

/** Equal answers for a turn (a refreshed turn that did not change keeps its object, and its rendering). */
export function sameTurn(a: Turn, b: Turn): boolean {
  if (
    a.status !== b.status ||
    a.items.length !== b.items.length ||
    a.completedAt !== b.completedAt ||
    a.spool?.tokensUsed !== b.spool?.tokensUsed
  )
    return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
