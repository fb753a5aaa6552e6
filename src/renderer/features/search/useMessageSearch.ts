// Full-text search as the user types: debounced, stale answers dropped, further pages on demand.
import { useCallback, useEffect, useRef, useState } from 'react';
import { getBridge } from '../../bridge/index.ts';
import type { SearchHit, SearchParams, SearchResult } from '../../../shared/protocol/index.ts';

const DEBOUNCE_MS = 120;
const PAGE = 50;

export interface MessageSearch {
  hits: SearchHit[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  ranking: SearchResult['ranking'];
  hasMore: boolean;
  loadMore: () => void;
  /** Time the last first page took (request to answer), for the status line. */
  ms: number | null;
}

interface Answer {
  key: string;
  hits: SearchHit[];
  error: string | null;
  ranking: SearchResult['ranking'];
  cursor: string | null;
  ms: number | null;
}

type Filters = Omit<SearchParams, 'query' | 'cursor' | 'limit'>;

export function useMessageSearch(query: string, filters: Filters, enabled: boolean): MessageSearch {
  const active = enabled && query.trim() !== '';
  const key = JSON.stringify({ query: query.trim(), filters });
  const [answer, setAnswer] = useState<Answer | null>(null);
  const seq = useRef(0);
  const busy = useRef(false);

  useEffect(() => {
    const mine = ++seq.current;
    if (!active) return;
    const timer = setTimeout(() => {
      const t0 = performance.now();
      getBridge()
        .request('spool/search', { ...filters, query, limit: PAGE })
        .then((r) => {
          if (mine === seq.current)
            setAnswer({ key, hits: r.data, error: null, ranking: r.ranking, cursor: r.nextCursor, ms: performance.now() - t0 });
        })
        .catch((e: unknown) => {
          if (mine === seq.current)
            setAnswer({ key, hits: [], error: e instanceof Error ? e.message : String(e), ranking: 'relevance', cursor: null, ms: null });
        });
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the key stands for query and filters
  }, [key, active]);

  const current = active && answer !== null && answer.key === key ? answer : null;
  const cursor = current?.cursor ?? null;
  const loadMore = useCallback(() => {
    if (busy.current || cursor === null) return;
    busy.current = true;
    const mine = seq.current;
    getBridge()
      .request('spool/search', { ...filters, query, limit: PAGE, cursor })
      .then((r) => {
        if (mine !== seq.current) return;
        setAnswer((a) => {
          if (!a) return a;
          const seen = new Set(a.hits.map((h) => h.messageId));
          return {
            ...a,
            hits: [...a.hits, ...r.data.filter((h) => !seen.has(h.messageId))],
            cursor: r.nextCursor,
            ranking: a.ranking === 'windowed' ? 'windowed' : r.ranking,
          };
        });
      })
      .catch((e: unknown) => {
        if (mine === seq.current) setAnswer((a) => (a ? { ...a, error: e instanceof Error ? e.message : String(e), cursor: null } : a));
      })
      .finally(() => {
        busy.current = false;
      });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the cursor belongs to the current key
  }, [cursor]);

  if (!active) return { hits: [], status: 'idle', error: null, ranking: 'relevance', hasMore: false, loadMore, ms: null };
  // While a new query runs, the previous answer stays on screen (no flash of emptiness).
  if (!current)
    return {
      hits: answer?.hits ?? [],
      status: 'loading',
      error: null,
      ranking: answer?.ranking ?? 'relevance',
      hasMore: false,
      loadMore,
      ms: null,
    };
  return {
    hits: current.hits,
    status: current.error !== null && current.hits.length === 0 ? 'error' : 'ready',
    error: current.error,
    ranking: current.ranking,
    hasMore: current.cursor !== null,
    loadMore,
    ms: current.ms,
  };
}
