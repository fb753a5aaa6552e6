// The app shell: header, thread list and detail pane.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { getBridge, onConnectionChange } from '../bridge/index.ts';
import { ThreadList } from '../features/threads/ThreadList.tsx';
import { useThreadList } from '../features/threads/useThreadList.ts';
import { ThreadView } from '../features/thread/ThreadView.tsx';
import { IndexProgress } from '../components/IndexProgress.tsx';
import { ALL_SOURCE_KINDS, type ThreadListParams } from '../../shared/protocol/index.ts';

export function App(): React.JSX.Element {
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [connected, setConnected] = useState(true);
  const [message, setMessage] = useState<string | null>(null);
  const [demoBusy, setDemoBusy] = useState(false);
  // Spool's own UI shows everything by default: every provider, every source, sub-agents too.
  const filters = useMemo<ThreadListParams>(() => ({ sortKey: 'updated_at', sortDirection: 'desc', modelProviders: [], sourceKinds: [...ALL_SOURCE_KINDS], includeEmptyPreview: true }), []);
  const list = useThreadList(filters);
  const onEnd = useCallback(() => list.loadMore(), [list]);

  useEffect(() => onConnectionChange(setConnected), []);
  useEffect(
    () =>
      getBridge().subscribe((n) => {
        if (n.method === 'spool/message') setMessage(n.params.text);
      }),
    [],
  );

  const openDemo = (): void => {
    setDemoBusy(true);
    getBridge()
      .request('host/openDemoHome')
      .catch((e: unknown) => setMessage(e instanceof Error ? e.message : String(e)))
      .finally(() => setDemoBusy(false));
  };

  return (
    <div className="app">
      <header className="topbar">
        <h1 className="brand">Spool</h1>
        <span className="count" data-testid="thread-count">
          {list.loading ? '' : `${list.threads.length.toLocaleString()}${list.hasMore ? '+' : ''} threads`}
        </span>
        <div className="spacer" />
        {!connected ? <span className="badge warn">reconnecting…</span> : null}
      </header>
      <IndexProgress />
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
          {list.error ? (
            <div className="empty error">Could not load threads: {list.error}</div>
          ) : list.loading ? (
            <div className="empty">Loading threads…</div>
          ) : list.threads.length === 0 ? (
            <div className="empty" data-testid="empty-state">
              <p>No threads in this Codex home yet.</p>
              <p className="hint">Run codex once, or open a generated demo home to look around.</p>
              <button type="button" className="primary" onClick={openDemo} disabled={demoBusy}>
                {demoBusy ? 'Writing demo home…' : 'Open demo home'}
              </button>
            </div>
          ) : (
            <ThreadList threads={list.threads} selectedId={selectedId} onSelect={setSelectedId} onEndReached={onEnd} />
          )}
        </section>
        <section className="detail-pane" aria-label="Thread details">
          {selectedId ? <ThreadView threadId={selectedId} onOpenThread={setSelectedId} /> : <div className="detail-empty">Select a thread to see its details.</div>}
        </section>
      </main>
    </div>
  );
}
