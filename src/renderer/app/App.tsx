// The app shell: the top bar with search, the indexing bar, the list pane (filters, selection,
// the thread list or the message search results) and the detail pane. What a reload should keep
// (open thread and turn, sort, filters, search) lives in the URL; see route.ts.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getBridge, onConnectionChange } from '../bridge/index.ts';
import { ThreadList, type ThreadListHandle } from '../features/threads/ThreadList.tsx';
import { useThreadWindow } from '../features/threads/useThreadWindow.ts';
import { EMPTY_SELECTION, isEmpty, selectAll, selectedCount, type Selection } from '../features/threads/selection.ts';
import { ThreadDetail } from '../features/detail/ThreadDetail.tsx';
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

const isTyping = (t: EventTarget | null): boolean => t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));

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

  const list = useThreadWindow(params);
  const { facets } = useFacets(facetQuery, list.state.status !== 'loading');
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

  const setFilters = useCallback((next: ListFilters, replace = false) => navigate((r) => ({ ...r, filters: next }), { replace }), [navigate]);
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

  const openDemo = (): void => {
    setDemoBusy(true);
    getBridge()
      .request('host/openDemoHome')
      .catch((e: unknown) => setMessage(e instanceof Error ? e.message : String(e)))
      .finally(() => setDemoBusy(false));
  };

  const state = list.state;
  const indexing = isIndexing(progress);
  const titleSearch = f.scope === 'titles' ? f.q.trim() : '';
  const count = selectedCount(selection, total);

  let body: React.ReactNode;
  if (messagesMode) {
    if (search.status === 'error' && search.hits.length === 0) body = <EmptyState tone="error" title="The search failed" hint={search.error} testId="search-error" />;
    else if (search.hits.length === 0 && search.status !== 'ready') body = <SkeletonRows count={8} />;
    else if (search.hits.length === 0)
      body = (
        <EmptyState
          title={`No message mentions “${f.q.trim()}”`}
          hint={activeFilterCount(f) > 0 || f.archived ? 'The filters above apply to the search too.' : 'Try fewer or shorter words; the last word also matches as a prefix.'}
          {...(activeFilterCount(f) > 0 ? { action: { label: 'Clear filters', onClick: () => setFilters(clearFilters(f)) } } : {})}
          testId="search-empty"
        />
      );
    else body = <SearchResults ref={resultsRef} search={search} openedTurn={route.turnId} onOpen={openHit} />;
  } else if (state.status === 'loading' || (state.status === 'ready' && state.rows.length === 0 && !state.atEnd)) {
    body = <SkeletonRows />;
  } else if (state.status === 'error' && state.rows.length === 0) {
    body = <EmptyState tone="error" title="Spool could not load the threads" hint={state.error} action={{ label: 'Try again', onClick: () => void list.win.start(), testId: 'retry' }} />;
  } else if (state.rows.length === 0) {
    if (titleSearch !== '')
      body = (
        <EmptyState
          title={`No thread title contains “${titleSearch}”`}
          hint="Title search matches names and first prompts exactly, case included."
          action={{ label: 'Search all messages instead', onClick: () => setFilters({ ...f, scope: 'messages' }), testId: 'search-messages-instead' }}
        />
      );
    else if (activeFilterCount(f) > 0) body = <EmptyState title="No threads match these filters" action={{ label: 'Clear filters', onClick: () => setFilters(clearFilters(f)), testId: 'empty-clear-filters' }} />;
    else if (f.archived) body = <EmptyState title="Nothing is archived" hint="Threads you archive (here or with codex archive) are listed here." />;
    else if (indexing) body = <EmptyState title="Indexing your Codex home…" hint="Threads appear here as soon as they are indexed." testId="indexing-state" />;
    else
      body = (
        <EmptyState
          title="No threads in this Codex home yet"
          hint="Run codex once, or open a generated demo home to look around."
          action={{ label: demoBusy ? 'Writing demo home…' : 'Open demo home', onClick: openDemo, busy: demoBusy, testId: 'open-demo' }}
        />
      );
  } else {
    body = (
      <ThreadList
        ref={listRef}
        api={list}
        grouping={grouping}
        archived={f.archived}
        activeId={activeId}
        onActive={setActiveId}
        openedId={selectedId}
        onOpen={openThread}
        selection={selection}
        onSelection={setSelection}
        collapsed={collapsed}
        onToggleCollapsed={toggleCollapsed}
        onSelectAll={() => setSelection(selectAll())}
      />
    );
  }

  const countLabel = messagesMode
    ? search.status === 'ready'
      ? `${formatCount(search.hits.length)}${search.hasMore ? '+' : ''} messages${search.ranking === 'windowed' ? ' · newest matches ranked first' : ''}`
      : 'Searching…'
    : total !== null
      ? `${formatCount(total)} ${total === 1 ? 'thread' : 'threads'}`
      : titleSearch !== ''
        ? `${formatCount(state.rows.length)}${state.atEnd ? '' : '+'} matching`
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
            <SelectionBar count={count} allMatching={selection.kind === 'all'} total={total} archived={f.archived} onAction={runBulk} onSelectAll={() => setSelection(selectAll())} onClear={() => setSelection(EMPTY_SELECTION)} />
          ) : null}
          <BulkStatus bulk={bulk} />
          {body}
          {state.status === 'ready' && state.error && state.rows.length > 0 && !messagesMode ? (
            <div className="inline-error" role="alert">
              Could not load more threads: {state.error}
              <button type="button" className="link" onClick={() => void list.win.catchUp({ membership: true })}>
                Retry
              </button>
            </div>
          ) : null}
        </section>
        <section className="detail-pane" aria-label="Thread details">
          {selectedId ? (
            <ThreadDetail threadId={selectedId} turnId={route.turnId} />
          ) : (
            <div className="detail-empty">
              <p>Select a thread to see it here.</p>
              <p className="keys">
                <kbd>↑</kbd> <kbd>↓</kbd> move · <kbd>Enter</kbd> open · <kbd>Space</kbd> select · <kbd>/</kbd> search · <kbd>Esc</kbd> clear
              </p>
            </div>
          )}
        </section>
      </main>
    </div>
  );
}
