// The app shell: the top bar with search, the indexing bar, the list pane (filters, selection,
// the thread list or the message search results) and the detail pane. What a reload should keep
// (open thread and turn, sort, filters, search) lives in the URL; see route.ts.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getBridge, onConnectionChange } from '../bridge/index.ts';
import type { ThreadListHandle } from '../features/threads/ThreadList.tsx';
import { ThreadsPane, type PaneStatus } from '../features/threads/ThreadsPane.tsx';
import { EMPTY_SELECTION, isEmpty, selectAll, selectedCount, type Selection } from '../features/threads/selection.ts';
import { ThreadView } from '../features/thread/ThreadView.tsx';
import { TreePane } from '../features/tree/TreePane.tsx';
import { IndexProgress, isIndexing, useIndexProgress } from '../components/IndexProgress.tsx';
import { EmptyState, SkeletonRows } from '../components/States.tsx';
import { FilterBar } from '../features/filters/FilterBar.tsx';
import { useFacets } from '../features/filters/useFacets.ts';
import { SearchBox, type SearchBoxHandle } from '../features/search/SearchBox.tsx';
import { SearchResults, type SearchResultsHandle } from '../features/search/SearchResults.tsx';
import { useMessageSearch } from '../features/search/useMessageSearch.ts';
import { BulkStatus, SelectionBar } from '../features/bulk/BulkBar.tsx';
import { useBulk, type BulkAction } from '../features/bulk/useBulk.ts';
import { activeFilterCount, clearFilters, facetParams, groupsSubAgents, listParams, searchFilters, type ListFilters } from './route.ts';
import { useRoute } from './useRoute.ts';
import { formatCount } from '../lib/format.ts';
import type { SearchHit } from '../../shared/protocol/index.ts';

const isTyping = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

export function App(): React.JSX.Element {
  const { route, navigate } = useRoute();
  const f = route.filters;
  const selectedId = route.threadId;
  const filtersKey = JSON.stringify({ ...f, q: f.scope === 'titles' ? f.q.trim() : '' });
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the key stands for the filters
  const params = useMemo(() => listParams(f), [filtersKey]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the key stands for the filters
  const facetQuery = useMemo(() => facetParams(f), [filtersKey]);
  const searchKey = JSON.stringify(searchFilters(f));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the key stands for the filters
  const searchQuery = useMemo(() => searchFilters(f), [searchKey]);
  const grouping = groupsSubAgents(f);
  const messagesMode = f.scope === 'messages' && f.q.trim() !== '';

  // The list pane owns the thread window (its updates re-render the list only) and reports back
  // whether its first page is in (counts wait for it) and how many rows it holds.
  const [pane, setPane] = useState<PaneStatus>({ ready: false, rows: 0, atEnd: false });
  const onPaneStatus = useCallback(
    (s: PaneStatus) => setPane((p) => (p.ready === s.ready && p.rows === s.rows && p.atEnd === s.atEnd ? p : s)),
    [],
  );
  const { facets } = useFacets(facetQuery, pane.ready);
  const search = useMessageSearch(f.q, searchQuery, f.scope === 'messages');
  const progress = useIndexProgress();
  const bulk = useBulk();

  const [activeId, setActiveId] = useState<string | null>(selectedId);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [connected, setConnected] = useState(true);
  const [message, setMessage] = useState<string | null>(null);
  const [demoBusy, setDemoBusy] = useState(false);
  const searchBox = useRef<SearchBoxHandle>(null);
  const listRef = useRef<ThreadListHandle>(null);
  const resultsRef = useRef<SearchResultsHandle>(null);

  // A new query starts with nothing selected.
  const [selectionKey, setSelectionKey] = useState(filtersKey);
  if (selectionKey !== filtersKey) {
    setSelectionKey(filtersKey);
    setSelection(EMPTY_SELECTION);
  }

  useEffect(() => onConnectionChange(setConnected), []);
  useEffect(
    () =>
      getBridge().subscribe((n) => {
        if (n.method === 'spool/message') setMessage(n.params.text);
      }),
    [],
  );

  const setFilters = useCallback(
    (next: ListFilters, replace = false) => navigate((r) => ({ ...r, filters: next }), { replace }),
    [navigate],
  );
  const onFilters = useCallback((next: ListFilters) => setFilters(next), [setFilters]);
  const openThread = useCallback((id: string) => navigate((r) => ({ ...r, threadId: id, turnId: null })), [navigate]);
  const openHit = useCallback((h: SearchHit) => navigate((r) => ({ ...r, threadId: h.threadId, turnId: h.turnId })), [navigate]);
  const toggleCollapsed = useCallback(
    (id: string) =>
      setCollapsed((c) => {
        const n = new Set(c);
        if (!n.delete(id)) n.add(id);
        return n;
      }),
    [],
  );
  const total = facets && !(f.scope === 'titles' && f.q.trim() !== '') ? facets.total : null;

  // `/` or Ctrl/Cmd+K: search. Esc outside a field: clear the selection, then the search.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if ((e.key === '/' && !isTyping(e.target)) || ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k')) {
        e.preventDefault();
        searchBox.current?.focus();
      } else if (e.key === 'Escape' && !isTyping(e.target) && !e.defaultPrevented) {
        if (!isEmpty(selection, total)) setSelection(EMPTY_SELECTION);
        else if (f.q !== '') setFilters({ ...f, q: '' }, true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selection, total, f, setFilters]);

  const runBulk = (action: BulkAction): void => {
    const target = selection.kind === 'ids' ? { threadIds: [...selection.ids] } : { filter: params, excludeIds: [...selection.excluded] };
    setSelection(EMPTY_SELECTION);
    void bulk.start(action, target);
  };

  const openDemo = useCallback((): void => {
    setDemoBusy(true);
    getBridge()
      .request('host/openDemoHome')
      .catch((e: unknown) => setMessage(e instanceof Error ? e.message : String(e)))
      .finally(() => setDemoBusy(false));
  }, []);
  const selectAllMatching = useCallback(() => setSelection(selectAll()), []);
  // The list pane re-renders only when what it shows changes (not on every keystroke of a message search).
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the key stands for the filters
  const listFilters = useMemo(() => f, [filtersKey]);

  const indexing = isIndexing(progress);
  const titleSearch = f.scope === 'titles' ? f.q.trim() : '';
  const count = selectedCount(selection, total);

  let body: React.ReactNode;
  if (messagesMode) {
    if (search.status === 'error' && search.hits.length === 0)
      body = <EmptyState tone="error" title="The search failed" hint={search.error} testId="search-error" />;
    else if (search.hits.length === 0 && search.status !== 'ready') body = <SkeletonRows count={8} />;
    else if (search.hits.length === 0)
      body = (
        <EmptyState
          title={`No message mentions “${f.q.trim()}”`}
          hint={
            activeFilterCount(f) > 0 || f.archived
              ? 'The filters above apply to the search too.'
              : 'Try fewer or shorter words; the last word also matches as a prefix.'
          }
          {...(activeFilterCount(f) > 0 ? { action: { label: 'Clear filters', onClick: () => setFilters(clearFilters(f)) } } : {})}
          testId="search-empty"
        />
      );
    else body = <SearchResults ref={resultsRef} search={search} openedTurn={route.turnId} onOpen={openHit} />;
  } else {
    body = null;
  }

  const countLabel = messagesMode
    ? search.status === 'ready'
      ? `${formatCount(search.hits.length)}${search.hasMore ? '+' : ''} messages${search.ranking === 'windowed' ? ' · newest matches ranked first' : ''}`
      : 'Searching…'
    : total !== null
      ? `${formatCount(total)} ${total === 1 ? 'thread' : 'threads'}`
      : titleSearch !== ''
        ? `${formatCount(pane.rows)}${pane.atEnd ? '' : '+'} matching`
        : '';

  return (
    <div className="app">
      <header className="topbar">
        <h1 className="brand">
          <svg viewBox="0 0 20 20" aria-hidden="true">
            <circle cx="10" cy="10" r="7.5" fill="none" stroke="currentColor" strokeWidth="1.8" />
            <circle cx="10" cy="10" r="3" fill="currentColor" />
          </svg>
          Spool
        </h1>
        <SearchBox
          ref={searchBox}
          value={f.q}
          scope={f.scope}
          status={messagesMode && search.status === 'ready' && search.ms !== null ? `${Math.round(search.ms)} ms` : null}
          onChange={(q) => setFilters({ ...f, q }, true)}
          onScope={(scope) => setFilters({ ...f, scope })}
          onLeave={() => (messagesMode ? resultsRef.current?.focus() : listRef.current?.focus())}
        />
        <div className="spacer" />
        <span className="count" data-testid="thread-count">
          {countLabel}
        </span>
        {!connected ? <span className="badge warn">Reconnecting…</span> : null}
      </header>
      <IndexProgress progress={progress} />
      {message ? (
        <div className="banner" role="status">
          {message}
          <button type="button" onClick={() => setMessage(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ) : null}
      <main className="panes">
        <section className="list-pane" aria-label="Thread list">
          <FilterBar filters={f} facets={facets} onChange={(next) => setFilters(next)} />
          {!isEmpty(selection, total) && !messagesMode ? (
            <SelectionBar
              count={count}
              allMatching={selection.kind === 'all'}
              total={total}
              archived={f.archived}
              onAction={runBulk}
              onSelectAll={() => setSelection(selectAll())}
              onClear={() => setSelection(EMPTY_SELECTION)}
            />
          ) : null}
          <BulkStatus bulk={bulk} />
          {body}
          {/* Kept mounted while searching messages: back to the list, it is where it was. */}
          <div className="threads-body" hidden={messagesMode}>
            <ThreadsPane
              ref={listRef}
              params={params}
              filters={listFilters}
              grouping={grouping}
              indexing={indexing}
              activeId={activeId}
              onActive={setActiveId}
              openedId={selectedId}
              onOpen={openThread}
              selection={selection}
              onSelection={setSelection}
              collapsed={collapsed}
              onToggleCollapsed={toggleCollapsed}
              onSelectAll={selectAllMatching}
              onFilters={onFilters}
              onStatus={onPaneStatus}
              onOpenDemo={openDemo}
              demoBusy={demoBusy}
            />
          </div>
        </section>
        <TreePane selectedId={selectedId} onSelect={openThread} />
        <section className="detail-pane" aria-label="Thread details">
          {selectedId ? (
            <ThreadView threadId={selectedId} turnId={route.turnId} onOpenThread={openThread} />
          ) : (
            <div className="detail-empty">
              <p>Select a thread to see it here.</p>
              <p className="keys">
                <kbd>↑</kbd> <kbd>↓</kbd> move · <kbd>Enter</kbd> open · <kbd>Space</kbd> select · <kbd>/</kbd> search · <kbd>Esc</kbd>{' '}
                clear
              </p>
            </div>
          )}
        </section>
      </main>
    </div>
  );
}
