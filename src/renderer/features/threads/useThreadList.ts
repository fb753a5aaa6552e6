// A paged window over thread/list: the first page at once, further pages on demand, and a
// catch-up through the backwards cursor when the index reports changes — merged by id, never a
// reload. (The full bidirectional window with eviction builds on this.)
import { useCallback, useEffect, useRef, useState } from 'react';
import { getBridge } from '../../bridge/index.ts';
import type { Thread, ThreadListParams } from '../../../shared/protocol/index.ts';
import { applyMembership } from './membership.ts';

export interface ThreadListState {
  threads: Thread[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore: () => void;
}

const PAGE = 50;

export function useThreadList(filters: ThreadListParams): ThreadListState {
  const [threads, setThreads] = useState<Thread[]>([]);
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const next = useRef<string | null>(null);
  const back = useRef<string | null>(null);
  const busy = useRef(false);
  const filtersKey = JSON.stringify(filters);

  useEffect(() => {
    let cancelled = false;
    getBridge()
      .request('thread/list', { ...filters, limit: PAGE })
      .then((r) => {
        if (cancelled) return;
        setThreads(r.data);
        next.current = r.nextCursor;
        back.current = r.backwardsCursor;
        setHasMore(r.nextCursor !== null);
        setError(null);
        setLoadedKey(filtersKey);
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        setError(e instanceof Error ? e.message : String(e));
        setLoadedKey(filtersKey);
      });
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- filtersKey stands for filters
  }, [filtersKey]);

  const loadMore = useCallback(() => {
    if (busy.current || next.current === null) return;
    busy.current = true;
    getBridge()
      .request('thread/list', { ...filters, limit: PAGE, cursor: next.current })
      .then((r) => {
        next.current = r.nextCursor;
        setHasMore(r.nextCursor !== null);
        setThreads((prev) => {
          const seen = new Set(prev.map((t) => t.id));
          return [...prev, ...r.data.filter((t) => !seen.has(t.id))];
        });
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => {
        busy.current = false;
      });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- filtersKey stands for filters
  }, [filtersKey]);

  // Catch up after changes: the opposite direction from the backwards cursor returns the rows at
  // or above our first row's key; merge them in by id.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const catchUp = (): void => {
      const cursor = back.current;
      const dir = filters.sortDirection === 'asc' ? 'desc' : 'asc';
      getBridge()
        .request('thread/list', { ...filters, limit: 100, sortDirection: dir, ...(cursor ? { cursor } : {}) })
        .then((r) => {
          if (r.data.length === 0) return;
          setThreads((prev) => {
            const fresh = new Map(r.data.map((t) => [t.id, t]));
            const rest = prev.filter((t) => !fresh.has(t.id));
            const merged = [...(filters.sortDirection === 'asc' ? r.data : [...r.data].reverse()), ...rest];
            return merged;
          });
        })
        .catch(() => undefined);
    };
    const off = getBridge().subscribe((n) => {
      if (n.method !== 'spool/index/changed' && n.method !== 'thread/name/updated') return;
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        catchUp();
      }, 100);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- filtersKey stands for filters
  }, [filtersKey]);

  // Archive and unarchive move threads between collections: drop the ones that left this list,
  // take in the ones that joined it (read one by one, merged once per frame).
  useEffect(() => {
    const wantArchived = filters.archived === true;
    const leaving = new Set<string>();
    const joining: Thread[] = [];
    let frame: number | null = null;
    let live = true;
    const flush = (): void => {
      frame = null;
      const gone = new Set(leaving);
      const come = joining.splice(0);
      leaving.clear();
      setThreads((prev) => applyMembership(prev, gone, come, filters, next.current === null));
    };
    const schedule = (): void => {
      if (frame === null) frame = requestAnimationFrame(flush);
    };
    const off = getBridge().subscribe((n) => {
      if (n.method !== 'thread/archived' && n.method !== 'thread/unarchived') return;
      const nowArchived = n.method === 'thread/archived';
      if (nowArchived !== wantArchived) {
        leaving.add(n.params.threadId);
        schedule();
        return;
      }
      getBridge()
        .request('thread/read', { threadId: n.params.threadId })
        .then((r) => {
          if (!live) return;
          joining.push(r.thread);
          schedule();
        })
        .catch(() => undefined);
    });
    return () => {
      live = false;
      off();
      if (frame !== null) cancelAnimationFrame(frame);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- filtersKey stands for filters
  }, [filtersKey]);

  return { threads, loading: loadedKey !== filtersKey, error, hasMore, loadMore };
}
