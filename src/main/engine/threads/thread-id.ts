// Thread ids in requests: parsed the way codex parses them (any form Rust's `uuid` crate accepts),
// and refused with codex's words. Codex prefixes the parser's reason with a label that depends on
// the method: "invalid thread id" (read, name, metadata), "invalid session id" (archive,
// unarchive), "invalid parent thread id" / "invalid ancestor thread id" (list relations), and
// "invalid excluded thread id" (list exclusions, the one reported as invalid params).
import { invalidParams, invalidRequest } from '../../../shared/jsonrpc.ts';
import { parseUuid } from '../../../shared/protocol/uuid.ts';

export type ThreadIdLabel =
  'invalid thread id' | 'invalid session id' | 'invalid parent thread id' | 'invalid ancestor thread id' | 'invalid excluded thread id';

/** The canonical (hyphenated, lower-case) id, or a -32600 error (-32602 for exclusions) as codex sends it. */
export function parseThreadId(raw: string, label: ThreadIdLabel = 'invalid thread id'): string {
  const r = parseUuid(raw);
  if (r.ok) return r.id;
  const message = `${label}: ${r.error}`;
  throw label === 'invalid excluded thread id' ? invalidParams(message) : invalidRequest(message);
}

/** The canonical id, or null when `raw` is not a UUID codex would accept. */
export function canonicalThreadId(raw: string): string | null {
  const r = parseUuid(raw);
  return r.ok ? r.id : null;
}
