// One file of a file change: its path, what happened to it, +/− counts, and the diff with line
// numbers, highlighted per the file's language; long diffs collapse to their first rows.
import { memo, useMemo, useState } from 'react';
import { fileChangeDiff } from '../../../lib/diff.ts';
import { highlight } from '../../../lib/highlight.ts';
import { Tokens } from '../../../lib/markdown/CodeBlock.tsx';

const COLLAPSED_ROWS = 60;

export const DiffView = memo(function DiffView({
  path,
  kind,
  movePath,
  diff,
}: {
  path: string;
  kind: string;
  movePath: string | null;
  diff: string;
}): React.JSX.Element {
  const parsed = useMemo(() => fileChangeDiff(kind, diff), [kind, diff]);
  const [expanded, setExpanded] = useState(false);
  const [open, setOpen] = useState(true);
  const rows = expanded ? parsed.rows : parsed.rows.slice(0, COLLAPSED_ROWS);
  return (
    <div className="diff" data-testid="diff">
      <button type="button" className="diff-head" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        <span className={`diff-kind ${kind}`}>
          {kind === 'add' ? 'added' : kind === 'delete' ? 'deleted' : movePath ? 'moved' : 'modified'}
        </span>
        <code className="diff-path">{path}</code>
        {movePath ? <code className="diff-path">→ {movePath}</code> : null}
        <span className="diff-stat">
          <span className="add">+{parsed.additions}</span> <span className="del">−{parsed.deletions}</span>
        </span>
      </button>
      {open ? (
        <>
          <table className="diff-rows">
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} className={`diff-${r.kind}`}>
                  <td className="ln">{r.oldNo ?? ''}</td>
                  <td className="ln">{r.newNo ?? ''}</td>
                  <td className="sign">{r.kind === 'add' ? '+' : r.kind === 'del' ? '−' : ''}</td>
                  <td className="code">
                    <DiffLine text={r.text} path={path} plain={r.kind === 'hunk' || r.kind === 'meta'} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {parsed.rows.length > COLLAPSED_ROWS && !expanded ? (
            <button type="button" className="show-more" onClick={() => setExpanded(true)}>
              Show {(parsed.rows.length - COLLAPSED_ROWS).toLocaleString()} more lines
            </button>
          ) : null}
        </>
      ) : null}
    </div>
  );
});

function DiffLine({ text, path, plain }: { text: string; path: string; plain: boolean }): React.JSX.Element {
  const tokens = useMemo(() => (plain || text.length > 2000 ? null : highlight(text, path)), [text, path, plain]);
  return tokens ? <Tokens tokens={tokens} /> : <>{text}</>;
}
