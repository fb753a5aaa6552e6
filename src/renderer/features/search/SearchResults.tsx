// Full-text search results: ranked hits with highlighted snippets, more pages on scroll. Opening a
// hit opens its thread at the hit's turn (a deep link). Keyboard: ↑ ↓ PageUp PageDown Home End, Enter.
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { SearchHit } from '../../../shared/protocol/index.ts';
import type { MessageSearch } from './useMessageSearch.ts';
import { Highlight } from '../../components/Highlight.tsx';
import { relativeTime, shortenPath, sourceKindClass, sourceLabel, threadTitle, updatedMs } from '../../lib/format.ts';

const HIT_HEIGHT = 104;

interface Props {
  search: MessageSearch;
  openedTurn: string | null;
  onOpen: (hit: SearchHit) => void;
}

export interface SearchResultsHandle {
  focus(): void;
}

export const SearchResults = forwardRef<SearchResultsHandle, Props>(function SearchResults({ search, openedTurn, onOpen }, ref) {
  const parentRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const { hits } = search;
  const virtualizer = useVirtualizer({
    count: hits.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => HIT_HEIGHT,
    overscan: 6,
    getItemKey: (i) => hits[i]?.messageId ?? i,
  });
  useImperativeHandle(ref, () => ({ focus: () => parentRef.current?.focus() }), []);
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1]?.index ?? 0;
  const { hasMore, loadMore } = search;
  useEffect(() => {
    if (hasMore && last >= hits.length - 15) loadMore();
  }, [last, hits.length, hasMore, loadMore]);
  const current = Math.min(active, Math.max(0, hits.length - 1));

  const move = (i: number): void => {
    const n = Math.max(0, Math.min(hits.length - 1, i));
    setActive(n);
    virtualizer.scrollToIndex(n, { align: 'auto' });
  };
  const onKeyDown = (e: React.KeyboardEvent): void => {
    const page = Math.max(1, Math.floor((parentRef.current?.clientHeight ?? 600) / HIT_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
        move(current + 1);
        break;
      case 'ArrowUp':
        move(current - 1);
        break;
      case 'PageDown':
        move(current + page);
        break;
      case 'PageUp':
        move(current - page);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(hits.length - 1);
        break;
      case 'Enter': {
        const h = hits[current];
        if (h) onOpen(h);
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div
      ref={parentRef}
      className="search-results"
      role="listbox"
      aria-label="Messages found"
      tabIndex={0}
      data-testid="search-results"
      aria-activedescendant={hits[current] ? `hit-${hits[current].messageId}` : undefined}
      onKeyDown={onKeyDown}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((vi) => {
          const h = hits[vi.index]!;
          const t = h.thread;
          const cls = ['search-hit', vi.index === current ? 'active' : '', h.turnId !== null && h.turnId === openedTurn ? 'opened' : '']
            .filter(Boolean)
            .join(' ');
          return (
            <div
              key={vi.key}
              id={`hit-${h.messageId}`}
              role="option"
              aria-selected={vi.index === current}
              className={cls}
              data-testid="search-hit"
              data-thread-id={h.threadId}
              data-turn-id={h.turnId ?? ''}
              style={{ transform: `translateY(${vi.start}px)`, height: HIT_HEIGHT }}
              onClick={() => {
                setActive(vi.index);
                onOpen(h);
              }}
            >
              <div className="row-main">
                <span className={`badge source ${sourceKindClass(t.source)}`}>{sourceLabel(t.source)}</span>
                <span className="row-title">{threadTitle(t)}</span>
                <time className="row-time">{relativeTime(updatedMs(t))}</time>
              </div>
              <div className="hit-meta">
                <span className={`role ${h.role}`}>{h.role === 'user' ? 'You' : 'Codex'}</span>
                {h.turnIndex !== null ? <span>turn {h.turnIndex + 1}</span> : null}
                {t.cwd ? <span className="row-cwd">{shortenPath(t.cwd)}</span> : null}
                {t.extra?.spool.archived ? <span className="badge archived">archived</span> : null}
              </div>
              <p className="snippet" data-testid="hit-snippet">
                <Highlight snippet={h.snippet} />
              </p>
            </div>
          );
        })}
      </div>
      {search.hasMore ? <div className="list-edge bottom static">Loading more results…</div> : null}
    </div>
  );
});
