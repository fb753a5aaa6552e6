// Snippets for search hits: the passage of a message with the most query terms in it, matches
// wrapped in U+E000 … U+E001. Done here rather than with FTS5's snippet(), which re-runs the whole
// query for every hit (for a prefix query that merges the doclists of every expansion each time);
// the text and the folding rules are the same, so the passages are the ones FTS5 matched.
import { words, type QueryTerm } from './fts-query.ts';

export const HIGHLIGHT_START = '\uE000';
export const HIGHLIGHT_END = '\uE001';
const ELLIPSIS = '…';
const MARKERS = /[\uE000\uE001]/g;

interface Span {
  from: number;
  to: number;
}

/** Word index ranges [from, to) where a term matches. */
function matches(ws: { word: string }[], terms: QueryTerm[]): { spans: Span[]; termOf: number[] } {
  const spans: Span[] = [];
  const termOf: number[] = [];
  terms.forEach((term, ti) => {
    const n = term.words.length;
    if (n === 0) return;
    for (let i = 0; i + n <= ws.length; i++) {
      let ok = true;
      for (let k = 0; k < n && ok; k++) {
        const w = ws[i + k]!.word;
        const q = term.words[k]!;
        ok = k === n - 1 && term.prefix ? w.startsWith(q) : w === q;
      }
      if (ok) {
        spans.push({ from: i, to: i + n });
        termOf.push(ti);
      }
    }
  });
  return { spans, termOf };
}

/**
 * A one-line passage of about `size` words around the densest cluster of matches, with every match
 * marked. Text outside the passage is replaced by an ellipsis.
 */
export function makeSnippet(rawText: string, terms: QueryTerm[], size = 24): string {
  // Markers in the message itself would confuse a client's highlighting: they never pass through.
  const text = rawText.replace(MARKERS, '');
  const ws = words(text);
  const { spans, termOf } = matches(ws, terms);
  let start = 0;
  if (spans.length > 0 && ws.length > size) {
    // The window (starting a third of a window before a match, for context) that covers the most
    // distinct terms, then the most matches. A message that fits is shown whole.
    const lead = Math.floor(size / 3);
    let best = { score: -1, at: 0 };
    for (let s = 0; s < spans.length; s++) {
      const at = Math.max(0, Math.min(spans[s]!.from - lead, ws.length - size));
      const seen = new Set<number>();
      let count = 0;
      for (let j = 0; j < spans.length; j++) {
        if (spans[j]!.from >= at && spans[j]!.to <= at + size) {
          seen.add(termOf[j]!);
          count++;
        }
      }
      const score = seen.size * 1000 + count;
      if (score > best.score) best = { score, at };
    }
    start = best.at;
  }
  const end = Math.min(ws.length, start + size);
  const fromChar = start === 0 ? 0 : ws[start]!.start;
  const toChar = end >= ws.length ? text.length : ws[end - 1]!.end;
  const marked = spans
    .filter((sp) => sp.from >= start && sp.to <= end)
    .map((sp) => ({ from: ws[sp.from]!.start, to: ws[sp.to - 1]!.end }))
    .sort((a, b) => a.from - b.from);
  let out = start === 0 ? '' : ELLIPSIS;
  let pos = fromChar;
  for (const m of marked) {
    if (m.from < pos) continue; // overlapping terms: the first one wins
    out += text.slice(pos, m.from) + HIGHLIGHT_START + text.slice(m.from, m.to) + HIGHLIGHT_END;
    pos = m.to;
  }
  out += text.slice(pos, toChar);
  if (toChar < text.length) out += ELLIPSIS;
  return out.replace(/\s+/g, ' ').trim();
}
