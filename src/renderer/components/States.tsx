// What the list pane says when it has no rows to show: loading, nothing yet, nothing matching,
// or an error — each with what to do next.
import { ROW_HEIGHT } from '../features/threads/ThreadList.tsx';

export function SkeletonRows({ count = 12 }: { count?: number }): React.JSX.Element {
  return (
    <div className="skeleton" aria-busy="true" aria-label="Loading threads" data-testid="loading-state">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="skeleton-row" style={{ height: ROW_HEIGHT }}>
          <div className="sk sk-badge" />
          <div className="sk sk-title" style={{ width: `${45 + ((i * 37) % 40)}%` }} />
          <div className="sk sk-meta" style={{ width: `${30 + ((i * 23) % 30)}%` }} />
        </div>
      ))}
    </div>
  );
}

interface EmptyProps {
  title: string;
  hint?: React.ReactNode;
  action?: { label: string; onClick: () => void; busy?: boolean; testId?: string };
  tone?: 'neutral' | 'error';
  testId?: string;
}

export function EmptyState({ title, hint, action, tone = 'neutral', testId = 'empty-state' }: EmptyProps): React.JSX.Element {
  return (
    <div className={`empty${tone === 'error' ? ' error' : ''}`} data-testid={testId} role={tone === 'error' ? 'alert' : 'status'}>
      <svg className="empty-icon" viewBox="0 0 48 48" aria-hidden="true">
        {tone === 'error' ? (
          <path
            d="M24 6 44 40H4L24 6Zm0 12v11m0 5v1"
            fill="none"
            stroke="currentColor"
            strokeWidth="2.4"
            strokeLinejoin="round"
            strokeLinecap="round"
          />
        ) : (
          <>
            <rect x="8" y="10" width="32" height="28" rx="4" fill="none" stroke="currentColor" strokeWidth="2.2" />
            <path d="M14 19h20M14 25h14M14 31h8" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
          </>
        )}
      </svg>
      <p className="empty-title">{title}</p>
      {hint ? <p className="hint">{hint}</p> : null}
      {action ? (
        <button type="button" className="primary" onClick={action.onClick} disabled={action.busy} data-testid={action.testId}>
          {action.label}
        </button>
      ) : null}
    </div>
  );
}
