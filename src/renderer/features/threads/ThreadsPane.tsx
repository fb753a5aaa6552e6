// The list pane's body: the thread window for the current query and what to show for it — the
// list, or a loading, error or empty state that says what to do. It owns the window so that
// pages arriving, catch-ups and trims re-render only the list, not the whole app.
import { forwardRef, memo, useEffect } from 'react';
import type { ThreadListParams } from '../../../shared/protocol/index.ts';
import { EmptyState, SkeletonRows } from '../../components/States.tsx';
import { activeFilterCount, clearFilters, type ListFilters } from '../../app/route.ts';
import { ThreadList, type ThreadListHandle } from './ThreadList.tsx';
import { useThreadWindow } from './useThreadWindow.ts';
import type { Selection } from './selection.ts';

export interface PaneStatus {
  /** The first page has arrived (or failed). */
  ready: boolean;
  /** Rows the window holds and whether it reached the end: during a title search only (else 0, false). */
  rows: number;
  atEnd: boolean;
}

interface Props {
  params: ThreadListParams;
  filters: ListFilters;
  grouping: boolean;
  indexing: boolean;
  activeId: string | null;
  onActive: (id: string) => void;
  openedId: string | null;
  onOpen: (id: string) => void;
  selection: Selection;
  onSelection: (s: Selection) => void;
  collapsed: ReadonlySet<string>;
  onToggleCollapsed: (id: string) => void;
  onSelectAll: () => void;
  onFilters: (f: ListFilters) => void;
  onStatus: (s: PaneStatus) => void;
  onOpenDemo: () => void;
  demoBusy: boolean;
}

export const ThreadsPane = memo(
  forwardRef<ThreadListHandle, Props>(function ThreadsPane(p, ref) {
    const list = useThreadWindow(p.params);
    const { state, win } = list;
    const f = p.filters;
    const { onStatus } = p;
    const ready = state.status !== 'loading';
    const titleSearch = f.scope === 'titles' ? f.q.trim() : '';
    // The app shows the window's row count only for a title search (facets count everything
    // else): reported otherwise, every page, trim and catch-up would re-render the whole app.
    const counted = titleSearch !== '';
    const rows = counted ? state.rows.length : 0;
    const atEnd = counted && state.atEnd;
    useEffect(() => onStatus({ ready, rows, atEnd }), [onStatus, ready, rows, atEnd]);

    let body: React.ReactNode;
    if (state.status === 'loading' || (state.status === 'ready' && state.rows.length === 0 && !state.atEnd)) body = <SkeletonRows />;
    else if (state.status === 'error' && state.rows.length === 0)
      body = (
        <EmptyState
          tone="error"
          title="Spool could not load the threads"
          hint={state.error}
          action={{ label: 'Try again', onClick: () => void win.start(), testId: 'retry' }}
        />
      );
    else if (state.rows.length === 0) {
      if (titleSearch !== '')
        body = (
          <EmptyState
            title={`No thread title contains “${titleSearch}”`}
            hint="Title search matches names and first prompts exactly, case included."
            action={{
              label: 'Search all messages instead',
              onClick: () => p.onFilters({ ...f, scope: 'messages' }),
              testId: 'search-messages-instead',
            }}
          />
        );
      else if (activeFilterCount(f) > 0)
        body = (
          <EmptyState
            title="No threads match these filters"
            action={{ label: 'Clear filters', onClick: () => p.onFilters(clearFilters(f)), testId: 'empty-clear-filters' }}
          />
        );
      else if (f.archived)
        body = <EmptyState title="Nothing is archived" hint="Threads you archive (here or with codex archive) are listed here." />;
      else if (p.indexing)
        body = (
          <EmptyState title="Indexing your Codex home…" hint="Threads appear here as soon as they are indexed." testId="indexing-state" />
        );
      else
        body = (
          <EmptyState
            title="No threads in this Codex home yet"
            hint="Run codex once, or open a generated demo home to look around."
            action={{
              label: p.demoBusy ? 'Writing demo home…' : 'Open demo home',
              onClick: p.onOpenDemo,
              busy: p.demoBusy,
              testId: 'open-demo',
            }}
          />
        );
    } else
      body = (
        <ThreadList
          ref={ref}
          api={list}
          grouping={p.grouping}
          archived={f.archived}
          activeId={p.activeId}
          onActive={p.onActive}
          openedId={p.openedId}
          onOpen={p.onOpen}
          selection={p.selection}
          onSelection={p.onSelection}
          collapsed={p.collapsed}
          onToggleCollapsed={p.onToggleCollapsed}
          onSelectAll={p.onSelectAll}
        />
      );
    return (
      <>
        {body}
        {state.status === 'ready' && state.error && state.rows.length > 0 ? (
          <div className="inline-error" role="alert">
            Could not load more threads: {state.error}
            <button type="button" className="link" onClick={() => void win.catchUp({ membership: true })}>
              Retry
            </button>
          </div>
        ) : null}
      </>
    );
  }),
);
