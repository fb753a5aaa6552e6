// A search snippet with its matches in <mark>. Every part is a text node (React escapes it).
import { splitHighlights } from '../lib/search-marks.ts';

export function Highlight({ snippet }: { snippet: string }): React.JSX.Element {
  return <>{splitHighlights(snippet).map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</>;
}
