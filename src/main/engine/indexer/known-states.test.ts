// The record of what a process wrote or announced is bounded: past its capacity the oldest paths
// are forgotten (a forgotten path costs one redundant notification), and a path noted again is
// kept as the newest.
import { describe, expect, it } from 'vitest';
import { KnownStates } from './known-states.ts';

describe('KnownStates', () => {
  it('tells a known state from a new one, and a removal from a write', () => {
    const k = new KnownStates();
    k.note('sessions/a.jsonl', { size: 10, mtimeMs: 1 });
    expect(k.has('sessions/a.jsonl', { size: 10, mtimeMs: 1 })).toBe(true);
    expect(k.has('sessions/a.jsonl', { size: 11, mtimeMs: 1 })).toBe(false);
    expect(k.has('sessions/a.jsonl', { size: 10, mtimeMs: 2 })).toBe(false);
    expect(k.has('sessions/a.jsonl')).toBe(false);
    k.note('sessions/a.jsonl');
    expect(k.has('sessions/a.jsonl')).toBe(true);
    expect(k.has('sessions/b.jsonl')).toBe(false);
  });

  it('forgets the least recently noted paths beyond its capacity', () => {
    const k = new KnownStates(2);
    const s = { size: 1, mtimeMs: 1 };
    k.note('a', s);
    k.note('b', s);
    k.note('a', s);
    k.note('c', s);
    expect([k.has('a', s), k.has('b', s), k.has('c', s)]).toEqual([true, false, true]);
  });
});
