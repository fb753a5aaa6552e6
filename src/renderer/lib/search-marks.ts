// Search snippets from the engine mark matches with U+E000 … U+E001: split into plain-text parts,
// each marked or not. Rendering them as text nodes keeps any markup in a message inert.
const START = '\uE000';
const END = '\uE001';

export function splitHighlights(snippet: string): { text: string; hit: boolean }[] {
  const out: { text: string; hit: boolean }[] = [];
  let hit = false;
  let buf = '';
  for (const ch of snippet) {
    if (ch === START || ch === END) {
      if (buf) out.push({ text: buf, hit });
      buf = '';
      hit = ch === START;
    } else buf += ch;
  }
  if (buf) out.push({ text: buf, hit });
  return out;
}
