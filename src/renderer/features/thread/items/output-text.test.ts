// Previews of long command outputs: the first lines, what is hidden, the last lines, and the
// engine's cut marker.
import { describe, expect, it } from 'vitest';
import { lastLines, preview, splitCut } from './output-text.ts';

describe('output previews', () => {
  it('keeps the first lines, counts what is hidden, and shows short texts whole', () => {
    const text = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    expect(preview(text)).toEqual({
      head: `${Array.from({ length: 12 }, (_, i) => `line ${i}`).join('\n')}\n`,
      hiddenLines: 28,
      hiddenChars: text.length - preview(text)!.head.length,
    });
    expect(preview('a\nb\n')).toBeNull();
    const oneLine = 'x'.repeat(10_000);
    expect(preview(oneLine)!.head).toHaveLength(3000);
    expect(lastLines(text)).toBe(Array.from({ length: 6 }, (_, i) => `line ${34 + i}`).join('\n'));
    expect(lastLines(oneLine)).toBe(`…${'x'.repeat(600)}`);
    expect(splitCut('no marker here')).toBeNull();
  });
});
