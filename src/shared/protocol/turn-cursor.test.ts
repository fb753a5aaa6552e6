import { describe, expect, it } from 'vitest';
import { formatLegacyTurnCursor, formatOrdinalCursor, parseLegacyTurnCursor, parseOrdinalCursor } from './turn-cursor.ts';

describe('turn cursors', () => {
  it('writes the exact strings codex 0.169 writes', () => {
    expect(formatLegacyTurnCursor('t-4', false)).toBe('{"turnId":"t-4","includeAnchor":false}');
    expect(formatLegacyTurnCursor('t-5', true)).toBe('{"turnId":"t-5","includeAnchor":true}');
    expect(
      formatOrdinalCursor({
        requestedThreadId: '01a1fcd4-f96e-74b2-a98c-f9e2ea1994c7',
        rolloutOrdinal: 50,
        includeAnchor: true,
        scope: 'turns',
      }),
    ).toBe(
      '{"requestedThreadId":"01a1fcd4-f96e-74b2-a98c-f9e2ea1994c7","rolloutOrdinal":50,"includeAnchor":true,"scope":{"kind":"turns"}}',
    );
  });

  it('reads them back in any key order, with extra keys, as codex does', () => {
    expect(parseLegacyTurnCursor('{"includeAnchor":true,"turnId":"rollout-3","extra":1}')).toEqual({
      turnId: 'rollout-3',
      includeAnchor: true,
    });
    expect(
      parseOrdinalCursor('{"scope":{"kind":"itemsByCreatedAtOrdinal"},"includeAnchor":false,"rolloutOrdinal":7,"requestedThreadId":"x"}'),
    ).toEqual({ requestedThreadId: 'x', rolloutOrdinal: 7, includeAnchor: false, scope: 'itemsByCreatedAtOrdinal' });
  });

  it('rejects what codex rejects', () => {
    for (const bad of [
      'garbage',
      '',
      '[]',
      'null',
      '{"turnId":"rollout-3"}',
      '{"turnId":3,"includeAnchor":true}',
      '{"turnId":"a","includeAnchor":"true"}',
    ])
      expect(parseLegacyTurnCursor(bad), bad).toBeNull();
    for (const bad of [
      '{"requestedThreadId":"x","rolloutOrdinal":1,"includeAnchor":false}',
      '{"requestedThreadId":"x","rolloutOrdinal":-1,"includeAnchor":false,"scope":{"kind":"turns"}}',
      '{"requestedThreadId":"x","rolloutOrdinal":1.5,"includeAnchor":false,"scope":{"kind":"turns"}}',
      '{"requestedThreadId":"x","rolloutOrdinal":1,"includeAnchor":false,"scope":{"kind":"pages"}}',
      '{"turnId":"a","includeAnchor":true}',
    ]) {
      expect(parseOrdinalCursor(bad), bad).toBeNull();
    }
  });
});
