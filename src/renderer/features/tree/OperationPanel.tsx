// Progress of a running action, then its outcome for every thread it touched (virtualised: a
// cascade can touch thousands).
import { useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { OperationState, OutcomeRow } from './operations.ts';

const OUTCOME_ROW = 20;

interface Props {
  op: OperationState;
  onDismiss: () => void;
}

export function OperationPanel({ op, onDismiss }: Props): React.JSX.Element {
  const pct = op.total > 0 ? Math.round((op.done / op.total) * 100) : op.finished ? 100 : 0;
  const failed = op.outcomes.filter((o) => !o.ok);
  const changed = op.outcomes.filter((o) => o.changed).length;
  // Failures first: they are what needs attention.
  const ordered = useMemo(() => [...op.outcomes.filter((o) => !o.ok), ...op.outcomes.filter((o) => o.ok)], [op.outcomes]);
  return (
    <section className="op-panel" aria-label={`${op.label}: ${op.finished ? 'done' : 'in progress'}`} data-testid="operation-panel">
      {!op.finished ? (
        <div className="op-progress">
          <div
            role="progressbar"
            aria-label={op.phase}
            aria-valuemin={0}
            aria-valuemax={op.total}
            aria-valuenow={op.done}
            className="op-bar"
            data-testid="operation-progress"
          >
            <div className="op-bar-fill" style={{ width: `${pct}%` }} />
          </div>
          <span aria-live="polite">
            {op.phase}… {op.done.toLocaleString()} / {op.total.toLocaleString()}
          </span>
        </div>
      ) : (
        <div className="op-summary" role="status" data-testid="operation-summary">
          <strong>{op.label}</strong>{' '}
          {op.error !== null ? (
            <span className="op-error">failed: {op.error}</span>
          ) : (
            <span>
              {op.outcomes.length.toLocaleString()} threads · {changed.toLocaleString()} changed
              {op.outcomes.length - changed - failed.length > 0
                ? ` · ${(op.outcomes.length - changed - failed.length).toLocaleString()} unchanged`
                : ''}
              {failed.length > 0 ? <span className="op-error"> · {failed.length.toLocaleString()} failed</span> : null}
            </span>
          )}
          <button type="button" className="link" onClick={onDismiss} aria-label="Dismiss the outcome">
            ×
          </button>
        </div>
      )}
      {op.finished && op.outcomes.length > 0 ? <OutcomeList rows={ordered} /> : null}
    </section>
  );
}

function OutcomeList({ rows }: { rows: OutcomeRow[] }): React.JSX.Element {
  const ref = useRef<HTMLUListElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => ref.current,
    estimateSize: () => OUTCOME_ROW,
    overscan: 20,
    getItemKey: (i) => rows[i]?.threadId ?? i,
  });
  return (
    <ul ref={ref} className="op-outcomes" aria-label="Outcome per thread" data-testid="operation-outcomes">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }} role="none">
        {virtualizer.getVirtualItems().map((vi) => {
          const o = rows[vi.index]!;
          return (
            <li
              key={vi.key}
              className={o.ok ? 'ok' : 'failed'}
              data-outcome-id={o.threadId}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: OUTCOME_ROW, transform: `translateY(${vi.start}px)` }}
            >
              <span className="op-mark" aria-label={o.ok ? 'done' : 'failed'}>
                {o.ok ? '✓' : '✗'}
              </span>
              <span className="op-label" title={o.threadId}>
                {o.label}
              </span>
              <span className="op-note">{o.ok ? o.note : o.error}</span>
            </li>
          );
        })}
      </div>
    </ul>
  );
}
