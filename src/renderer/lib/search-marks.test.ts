// The splitting of the engine's highlighted snippets into text and marked parts.
import { describe, expect, it } from 'vitest';
import { splitHighlights } from './search-marks.ts';

describe('splitHighlights', () => {
  it('splits the engine’s markers into text and marked parts, keeping markup as text', () => {
    expect(splitHighlights('a \uE000<b>x</b>\uE001 and \uE000y\uE001')).toEqual([
      { text: 'a ', hit: false },
      { text: '<b>x</b>', hit: true },
      { text: ' and ', hit: false },
      { text: 'y', hit: true },
    ]);
    expect(splitHighlights('no marks')).toEqual([{ text: 'no marks', hit: false }]);
    expect(splitHighlights('\uE001stray\uE000')).toEqual([{ text: 'stray', hit: false }]);
  });
});
