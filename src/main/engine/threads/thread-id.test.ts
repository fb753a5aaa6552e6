// Codex's thread id parsing and error messages (Rust's uuid crate), as the real app-server answered.
import { describe, expect, it } from 'vitest';
import { parseUuid } from '../../../shared/protocol/uuid.ts';
import { canonicalThreadId } from './thread-id.ts';

const uuidError = (input: string): string | undefined => {
  const r = parseUuid(input);
  return r.ok ? undefined : r.error;
};

const ID = '01a1fcd4-f313-76d0-b22e-83edd876044b';

describe('thread ids', () => {
  it('accepts the forms codex accepts', () => {
    for (const form of [ID, ID.toUpperCase(), `{${ID}}`, `urn:uuid:${ID}`, ID.replace(/-/g, '')])
      expect(canonicalThreadId(form), form).toBe(ID);
    for (const bad of ['', 'x', `${ID}-`, ID.slice(1), `${ID}x`, `{${ID}`, ID.replace(/-/g, '').slice(1)])
      expect(canonicalThreadId(bad), bad).toBeNull();
  });

  it('explains a bad id in the words the real codex app-server used', () => {
    expect(uuidError('')).toBe('invalid length: expected length 32 for simple format, found 0');
    expect(uuidError('x')).toBe('invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `x` at 1');
    expect(uuidError('not-a-uuid')).toBe(
      'invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1',
    );
    expect(uuidError('01a1fcd4-f96e-74b2-a98c-f9e2ea1994cz')).toBe(
      'invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `z` at 36',
    );
    expect(uuidError('01a1fcd4f96e74b2a98cf9e2ea1994c')).toBe('invalid length: expected length 32 for simple format, found 31');
    expect(uuidError('01a1fcd4-f96e-74b2-a98c-f9e2ea1994c')).toBe('invalid group length in group 4: expected 12, found 11');
    expect(uuidError('01a1fcd4-f96e-74b2-a98cf9e2ea1994c7')).toBe('invalid group count: expected 5, found 4');
    expect(uuidError('01a1fcd4-f96e-74b2-a98c-f9e2ea1994c7-')).toBe('invalid group count: expected 5, found 6');
    expect(uuidError('bad')).toBe('invalid length: expected length 32 for simple format, found 3');
    expect(uuidError('ÿ1a1fcd4-f96e-74b2-a98c-f9e2ea1994c7')).toBe(
      'invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `ÿ` at 1',
    );
  });
});
