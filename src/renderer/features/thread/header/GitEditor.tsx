// The git metadata editor: branch, commit sha and origin URL, each left as it is, set to a new
// value or cleared — what thread/metadata/update's tri-state patch can say. Values are checked as
// they are typed; an origin URL with credentials shows what will be kept. Saving updates the header
// at once and rolls back if the engine refuses.
import { useState } from 'react';
import { getBridge } from '../../../bridge/index.ts';
import type { GitInfo, Thread } from '../../../../shared/protocol/index.ts';
import {
  applyPatch,
  buildPatch,
  credentialNote,
  emptyDraft,
  fieldError,
  GIT_FIELDS,
  isEmptyPatch,
  type GitDraft,
  type GitField,
} from './git-patch.ts';

const LABEL: Record<GitField, string> = { branch: 'Branch', sha: 'Commit', originUrl: 'Origin URL' };
const PLACEHOLDER: Record<GitField, string> = { branch: 'main', sha: '7–40 hex digits', originUrl: 'https://github.com/org/repo.git' };

interface Props {
  thread: Thread;
  patch: (fn: (t: Thread) => Thread) => void;
  onClose: () => void;
  onError: (message: string | null) => void;
}

export function GitEditor({ thread, patch, onClose, onError }: Props): React.JSX.Element {
  const [draft, setDraft] = useState<GitDraft>(emptyDraft);
  const [busy, setBusy] = useState(false);
  const current: GitInfo | null = thread.gitInfo;
  const built = buildPatch(draft);
  const hasErrors = Object.keys(built.errors).length > 0;
  const set = (f: GitField, e: GitDraft[GitField]): void => setDraft((d) => ({ ...d, [f]: e }));

  const save = (): void => {
    if (hasErrors || isEmptyPatch(built.patch)) return;
    const before = thread.gitInfo;
    setBusy(true);
    onError(null);
    patch((t) => ({ ...t, gitInfo: applyPatch(t.gitInfo, built.patch) }));
    onClose();
    getBridge()
      .request('thread/metadata/update', { threadId: thread.id, gitInfo: built.patch })
      .then((r) => patch((t) => ({ ...t, gitInfo: r.thread.gitInfo, updatedAt: r.thread.updatedAt, extra: r.thread.extra })))
      .catch((e: unknown) => {
        patch((t) => ({ ...t, gitInfo: before }));
        onError(`The git metadata was not saved: ${e instanceof Error ? e.message : String(e)}`);
      })
      .finally(() => setBusy(false));
  };

  return (
    <form
      className="git-editor"
      data-testid="git-editor"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onClose();
        }
      }}
    >
      {GIT_FIELDS.map((f) => {
        const edit = draft[f];
        const now = current?.[f] ?? null;
        const error = edit.mode === 'set' ? fieldError(f, edit.value) : null;
        const note = f === 'originUrl' && edit.mode === 'set' ? credentialNote(edit.value) : null;
        return (
          <div key={f} className="git-field" data-testid={`git-${f}`} data-mode={edit.mode}>
            <label htmlFor={`git-${f}-${thread.id}`}>{LABEL[f]}</label>
            <div className="git-value">
              {edit.mode === 'set' ? (
                <input
                  id={`git-${f}-${thread.id}`}
                  data-testid={`git-${f}-input`}
                  value={edit.value}
                  placeholder={PLACEHOLDER[f]}
                  aria-invalid={error !== null}
                  spellCheck={false}
                  autoComplete="off"
                  onChange={(e) => set(f, { mode: 'set', value: e.target.value })}
                />
              ) : edit.mode === 'clear' ? (
                <span className="git-cleared" data-testid={`git-${f}-cleared`}>
                  <del>{now ?? 'not set'}</del> will be cleared
                </span>
              ) : (
                <code className={now === null ? 'muted' : ''}>{now ?? 'not set'}</code>
              )}
              {error ? (
                <div className="field-error" role="alert" data-testid={`git-${f}-error`}>
                  {error}
                </div>
              ) : null}
              {note ? (
                <div className="field-note" data-testid="git-credentials-note">
                  {note}
                </div>
              ) : null}
            </div>
            <div className="git-actions">
              {edit.mode === 'keep' ? (
                <>
                  <button
                    type="button"
                    className="link"
                    data-testid={`git-${f}-edit`}
                    onClick={() => set(f, { mode: 'set', value: now ?? '' })}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="link"
                    data-testid={`git-${f}-clear`}
                    disabled={now === null}
                    onClick={() => set(f, { mode: 'clear' })}
                  >
                    Clear
                  </button>
                </>
              ) : (
                <button type="button" className="link" data-testid={`git-${f}-keep`} onClick={() => set(f, { mode: 'keep' })}>
                  Keep as is
                </button>
              )}
            </div>
          </div>
        );
      })}
      <div className="git-footer">
        <button type="submit" className="primary" data-testid="git-save" disabled={busy || hasErrors || isEmptyPatch(built.patch)}>
          Save
        </button>
        <button type="button" className="link" onClick={onClose}>
          Cancel
        </button>
        <span className="muted small">Fields left as they are are not sent; cleared ones are removed.</span>
      </div>
    </form>
  );
}
