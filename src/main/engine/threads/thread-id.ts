// Thread ids as codex parses them (Rust's `uuid` crate): hyphenated, simple (32 hex digits),
// braced or `urn:uuid:`-prefixed, any case; and its exact error messages, which codex returns as
// `invalid thread id: <error>` (-32600).
import { invalidRequest } from '../../../shared/jsonrpc.ts';

const HEX = /^[0-9a-fA-F]$/;
const GROUP_STARTS = [0, 9, 14, 19, 24] as const;
const GROUP_LENGTHS = [8, 4, 4, 4, 12] as const;

/** The canonical (lower-case, hyphenated) form, or null. */
export function parseUuid(input: string): string | null {
  if (/^[0-9a-fA-F]{32}$/.test(input)) {
    const h = input.toLowerCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  let s = input;
  if (s.length === 38 && s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1);
  else if (s.length === 45 && s.startsWith('urn:uuid:')) s = s.slice(9);
  if (s.length === 36 && /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s)) return s.toLowerCase();
  return null;
}

/** The `uuid` crate's description of why `input` is not a UUID. */
export function uuidError(input: string): string {
  let body = input;
  let offset = 0;
  let simple = true;
  if (input.length >= 2 && input.startsWith('{') && input.endsWith('}')) {
    body = input.slice(1, -1);
    offset = 1;
    simple = false;
  } else if (input.startsWith('urn:uuid:')) {
    body = input.slice(9);
    offset = 9;
    simple = false;
  }
  let hyphens = 0;
  const bounds: number[] = [];
  // Indices are byte offsets, as in Rust.
  let byteIndex = 0;
  for (const ch of body) {
    if (ch === '-') {
      if (hyphens < 4) bounds.push(byteIndex);
      hyphens++;
    } else if (!HEX.test(ch)) {
      return `invalid character: expected an optional prefix of \`urn:uuid:\` followed by [0-9a-fA-F-], found \`${ch}\` at ${byteIndex + offset + 1}`;
    }
    byteIndex += Buffer.byteLength(ch);
  }
  if (hyphens === 0 && simple) return `invalid length: expected length 32 for simple format, found ${Buffer.byteLength(input)}`;
  if (hyphens !== 4) return `invalid group count: expected 5, found ${hyphens + 1}`;
  for (let i = 0; i < 4; i++) {
    if (bounds[i] !== GROUP_STARTS[i + 1]! - 1) return `invalid group length in group ${i}: expected ${GROUP_LENGTHS[i]}, found ${bounds[i]! - GROUP_STARTS[i]!}`;
  }
  return `invalid group length in group 4: expected 12, found ${Buffer.byteLength(input) - GROUP_STARTS[4]}`;
}

/** Parses a `threadId` param the way codex does; throws its -32600 error otherwise. */
export function threadIdParam(input: string): string {
  const id = parseUuid(input);
  if (id === null) throw invalidRequest(`invalid thread id: ${uuidError(input)}`);
  return id;
}
