// Thread ids as codex parses them: Rust's `uuid` crate (`Uuid::parse_str`). It accepts the
// hyphenated, simple (32 hex digits), braced and `urn:uuid:` forms, in any case, and explains a
// failure in words that codex puts into its error messages ("invalid thread id: <why>"), so
// Spool reproduces them exactly.

export type UuidParse = { ok: true; id: string } | { ok: false; error: string };

const HEX = /^[0-9a-fA-F]$/;
const HYPHENATED = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SIMPLE = /^[0-9a-fA-F]{32}$/;
const URN = 'urn:uuid:';
/** Where each hyphenated group starts. */
const BLOCK_STARTS = [0, 9, 14, 19, 24] as const;
const GROUP_LENGTHS = [8, 4, 4, 4, 12] as const;

const hyphenate = (hex: string): string =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`.toLowerCase();

/** Bytes of `s` in UTF-8 (Rust indexes and measures strings in bytes). */
function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** Parses a thread id; on success the id is in codex's canonical form (hyphenated, lower case). */
export function parseUuid(input: string): UuidParse {
  const body = input.startsWith(URN)
    ? input.slice(URN.length)
    : input.length === 38 && input.startsWith('{') && input.endsWith('}')
      ? input.slice(1, -1)
      : input;
  if (HYPHENATED.test(body)) return { ok: true, id: body.toLowerCase() };
  if (body === input && SIMPLE.test(body)) return { ok: true, id: hyphenate(body) };
  return { ok: false, error: explain(input) };
}

/** The `uuid` crate's `InvalidUuid::into_err` message for a string that did not parse. */
function explain(input: string): string {
  let inner = input;
  let offset = 0;
  let simple = true;
  if (input.length >= 2 && input.startsWith('{') && input.endsWith('}')) {
    inner = input.slice(1, -1);
    offset = 1;
    simple = false;
  } else if (input.startsWith(URN)) {
    inner = input.slice(URN.length);
    offset = URN.length;
    simple = false;
  }
  let hyphens = 0;
  const groupBounds = [0, 0, 0, 0];
  let byteIndex = 0;
  for (const ch of inner) {
    if (ch === '-') {
      if (hyphens < 4) groupBounds[hyphens] = byteIndex;
      hyphens += 1;
    } else if (!HEX.test(ch)) {
      return `invalid character: expected an optional prefix of \`urn:uuid:\` followed by [0-9a-fA-F-], found \`${ch}\` at ${byteIndex + offset + 1}`;
    }
    byteIndex += utf8Length(ch);
  }
  if (hyphens === 0 && simple) return `invalid length: expected length 32 for simple format, found ${utf8Length(input)}`;
  if (hyphens !== 4) return `invalid group count: expected 5, found ${hyphens + 1}`;
  for (let i = 0; i < 4; i++) {
    if (groupBounds[i] !== BLOCK_STARTS[i + 1]! - 1) {
      return `invalid group length in group ${i}: expected ${GROUP_LENGTHS[i]}, found ${groupBounds[i]! - BLOCK_STARTS[i]!}`;
    }
  }
  return `invalid group length in group 4: expected 12, found ${utf8Length(input) - BLOCK_STARTS[4]}`;
}
