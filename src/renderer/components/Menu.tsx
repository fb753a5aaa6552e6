// A button that opens a panel below it (filter menus). Closes on Esc, on a click outside, and when
// focus leaves it; Esc returns focus to the button.
import { useEffect, useId, useRef, useState } from 'react';

interface Props {
  label: React.ReactNode;
  /** Shown highlighted when the menu's filter is in effect. */
  active?: boolean;
  testId?: string;
  align?: 'left' | 'right';
  children: React.ReactNode;
}

export function Menu({ label, active = false, testId, align = 'left', children }: Props): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const id = useId();
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent): void => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    // Focus the first control in the panel.
    requestAnimationFrame(() =>
      root.current?.querySelector<HTMLElement>('.menu-panel input, .menu-panel button, .menu-panel select')?.focus(),
    );
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);
  const close = (): void => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <div
      ref={root}
      className="menu"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          close();
        }
      }}
      onBlur={(e) => {
        if (open && root.current && e.relatedTarget instanceof Node && !root.current.contains(e.relatedTarget)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        className={`chip${active ? ' active' : ''}${open ? ' open' : ''}`}
        aria-expanded={open}
        aria-controls={id}
        data-testid={testId}
        onClick={() => setOpen((o) => !o)}
      >
        {label}
        <svg viewBox="0 0 10 6" className="caret" aria-hidden="true">
          <path d="M1 1l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.4" />
        </svg>
      </button>
      {open ? (
        <div id={id} className={`menu-panel ${align}`} role="dialog" data-testid={testId ? `${testId}-panel` : undefined}>
          {children}
        </div>
      ) : null}
    </div>
  );
}
