// Narrowing for decoded JSON. Rollout lines are untrusted JSON from several codex versions: every
// field is checked for its type where it is read, with these, before it is used.

export type Json = Record<string, unknown>;

/** A JSON object (not an array, not null). */
export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
/** A finite number: JSON has no NaN or Infinity, but a parsed value may still be anything. */
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** An ISO timestamp (as codex writes them) in ms, or null when it is absent or unreadable. */
export function parseTimestampMs(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}
