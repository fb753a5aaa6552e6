// Search snippets from the engine mark matches with U+E000 … U+E001. They are split here into
// text and <mark> elements — React escapes every piece, so a message holding markup shows as text.
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

export function Highlight({ snippet }: { snippet: string }): React.JSX.Element {
  return (
    <>
      {splitHighlights(snippet).map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}
