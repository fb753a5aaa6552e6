// Progress of a running action, then its outcome for every thread it touched.
import type { OperationState } from './operations.ts';

interface Props {
  op: OperationState;
  onDismiss: () => void;
}

export function OperationPanel({ op, onDismiss }: Props): React.JSX.Element {
  const pct = op.total > 0 ? Math.round((op.done / op.total) * 100) : op.finished ? 100 : 0;
  const failed = op.outcomes.filter((o) => !o.ok);
  const changed = op.outcomes.filter((o) => o.changed).length;
  return (
    <section className="op-panel" aria-label={`${op.label}: ${op.finished ? 'done' : 'in progress'}`} data-testid="operation-panel">
      {!op.finished ? (
        <div className="op-progress">
          <div role="progressbar" aria-label={op.phase} aria-valuemin={0} aria-valuemax={op.total} aria-valuenow={op.done} className="op-bar" data-testid="operation-progress">
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
              {op.outcomes.length - changed - failed.length > 0 ? ` · ${(op.outcomes.length - changed - failed.length).toLocaleString()} unchanged` : ''}
              {failed.length > 0 ? <span className="op-error"> · {failed.length.toLocaleString()} failed</span> : null}
            </span>
          )}
          <button type="button" className="link" onClick={onDismiss} aria-label="Dismiss the outcome">
            ×
          </button>
        </div>
      )}
      {op.finished && op.outcomes.length > 0 ? (
        <ul className="op-outcomes" aria-label="Outcome per thread" data-testid="operation-outcomes">
          {/* Failures first: they are what needs attention. */}
          {[...failed, ...op.outcomes.filter((o) => o.ok)].map((o) => (
            <li key={o.threadId} className={o.ok ? 'ok' : 'failed'} data-outcome-id={o.threadId}>
              <span className="op-mark" aria-label={o.ok ? 'done' : 'failed'}>
                {o.ok ? '✓' : '✗'}
              </span>
              <span className="op-label" title={o.threadId}>
                {o.label}
              </span>
              <span className="op-note">{o.ok ? o.note : o.error}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
