// The virtualised thread list: stable keys (thread ids), fixed-height rows, more pages on scroll.
import { useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Thread } from '../../../shared/protocol/index.ts';
import { isSubAgent, relativeTime, shortenPath, sourceLabel, threadTitle, updatedMs } from '../../lib/format.ts';

const ROW_HEIGHT = 64;

interface Props {
  threads: Thread[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onEndReached: () => void;
}

export function ThreadList({ threads, selectedId, onSelect, onEndReached }: Props): React.JSX.Element {
  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: threads.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (i) => threads[i]?.id ?? i,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length > 0 ? items[items.length - 1]!.index : -1;

  useEffect(() => {
    if (lastIndex >= threads.length - 20) onEndReached();
  }, [lastIndex, threads.length, onEndReached]);

  return (
    <div ref={parentRef} className="thread-list" role="listbox" aria-label="Threads" data-testid="thread-list">
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((vi) => {
          const t = threads[vi.index]!;
          const selected = t.id === selectedId;
          return (
            <div
              key={vi.key}
              role="option"
              aria-selected={selected}
              data-thread-id={t.id}
              className={`thread-row${selected ? ' selected' : ''}`}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${vi.start}px)` }}
              onClick={() => onSelect(t.id)}
            >
              <div className="row-main">
                <span className="row-title" data-testid="thread-title">
                  {threadTitle(t)}
                </span>
                <span className="row-time" title={new Date(updatedMs(t)).toLocaleString()}>
                  {relativeTime(updatedMs(t))}
                </span>
              </div>
              <div className="row-meta">
                <span className={`badge source${isSubAgent(t) ? ' subagent' : ''}`}>{sourceLabel(t.source)}</span>
                <span className="badge provider">{t.modelProvider}</span>
                {t.extra?.spool.archived ? <span className="badge archived">archived</span> : null}
                <span className="row-cwd" title={t.cwd}>
                  {shortenPath(t.cwd)}
                </span>
                {t.gitInfo?.branch ? <span className="row-branch">⎇ {t.gitInfo.branch}</span> : null}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
