// The open thread's metadata (thread/read), kept current from the index's notifications, with a
// setter for optimistic edits (rename, git) that the next answer confirms or replaces.
import { useCallback, useEffect, useState } from 'react';
import { getBridge } from '../../../bridge/index.ts';
import type { Thread } from '../../../../shared/protocol/index.ts';

export interface ThreadMeta {
  thread: Thread | null;
  error: string | null;
  /** The rollout is gone from the home (deleted, or its id no longer indexed). */
  gone: boolean;
  /** Changes the shown thread (an optimistic edit, or its rollback). */
  patch: (fn: (t: Thread) => Thread) => void;
  reload: () => void;
}

export function useThreadMeta(threadId: string): ThreadMeta {
  const [state, setState] = useState<{ id: string; thread: Thread | null; error: string | null; gone: boolean }>({
    id: threadId,
    thread: null,
    error: null,
    gone: false,
  });
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let cancelled = false;
    getBridge()
      .request('thread/read', { threadId })
      .then((r) => !cancelled && setState({ id: threadId, thread: r.thread, error: null, gone: false }))
      .catch((e: unknown) => {
        if (cancelled) return;
        const message = e instanceof Error ? e.message : String(e);
        setState((s) => ({
          id: threadId,
          thread: s.id === threadId ? s.thread : null,
          error: message,
          gone: /thread not loaded|no rollout found/.test(message),
        }));
      });
    return () => {
      cancelled = true;
    };
  }, [threadId, version]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const soon = (): void => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        reload();
      }, 60);
    };
    const off = getBridge().subscribe((n) => {
      switch (n.method) {
        case 'spool/index/changed':
          if (n.params.removedIds.includes(threadId)) setState((s) => ({ ...s, gone: true }));
          else if (n.params.threadIds.includes(threadId)) soon();
          break;
        case 'thread/name/updated':
          if (n.params.threadId === threadId) {
            const name = n.params.threadName ?? null;
            setState((s) => (s.thread && s.id === threadId ? { ...s, thread: { ...s.thread, name } } : s));
            soon();
          }
          break;
        case 'thread/archived':
        case 'thread/unarchived':
        case 'thread/closed':
        case 'spool/thread/reopened':
          if (n.params.threadId === threadId) soon();
          break;
        default:
          break;
      }
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [threadId, reload]);

  const patch = useCallback(
    (fn: (t: Thread) => Thread): void => setState((s) => (s.thread && s.id === threadId ? { ...s, thread: fn(s.thread) } : s)),
    [threadId],
  );

  const current = state.id === threadId ? state : { thread: null, error: null, gone: false };
  return { thread: current.thread, error: current.error, gone: current.gone, patch, reload };
}
