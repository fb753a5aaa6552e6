// The bar for a multi-selection: how many are selected (or every thread the filter matches),
// archive / unarchive them, then the outcome per thread with an undo.
import { useState } from 'react';
import type { BulkApi } from './useBulk.ts';
import { formatCount, plural } from '../../lib/format.ts';

interface SelectionProps {
  count: number | null;
  allMatching: boolean;
  total: number | null;
  archived: boolean;
  onAction: (action: 'archive' | 'unarchive') => void;
  onSelectAll: () => void;
  onClear: () => void;
}

export function SelectionBar({ count, allMatching, total, archived, onAction, onSelectAll, onClear }: SelectionProps): React.JSX.Element {
  return (
    <div className="bulk-bar" role="region" aria-label="Selection" data-testid="selection-bar">
      <span className="bulk-count" data-testid="selection-count">
        {allMatching ? `All ${count === null ? '' : formatCount(count)} matching selected` : `${formatCount(count ?? 0)} selected`}
      </span>
      {!allMatching && total !== null && (count ?? 0) < total ? (
        <button type="button" className="link" data-testid="select-all-matching" onClick={onSelectAll}>
          Select all {formatCount(total)} matching
        </button>
      ) : null}
      <span className="spacer" />
      <button
        type="button"
        className="primary small"
        data-testid={archived ? 'bulk-unarchive' : 'bulk-archive'}
        onClick={() => onAction(archived ? 'unarchive' : 'archive')}
      >
        {archived ? 'Unarchive' : 'Archive'}
      </button>
      <button type="button" className="ghost small" onClick={onClear} data-testid="selection-clear">
        Clear
      </button>
    </div>
  );
}

const VERB: Record<'archive' | 'unarchive', [string, string]> = {
  archive: ['Archiving', 'Archived'],
  unarchive: ['Unarchiving', 'Unarchived'],
};

export function BulkStatus({ bulk }: { bulk: BulkApi }): React.JSX.Element | null {
  const [details, setDetails] = useState(false);
  const run = bulk.run;
  if (!run) return null;
  const [doing, did] = VERB[run.action];
  if (run.phase === 'running') {
    const pct = run.total ? Math.round((run.done / run.total) * 100) : 0;
    return (
      <div className="bulk-status running" role="status" data-testid="bulk-status">
        <span>
          {doing} {run.total !== null ? `${formatCount(run.done)} / ${formatCount(run.total)}` : '…'}
        </span>
        <div className="bar" aria-hidden="true">
          <div style={{ width: `${pct}%` }} />
        </div>
      </div>
    );
  }
  if (run.phase === 'failed') {
    return (
      <div className="bulk-status failed" role="alert" data-testid="bulk-status">
        <span>
          {doing} failed: {run.error}
        </span>
        <button type="button" className="ghost small" onClick={bulk.dismiss}>
          Dismiss
        </button>
      </div>
    );
  }
  const outcomes = run.result?.outcomes ?? [];
  const ok = outcomes.filter((o) => o.ok).length;
  const failed = outcomes.filter((o) => !o.ok);
  return (
    <div className={`bulk-status done${failed.length > 0 ? ' partial' : ''}`} role="status" data-testid="bulk-status">
      <span data-testid="bulk-summary">
        {run.undo ? 'Undone: ' : ''}
        {did} {plural(ok, 'thread')}
        {failed.length > 0 ? ` · ${formatCount(failed.length)} failed` : ''}
      </span>
      {failed.length > 0 ? (
        <button type="button" className="link" onClick={() => setDetails((d) => !d)} aria-expanded={details}>
          {details ? 'Hide details' : 'Details'}
        </button>
      ) : null}
      <span className="spacer" />
      {!run.undo && ok > 0 ? (
        <button type="button" className="primary small" data-testid="bulk-undo" onClick={() => void bulk.undo()}>
          Undo
        </button>
      ) : null}
      <button type="button" className="ghost small" aria-label="Dismiss" onClick={bulk.dismiss}>
        ×
      </button>
      {details ? (
        <ul className="bulk-failures" data-testid="bulk-failures">
          {failed.slice(0, 200).map((f) => (
            <li key={f.threadId}>
              <code>{f.threadId}</code> {f.error}
            </li>
          ))}
          {failed.length > 200 ? <li>… and {formatCount(failed.length - 200)} more</li> : null}
        </ul>
      ) : null}
    </div>
  );
}
