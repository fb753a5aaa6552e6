// Cursors of thread/turns/list and thread/items/list (docs/FORMAT.md §4.2, §4.3). Both are JSON
// strings, opaque to clients, in the two shapes codex 0.169 writes:
//
// legacy threads    {"turnId":"<id>","includeAnchor":<bool>}
// paginated threads {"requestedThreadId":"<thread>","rolloutOrdinal":<n>,"includeAnchor":<bool>,
//                    "scope":{"kind":"turns"|"itemsByCreatedAtOrdinal"|"itemsByUpdatedAtOrdinal"}}
//
// `nextCursor` anchors on the last row returned with includeAnchor false (exclusive);
// `backwardsCursor` anchors on the first row with includeAnchor true, so used with the opposite
// direction it returns that row again — which is how an in-progress turn is fetched again in place.

export interface LegacyTurnCursor {
  turnId: string;
  includeAnchor: boolean;
}

export type OrdinalScope = 'turns' | 'itemsByCreatedAtOrdinal' | 'itemsByUpdatedAtOrdinal';

export interface OrdinalCursor {
  requestedThreadId: string;
  rolloutOrdinal: number;
  includeAnchor: boolean;
  scope: OrdinalScope;
}

const SCOPES = new Set<string>(['turns', 'itemsByCreatedAtOrdinal', 'itemsByUpdatedAtOrdinal']);

function parseObject(cursor: string): Record<string, unknown> | null {
  let v: unknown;
  try {
    v = JSON.parse(cursor);
  } catch {
    return null;
  }
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** Codex's field order, so a cursor Spool writes is byte-for-byte the one codex would write. */
export const formatLegacyTurnCursor = (turnId: string, includeAnchor: boolean): string => JSON.stringify({ turnId, includeAnchor });

export function parseLegacyTurnCursor(cursor: string): LegacyTurnCursor | null {
  const o = parseObject(cursor);
  if (!o || typeof o['turnId'] !== 'string' || typeof o['includeAnchor'] !== 'boolean') return null;
  return { turnId: o['turnId'], includeAnchor: o['includeAnchor'] };
}

export const formatOrdinalCursor = (c: OrdinalCursor): string =>
  JSON.stringify({
    requestedThreadId: c.requestedThreadId,
    rolloutOrdinal: c.rolloutOrdinal,
    includeAnchor: c.includeAnchor,
    scope: { kind: c.scope },
  });

export function parseOrdinalCursor(cursor: string): OrdinalCursor | null {
  const o = parseObject(cursor);
  if (!o) return null;
  const thread = o['requestedThreadId'];
  const ordinal = o['rolloutOrdinal'];
  const include = o['includeAnchor'];
  const scope = o['scope'];
  if (typeof thread !== 'string' || typeof include !== 'boolean') return null;
  if (typeof ordinal !== 'number' || !Number.isSafeInteger(ordinal) || ordinal < 0) return null;
  if (typeof scope !== 'object' || scope === null || Array.isArray(scope)) return null;
  const kind = (scope as Record<string, unknown>)['kind'];
  if (typeof kind !== 'string' || !SCOPES.has(kind)) return null;
  return { requestedThreadId: thread, rolloutOrdinal: ordinal, includeAnchor: include, scope: kind as OrdinalScope };
}
