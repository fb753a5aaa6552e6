// Decoding one rollout line. JSON.parse, with the one repair codex's own history needs: codex 0.8
// could leave a line without its newline, so the next write joined two objects on one line. The
// parser and the request path's replay decode lines the same way, so both see the same items.
import type { ParseCounts } from './parse-types.ts';

/** Every object on the line (one, or the parts of a joined `{…}{…}` line), or null when it is not JSON. */
export function parseJsonLine(text: string, counts: ParseCounts): unknown[] | null {
  try {
    return [JSON.parse(text)];
  } catch {
    // fall through to the repair
  }
  const parts: unknown[] = [];
  let from = 0;
  let at = text.indexOf('}{', from);
  while (at >= 0) {
    try {
      parts.push(JSON.parse(text.slice(from, at + 1)));
      from = at + 1;
    } catch {
      // `}{` inside a string: keep looking
    }
    at = text.indexOf('}{', at + 1);
  }
  if (parts.length === 0) return null;
  try {
    parts.push(JSON.parse(text.slice(from)));
  } catch {
    return null;
  }
  counts.joinedObjects += 1;
  return parts;
}
