// A code block: highlighted when its language is known, with a copy button. Very long blocks are
// shown collapsed to their first lines until the reader asks for the rest.
import { memo, useMemo, useState } from 'react';
import { highlight, type Token } from '../highlight.ts';
import { copyText } from '../clipboard.ts';
import { Lru } from '../lru.ts';

const highlighted = new Lru<string, Token[] | null>(600);

const COLLAPSED_LINES = 40;

export function Tokens({ tokens }: { tokens: readonly Token[] }): React.JSX.Element {
  return (
    <>
      {tokens.map((t, i) =>
        t.kind === 'plain' ? (
          t.text
        ) : (
          <span key={i} className={`tok-${t.kind}`}>
            {t.text}
          </span>
        ),
      )}
    </>
  );
}

export const CodeBlock = memo(function CodeBlock({ code, lang }: { code: string; lang: string }): React.JSX.Element {
  const lines = useMemo(() => code.split('\n').length, [code]);
  const [expanded, setExpanded] = useState(false);
  const [copied, setCopied] = useState(false);
  const collapsed = !expanded && lines > COLLAPSED_LINES * 1.5;
  const shown = useMemo(() => (collapsed ? code.split('\n').slice(0, COLLAPSED_LINES).join('\n') : code), [code, collapsed]);
  const tokens = useMemo(() => highlighted.get(`${lang}\u0000${shown}`, () => highlight(shown, lang)), [shown, lang]);
  return (
    <div className="code-block">
      <div className="code-bar">
        <span className="code-lang">{lang || 'text'}</span>
        <button
          type="button"
          className="link"
          onClick={() =>
            void copyText(code).then((ok) => {
              setCopied(ok);
              setTimeout(() => setCopied(false), 1500);
            })
          }
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre>
        <code>{tokens ? <Tokens tokens={tokens} /> : shown}</code>
      </pre>
      {collapsed ? (
        <button type="button" className="show-more" onClick={() => setExpanded(true)}>
          Show all {lines.toLocaleString()} lines
        </button>
      ) : null}
    </div>
  );
});
