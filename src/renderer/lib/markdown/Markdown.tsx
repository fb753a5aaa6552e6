// Markdown rendered as React elements from the parser's tree: never as HTML, so nothing in a
// message can inject markup or script. Links open outside the app through `onLink` (only http(s)
// and mailto; other targets are shown, not followed); images are placeholders.
import { memo, useMemo } from 'react';
import { inlineText, parseMarkdown, safeHref, type Block, type Inline } from './parse.ts';
import { CodeBlock } from './CodeBlock.tsx';
import { Lru } from '../lru.ts';

const parsed = new Lru<string, Block[]>(600);

interface Props {
  text: string;
  /** A single newline is a line break (prompts people type), not a space. */
  breaks?: boolean;
  onLink: (url: string) => void;
  className?: string;
}

export const Markdown = memo(function Markdown({ text, breaks = false, onLink, className }: Props): React.JSX.Element {
  const blocks = useMemo(() => parsed.get(`${breaks ? 1 : 0}${text}`, () => parseMarkdown(text, { breaks })), [text, breaks]);
  return <div className={`md${className ? ` ${className}` : ''}`}>{renderBlocks(blocks, onLink)}</div>;
});

function renderBlocks(blocks: readonly Block[], onLink: (url: string) => void, tight = false): React.ReactNode[] {
  return blocks.map((b, i) => renderBlock(b, i, onLink, tight));
}

function renderBlock(b: Block, key: number, onLink: (url: string) => void, tight: boolean): React.ReactNode {
  switch (b.t) {
    case 'p':
      return tight ? <span key={key}>{renderInlines(b.c, onLink)}</span> : <p key={key}>{renderInlines(b.c, onLink)}</p>;
    case 'h': {
      const Tag = `h${Math.min(6, b.level + 2)}` as 'h3';
      return <Tag key={key}>{renderInlines(b.c, onLink)}</Tag>;
    }
    case 'code':
      return <CodeBlock key={key} code={b.text} lang={b.lang} />;
    case 'quote':
      return <blockquote key={key}>{renderBlocks(b.c, onLink)}</blockquote>;
    case 'hr':
      return <hr key={key} />;
    case 'list': {
      const items = b.items.map((item, j) => (
        <li key={j} className={item.task === null ? undefined : 'task'}>
          {item.task !== null ? (
            <input type="checkbox" checked={item.task} readOnly disabled aria-label={item.task ? 'done' : 'not done'} />
          ) : null}
          {renderBlocks(item.c, onLink, b.tight)}
        </li>
      ));
      return b.ordered ? (
        <ol key={key} start={b.start === 1 ? undefined : b.start}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      );
    }
    case 'table':
      return (
        <div key={key} className="md-table">
          <table>
            <thead>
              <tr>
                {b.head.map((c, j) => (
                  <th key={j} style={b.align[j] ? { textAlign: b.align[j]! } : undefined}>
                    {renderInlines(c, onLink)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {b.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((c, j) => (
                    <td key={j} style={b.align[j] ? { textAlign: b.align[j]! } : undefined}>
                      {renderInlines(c, onLink)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
}

function renderInlines(nodes: readonly Inline[], onLink: (url: string) => void): React.ReactNode[] {
  return nodes.map((n, i) => {
    switch (n.t) {
      case 'text':
        return n.v;
      case 'code':
        return <code key={i}>{n.v}</code>;
      case 'em':
        return <em key={i}>{renderInlines(n.c, onLink)}</em>;
      case 'strong':
        return <strong key={i}>{renderInlines(n.c, onLink)}</strong>;
      case 'del':
        return <del key={i}>{renderInlines(n.c, onLink)}</del>;
      case 'br':
        return <br key={i} />;
      case 'img':
        return (
          <span key={i} className="md-image" title={n.src.startsWith('data:') ? 'embedded image' : n.src}>
            🖼 {n.alt || 'image'}
          </span>
        );
      case 'link': {
        const href = safeHref(n.href);
        if (!href) {
          // Relative paths (often files in the repo), app URLs, javascript: … are shown, not followed.
          return (
            <span key={i} className="md-link-inert" title={n.href}>
              {renderInlines(n.c, onLink)}
            </span>
          );
        }
        return (
          <a
            key={i}
            href={href}
            title={n.title ?? href}
            target="_blank"
            rel="noopener noreferrer nofollow"
            onClick={(e) => {
              e.preventDefault();
              onLink(href);
            }}
            onAuxClick={(e) => {
              e.preventDefault();
              if (e.button === 1) onLink(href);
            }}
          >
            {renderInlines(n.c, onLink)}
          </a>
        );
      }
    }
  });
}

export { inlineText };
