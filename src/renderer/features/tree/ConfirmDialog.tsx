// A modal confirmation: says what an action will touch, focuses its confirm button, Esc cancels,
// Tab stays inside, and focus returns where it was when it closes.
import { useEffect, useRef } from 'react';
import type { Plan } from './operations.ts';

interface Props {
  plan: Plan;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({ plan, onConfirm, onCancel }: Props): React.JSX.Element {
  const confirmRef = useRef<HTMLButtonElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    confirmRef.current?.focus();
    return () => before?.focus();
  }, []);

  const onKeyDown = (e: React.KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onCancel();
      return;
    }
    if (e.key !== 'Tab') return;
    const focusable = dialogRef.current?.querySelectorAll<HTMLElement>('button');
    if (!focusable || focusable.length === 0) return;
    const first = focusable[0]!;
    const last = focusable[focusable.length - 1]!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div
        ref={dialogRef}
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        aria-describedby="confirm-body"
        data-testid="confirm-dialog"
        onKeyDown={onKeyDown}
      >
        <h2 id="confirm-title">{plan.title}</h2>
        <div id="confirm-body">
          {plan.lines.map((l) => (
            <p key={l}>{l}</p>
          ))}
          {plan.warning ? (
            <p className="modal-warning" role="note">
              {plan.warning}
            </p>
          ) : null}
        </div>
        <div className="modal-buttons">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button
            ref={confirmRef}
            type="button"
            className={plan.danger ? 'danger' : 'primary-action'}
            onClick={onConfirm}
            data-testid="confirm-action"
            disabled={plan.count === 0}
          >
            {plan.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
