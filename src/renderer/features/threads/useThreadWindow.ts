// One ThreadWindow per list query, fed by the bridge and kept current: index and mutation
// notifications become catch-ups (changes coalesced over a few milliseconds), and so do regaining
// focus and a reconnected socket.
import { useLayoutEffect, useMemo, useSyncExternalStore } from 'react';
import { getBridge, onConnectionChange, untilConnected } from '../../bridge/index.ts';
import { firstPageRequest } from './first-page.ts';
import type { ThreadListParams } from '../../../shared/protocol/index.ts';
import { ThreadWindow, type WindowState } from './window.ts';
import type { CatchUpRequest, CatchUpResult } from './window-catch-up.ts';

const COALESCE_MS = 30;

export interface ThreadWindowApi {
  win: ThreadWindow;
  state: WindowState;
}

/** Catch-up timings, for the benchmark (read through the page). */
export interface CatchUpStat extends CatchUpResult {
  ms: number;
  at: number;
}
declare global {
  interface Window {
    __spoolCatchUps?: CatchUpStat[];
  }
}

export function useThreadWindow(params: ThreadListParams): ThreadWindowApi {
  const key = JSON.stringify(params);
  const win = useMemo(() => {
    // The boot's prefetched first page, when it was for this query (taken once: in React's dev
    // StrictMode the second window of a double render simply asks the engine).
    const first = getBridge().takePrefetched('thread/list', firstPageRequest(params));
    return new ThreadWindow((p) => getBridge().request('thread/list', p), params, first ? { first } : {});
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key stands for params
  }, [key]);
  const state = useSyncExternalStore(win.subscribe, win.getState);

  // A layout effect: the first page is requested before the browser paints the skeleton.
  useLayoutEffect(() => {
    const prefetched = win.open();
    let stopped = false;
    let pending: { changed: Set<string>; removed: Set<string>; membership: boolean } | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = (): void => {
      timer = null;
      const req: CatchUpRequest = pending ?? {};
      pending = null;
      const t0 = performance.now();
      void win.catchUp(req).then((r) => {
        if (!r) return;
        const stats = (window.__spoolCatchUps ??= []);
        stats.push({ ...r, ms: performance.now() - t0, at: Date.now() });
        if (stats.length > 100) stats.shift();
      });
    };
    const queue = (changed: Iterable<string>, removed: Iterable<string>, membership: boolean): void => {
      pending ??= { changed: new Set(), removed: new Set(), membership: false };
      for (const id of changed) pending.changed.add(id);
      for (const id of removed) pending.removed.add(id);
      pending.membership ||= membership;
      timer ??= setTimeout(flush, COALESCE_MS);
    };
    const off = getBridge().subscribe((n) => {
      switch (n.method) {
        case 'spool/index/changed':
          if (n.params.reason === 'rebuild') void win.start();
          else
            queue(
              n.params.threadIds,
              n.params.removedIds,
              n.params.reason === 'archive' || n.params.reason === 'move' || n.params.reason === 'delete',
            );
          break;
        case 'thread/archived':
        case 'thread/unarchived':
          queue([n.params.threadId], [], true);
          break;
        case 'thread/name/updated':
          queue([n.params.threadId], [], false);
          break;
        default:
          break;
      }
    });
    const onFocus = (): void => queue([], [], true);
    const onVisible = (): void => {
      if (document.visibilityState === 'visible') onFocus();
    };
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisible);
    const offConn = onConnectionChange((up) => {
      if (up) onFocus();
    });
    // A prefetched page was answered before this subscription, and over HTTP in browser mode, apart
    // from the socket that carries notifications: whatever changed in between is caught up once
    // the line is up.
    if (prefetched)
      void untilConnected().then(() => {
        if (!stopped) onFocus();
      });
    return () => {
      stopped = true;
      off();
      offConn();
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onVisible);
      if (timer) clearTimeout(timer);
      win.dispose();
    };
  }, [win]);

  return { win, state };
}
