// The thread's name, renamed in place: click (or F2) to edit, Enter saves through thread/name/set,
// Escape cancels. The new name shows at once and goes back if the engine refuses it.
import { useEffect, useRef, useState } from 'react';
import { getBridge } from '../../../bridge/index.ts';
import type { Thread } from '../../../../shared/protocol/index.ts';
import { threadTitleText } from '../export/formats.ts';

interface Props {
  thread: Thread;
  patch: (fn: (t: Thread) => Thread) => void;
}

export function TitleEditor({ thread, patch }: Props): React.JSX.Element {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const archived = thread.extra?.spool.archived === true;

  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);

  const start = (): void => {
    if (archived) return;
    setValue(thread.name ?? thread.preview.split('\n')[0]!.trim());
    setError(null);
    setEditing(true);
  };

  const save = (): void => {
    const name = value.trim();
    if (name === '') {
      setError('A name cannot be empty.');
      return;
    }
    if (name === thread.name) {
      setEditing(false);
      return;
    }
    const before = thread.name;
    setSaving(true);
    setEditing(false);
    patch((t) => ({ ...t, name }));
    getBridge()
      .request('thread/name/set', { threadId: thread.id, name })
      .then(() => setError(null))
      .catch((e: unknown) => {
        patch((t) => ({ ...t, name: before }));
        setError(`Could not rename: ${e instanceof Error ? e.message : String(e)}`);
      })
      .finally(() => setSaving(false));
  };

  if (editing) {
    return (
      <div className="title-edit">
        <input
          ref={input}
          className="title-input"
          data-testid="rename-input"
          aria-label="Thread name"
          value={value}
          maxLength={500}
          onChange={(e) => {
            setValue(e.target.value);
            setError(e.target.value.trim() === '' ? 'A name cannot be empty.' : null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') save();
            else if (e.key === 'Escape') {
              e.preventDefault();
              setEditing(false);
              setError(null);
            }
          }}
          onBlur={() => setEditing(false)}
        />
        {error ? (
          <div className="field-error" role="alert">
            {error}
          </div>
        ) : (
          <div className="field-hint">Enter to save · Esc to cancel</div>
        )}
      </div>
    );
  }
  return (
    <div className="title-row">
      <h2
        className={`thread-title${archived ? '' : ' editable'}`}
        data-testid="detail-title"
        title={archived ? 'Unarchive the thread to rename it (codex does not rename archived threads)' : 'Rename (F2)'}
        tabIndex={archived ? undefined : 0}
        onClick={start}
        onKeyDown={(e) => {
          if (e.key === 'F2' || e.key === 'Enter') start();
        }}
      >
        {threadTitleText(thread)}
        {saving ? <span className="muted small"> saving…</span> : null}
      </h2>
      {!archived ? (
        <button type="button" className="icon-button" onClick={start} aria-label="Rename thread" data-testid="rename" title="Rename">
          ✎
        </button>
      ) : null}
      {error ? (
        <div className="field-error" role="alert" data-testid="rename-error">
          {error}
        </div>
      ) : null}
    </div>
  );
}
