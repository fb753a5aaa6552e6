// Thread ids as codex's uuid parser reads them (the differential test sends the same ids to the
// real codex and compares every message).
import { describe, expect, it } from 'vitest';
import { parseUuid } from './uuid.ts';

const ID = '01a1fccf-0894-77a2-a6ff-3eb67cb4bee2';

describe('parseUuid', () => {
  it('accepts the hyphenated, simple, braced and urn forms in any case, canonically', () => {
    for (const form of [ID, ID.toUpperCase(), ID.replaceAll('-', ''), `{${ID}}`, `urn:uuid:${ID}`])
      expect(parseUuid(form)).toEqual({ ok: true, id: ID });
  });

  it('explains a refusal in the uuid crate’s words, counting bytes from 1', () => {
    expect(parseUuid('nope')).toEqual({
      ok: false,
      error: 'invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1',
    });
    expect(parseUuid(`${ID.slice(0, -2)}é2`)).toMatchObject({ error: expect.stringMatching(/found `é` at 35$/) });
    expect(parseUuid('')).toMatchObject({ error: 'invalid length: expected length 32 for simple format, found 0' });
    expect(parseUuid('01a1fccf-0894')).toMatchObject({ error: 'invalid group count: expected 5, found 2' });
    expect(parseUuid(`${ID}2`)).toMatchObject({ error: 'invalid group length in group 4: expected 12, found 13' });
    expect(parseUuid('01a1fccf0-894-77a2-a6ff-3eb67cb4bee2')).toMatchObject({
      error: 'invalid group length in group 0: expected 8, found 9',
    });
  });
});
