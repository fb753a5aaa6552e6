// How a long output is shortened for display: its first lines (a preview), its last lines, and
// the head and tail around the marker the engine puts where it cut a huge string. No DOM.

const PREVIEW_LINES = 12;
const PREVIEW_CHARS = 3000;
const TAIL_LINES = 6;
const TAIL_CHARS = 600;
/** The marker the engine puts where it cut a string (rollout/history/stub.ts). */
const CUT_RE = /\n\n… \[[^\]\n]{1,80} more — Spool loads long output on demand\] …\n\n/;

/** The last lines of `text` (at most TAIL_CHARS of them). */
export function lastLines(text: string): string {
  let start = text.length;
  for (let n = 0; n < TAIL_LINES && start > 0; n++) {
    const nl = text.lastIndexOf('\n', start - 2);
    start = nl < 0 ? 0 : nl + 1;
    if (nl < 0) break;
  }
  return text.length - start > TAIL_CHARS ? `…${text.slice(text.length - TAIL_CHARS)}` : text.slice(start);
}

export function preview(text: string): { head: string; hiddenLines: number; hiddenChars: number } | null {
  let end = 0;
  for (let n = 0; n < PREVIEW_LINES; n++) {
    const nl = text.indexOf('\n', end);
    if (nl < 0) {
      end = text.length;
      break;
    }
    end = nl + 1;
  }
  end = Math.min(end, PREVIEW_CHARS);
  if (end >= text.length - 1) return null;
  const rest = text.slice(end);
  return { head: text.slice(0, end), hiddenLines: rest.split('\n').length - (rest.endsWith('\n') ? 1 : 0), hiddenChars: rest.length };
}

/** The head and tail (as previews) of a string the engine cut, or null when it has no cut marker. */
export function splitCut(text: string): { head: string; tail: string } | null {
  const m = CUT_RE.exec(text);
  if (!m) return null;
  const head = text.slice(0, m.index);
  return { head: preview(head)?.head ?? head, tail: lastLines(text.slice(m.index + m[0].length)) };
}
