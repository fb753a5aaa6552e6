// The search field: titles as you type (thread/list's searchTerm), or every message (full-text).
// `/` or Ctrl/Cmd+K focuses it; Esc clears it, then leaves it.
import { forwardRef, useImperativeHandle, useRef } from 'react';

interface Props {
  value: string;
  scope: 'titles' | 'messages';
  onChange: (value: string) => void;
  onScope: (scope: 'titles' | 'messages') => void;
  /** ↓ or Enter from the field moves into the results. */
  onLeave: () => void;
  status: string | null;
}

export interface SearchBoxHandle {
  focus(): void;
}

export const SearchBox = forwardRef<SearchBoxHandle, Props>(function SearchBox({ value, scope, onChange, onScope, onLeave, status }, ref) {
  const input = useRef<HTMLInputElement>(null);
  useImperativeHandle(ref, () => ({
    focus: () => {
      input.current?.focus();
      input.current?.select();
    },
  }));
  return (
    <div className="search" role="search">
      <svg className="search-icon" viewBox="0 0 16 16" aria-hidden="true">
        <circle cx="7" cy="7" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
        <path d="M10.5 10.5 14 14" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
      </svg>
      <input
        ref={input}
        type="search"
        value={value}
        placeholder={scope === 'titles' ? 'Filter by title…' : 'Search every message…'}
        aria-label={scope === 'titles' ? 'Filter threads by title' : 'Search all messages'}
        data-testid="search-input"
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            if (value !== '') onChange('');
            else input.current?.blur();
          } else if (e.key === 'ArrowDown' || e.key === 'Enter') {
            e.preventDefault();
            onLeave();
          }
        }}
      />
      {status ? <span className="search-status">{status}</span> : <kbd className="search-kbd">/</kbd>}
      <div className="segmented" role="radiogroup" aria-label="Search in">
        <button
          type="button"
          role="radio"
          aria-checked={scope === 'titles'}
          className={scope === 'titles' ? 'on' : ''}
          data-testid="scope-titles"
          onClick={() => onScope('titles')}
        >
          Titles
        </button>
        <button
          type="button"
          role="radio"
          aria-checked={scope === 'messages'}
          className={scope === 'messages' ? 'on' : ''}
          data-testid="scope-messages"
          onClick={() => onScope('messages')}
        >
          Messages
        </button>
      </div>
    </div>
  );
});
