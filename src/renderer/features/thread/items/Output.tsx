// A command's output (or any long text): its first lines, and the rest on demand. A string the
// engine cut shows its head and tail around a bar that loads the whole text lazily.
import { memo, useMemo, useState } from 'react';
import { formatBytes } from '../../../lib/format.ts';
import type { ItemTruncation } from '../../../../shared/protocol/index.ts';
import { FullText } from './FullText.tsx';

const PREVIEW_LINES = 12;
const PREVIEW_CHARS = 3000;
const TAIL_LINES = 6;
const TAIL_CHARS = 600;
/** The marker the engine puts where it cut a string (rollout/history/stub.ts). */
const CUT_RE = /\n\n… \[[^\]\n]{1,80} more — Spool loads long output on demand\] …\n\n/;

/** The last lines of `text` (at most TAIL_CHARS of them). */
function lastLines(text: string): string {
  let start = text.length;
  for (let n = 0; n <= TAIL_LINES && start > 0; n++) {
    const nl = text.lastIndexOf('\n', start - 2);
    start = nl < 0 ? 0 : nl + 1;
    if (nl < 0) break;
  }
  return text.length - start > TAIL_CHARS ? `…${text.slice(text.length - TAIL_CHARS)}` : text.slice(start);
}

function preview(text: string): { head: string; hiddenLines: number; hiddenChars: number } | null {
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

interface Props {
  text: string;
  truncation?: ItemTruncation | undefined;
  saveName: string;
  className?: string;
}

export const OutputText = memo(function OutputText({ text, truncation, saveName, className = '' }: Props): React.JSX.Element {
  const [expanded, setExpanded] = useState(false);
  const [full, setFull] = useState(false);
  const cut = useMemo(() => {
    if (!truncation) return null;
    const m = CUT_RE.exec(text);
    if (!m) return null;
    const head = text.slice(0, m.index);
    const tail = text.slice(m.index + m[0].length);
    return { head: preview(head)?.head ?? head, tail: lastLines(tail) };
  }, [text, truncation]);
  const short = useMemo(() => (cut ? null : preview(text)), [text, cut]);

  if (truncation && full) return <FullText handle={truncation.handle} totalBytes={truncation.totalBytes} saveName={saveName} />;
  if (cut && truncation) {
    return (
      <div className={`output ${className}`} data-testid="output">
        <pre className="output-text">{cut.head}</pre>
        <div className="output-cut" data-testid="output-cut">
          <span>
            {formatBytes(truncation.totalBytes)} in all — its first and last lines are shown
          </span>
          <button type="button" className="link" onClick={() => setFull(true)} data-testid="load-full-output">
            Show the whole output
          </button>
        </div>
        <pre className="output-text">{cut.tail}</pre>
      </div>
    );
  }
  if (short && !expanded) {
    return (
      <div className={`output ${className}`} data-testid="output">
        <pre className="output-text">{short.head}</pre>
        <button type="button" className="show-more" onClick={() => setExpanded(true)} data-testid="show-more-output">
          {short.hiddenLines > 1 ? `Show ${short.hiddenLines.toLocaleString()} more lines` : `Show ${short.hiddenChars.toLocaleString()} more characters`}
        </button>
      </div>
    );
  }
  return (
    <div className={`output ${className}`} data-testid="output">
      <pre className={`output-text${expanded ? ' expanded' : ''}`}>{text}</pre>
      {expanded ? (
        <button type="button" className="show-more" onClick={() => setExpanded(false)}>
          Show less
        </button>
      ) : null}
    </div>
  );
});
