// The thread view (the detail pane): the header of the open thread above its turn timeline. The
// timeline opens at the newest turn (or at `turnId`, a search hit's deep link) and follows codex
// while it writes; the header follows renames, git edits and moves through notifications.
import { useMemo } from 'react';
import { useThreadMeta } from './header/useThreadMeta.ts';
import { ThreadHeader } from './header/ThreadHeader.tsx';
import { useTurnWindow } from './timeline/useTurnWindow.ts';
import { Timeline } from './timeline/Timeline.tsx';
import { ThreadCtx, type ThreadViewContext } from './context.ts';
import { openExternal } from './host.ts';
import './thread.css';

interface Props {
  threadId: string;
  /** A turn to scroll to and highlight (deep links from search). */
  turnId?: string | null;
  /** Selects another thread in the app (parent, children, agents named in the turns). */
  onOpenThread?: (threadId: string) => void;
}

export function ThreadView({ threadId, turnId = null, onOpenThread }: Props): React.JSX.Element {
  const meta = useThreadMeta(threadId);
  const turns = useTurnWindow(threadId, turnId);
  const ctx = useMemo<ThreadViewContext>(
    () => ({ threadId, openLink: (url) => void openExternal(url), openThread: onOpenThread ?? null }),
    [threadId, onOpenThread],
  );

  let body: React.ReactNode;
  if (meta.gone || turns.state.status === 'gone') {
    body = (
      <div className="thread-empty" data-testid="thread-gone">
        This thread’s rollout is no longer in the Codex home.
      </div>
    );
  } else if (turns.state.status === 'loading') {
    body = (
      <div className="thread-empty" aria-busy="true">
        Loading turns…
      </div>
    );
  } else if (turns.state.status === 'error') {
    body = (
      <div className="thread-empty error" role="alert">
        Could not load the turns: {turns.state.error}{' '}
        <button type="button" className="link" onClick={() => void turns.window.open()}>
          Try again
        </button>
      </div>
    );
  } else if (turns.state.entries.length === 0) {
    body = (
      <div className="thread-empty" data-testid="no-turns">
        No turns yet.
      </div>
    );
  } else {
    body = <Timeline handle={turns} />;
  }

  return (
    <ThreadCtx.Provider value={ctx}>
      <article className="thread-view" data-testid="thread-detail" data-thread-id={threadId} aria-label="Thread">
        {meta.thread ? (
          <ThreadHeader key={meta.thread.id} thread={meta.thread} patch={meta.patch} />
        ) : meta.error && !meta.gone ? (
          <div className="thread-header error" role="alert">
            {meta.error}
          </div>
        ) : (
          <div className="thread-header placeholder" aria-busy="true" />
        )}
        {body}
      </article>
    </ThreadCtx.Provider>
  );
}
