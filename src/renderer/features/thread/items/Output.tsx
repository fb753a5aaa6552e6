// A command's output (or any long text): its first lines, and the rest on demand. A string the
// engine cut shows its head and tail around a bar that loads the whole text lazily.
import { memo, useMemo, useState } from 'react';
import { formatBytes } from '../../../../shared/format-bytes.ts';
import type { ItemTruncation } from '../../../../shared/protocol/index.ts';
import { FullText } from './FullText.tsx';
import { preview, splitCut } from './output-text.ts';

interface Props {
  text: string;
  truncation?: ItemTruncation | undefined;
  saveName: string;
  className?: string;
}

export const OutputText = memo(function OutputText({ text, truncation, saveName, className = '' }: Props): React.JSX.Element {
  const [expanded, setExpanded] = useState(false);
  const [full, setFull] = useState(false);
  const cut = useMemo(() => (truncation ? splitCut(text) : null), [text, truncation]);
  const short = useMemo(() => (cut ? null : preview(text)), [text, cut]);

  if (truncation && full) return <FullText handle={truncation.handle} totalBytes={truncation.totalBytes} saveName={saveName} />;
  if (cut && truncation) {
    return (
      <div className={`output ${className}`} data-testid="output">
        <pre className="output-text">{cut.head}</pre>
        <div className="output-cut" data-testid="output-cut">
          <span>{formatBytes(truncation.totalBytes)} in all — its first and last lines are shown</span>
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
          {short.hiddenLines > 1
            ? `Show ${short.hiddenLines.toLocaleString()} more lines`
            : `Show ${short.hiddenChars.toLocaleString()} more characters`}
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
