import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { skipValue, textWithout } from './json-skip.ts';

const KEY = Buffer.from('"base_instructions":');
const cut = (v: unknown): unknown => JSON.parse(textWithout(Buffer.from(JSON.stringify(v)), 0, Buffer.byteLength(JSON.stringify(v)), KEY));

describe('textWithout', () => {
  it('removes the member wherever it sits, keeping the JSON valid', () => {
    expect(cut({ payload: { id: 'a', base_instructions: { text: 'x "quoted" \\ and "base_instructions": inside' }, cwd: '/' } })).toEqual({
      payload: { id: 'a', cwd: '/' },
    });
    expect(cut({ payload: { id: 'a', base_instructions: null } })).toEqual({ payload: { id: 'a' } });
    expect(cut({ payload: { base_instructions: [1, { a: [2] }], id: 'a' } })).toEqual({ payload: { id: 'a' } });
    expect(cut({ payload: { id: 'a' } })).toEqual({ payload: { id: 'a' } });
  });

  it('never changes anything but that member, for any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.jsonValue(), (a, b, bi) => {
        const v = { timestamp: 't', type: 'session_meta', payload: { a, base_instructions: bi, b } };
        // Compared through JSON (which has no -0, for one).
        expect(cut(v)).toEqual(JSON.parse(JSON.stringify({ timestamp: 't', type: 'session_meta', payload: { a, b } })));
      }),
    );
  });

  it('skips values by structure, not bytes', () => {
    const text = Buffer.from('{"x":"a\\\\","y":[{"z":"]}"}],"n":-1.5e3}');
    expect(skipValue(text, 5, text.length)).toBe(text.indexOf(',"y"'));
    expect(skipValue(text, text.indexOf('['), text.length)).toBe(text.indexOf(',"n"'));
  });
});
