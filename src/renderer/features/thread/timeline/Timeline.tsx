// The turn timeline: a virtualised list of the window's turns (only what is on screen is in the
// DOM), anchored to the end like a conversation. It opens at the newest turn; scrolling near the top
// loads older pages and scrolling near the bottom newer ones, keeping what is on screen in place as
// rows arrive or are dropped above it (the virtualiser anchors on the first visible turn); at the
// live end it follows new turns while the reader is at the bottom.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Turn } from '../../../../shared/protocol/index.ts';
import type { TurnWindowHandle } from './useTurnWindow.ts';
import { daySeparator, TurnView } from './TurnView.tsx';
import { arr, obj, str } from '../format.ts';

/** Turns from an edge of the window at which the next page is asked for. */
const EDGE_ROWS = 3;

const estimates = new WeakMap<Turn, number>();

/** A rough height for a turn not yet measured (the closer, the less the scrollbar moves). */
function estimateTurn(t: Turn): number {
  const cached = estimates.get(t);
  if (cached !== undefined) return cached;
  let h = 48;
  for (const it of t.items) {
    switch (it.type) {
      case 'userMessage':
      case 'agentMessage': {
        const text =
          it.type === 'agentMessage'
            ? (str(it['text']) ?? '')
            : arr(it['content'])
                .map((c) => str(obj(c)?.['text']) ?? '')
                .join('\n');
        const lines = text.split('\n').length;
        h += 24 + Math.ceil(text.length / 95) * 21 + lines * 6;
        break;
      }
      case 'commandExecution': {
        const out = str(it['aggregatedOutput']) ?? '';
        h += 64 + Math.min(13, out.split('\n').length) * 17;
        break;
      }
      case 'fileChange':
        h +=
          50 + arr(it['changes']).reduce<number>((n, c) => n + 40 + Math.min(60, (str(obj(c)?.['diff']) ?? '').split('\n').length) * 18, 0);
        break;
      default:
        h += 40;
    }
  }
  h = Math.min(h, 4000);
  estimates.set(t, h);
  return h;
}

interface Props {
  handle: TurnWindowHandle;
}

export function Timeline({ handle }: Props): React.JSX.Element {
  const { window: w, state, focus } = handle;
  const entries = state.entries;
  const parentRef = useRef<HTMLDivElement>(null);
  const getItemKey = useCallback((i: number) => entries[i]?.key ?? i, [entries]);
  const estimateSize = useCallback((i: number) => (entries[i] ? estimateTurn(entries[i].turn) : 200), [entries]);
  // Turns appended while the window held the live end are new turns: the view follows them. A page
  // appended below a reader scrolling down is not: following it would jump over the whole page
  // (and mount a screenful of turns in one go).
  const wasAtEnd = useRef(state.atEnd);
  useEffect(() => {
    wasAtEnd.current = state.atEnd;
  }, [state.atEnd]);
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => parentRef.current,
    estimateSize,
    getItemKey,
    overscan: 2,
    // Room for the footer overlay (live status, errors), which never resizes the scroll area.
    paddingEnd: 36,
    anchorTo: 'end',
    followOnAppend: wasAtEnd.current && state.atEnd,
    scrollEndThreshold: 48,
    // Positions and the total height are written to the DOM by the virtualiser: React renders only
    // when the range of turns on screen changes, not on every scroll event.
    directDomUpdates: true,
    // The first render is already at the end (where the view opens), not at the top.
    initialOffset: () => (state.openedAt ? 0 : entries.reduce((n, e) => n + estimateTurn(e.turn), 0)),
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? -1;
  const last = items[items.length - 1]?.index ?? -1;

  // Open at the newest turn, or at the deep-linked one; again whenever the window reopens.
  const placed = useRef(-1);
  useLayoutEffect(() => {
    if (placed.current === state.opens || state.status !== 'ready' || entries.length === 0) return;
    placed.current = state.opens;
    const idx = state.openedAt ? entries.findIndex((e) => e.turn.id === state.openedAt) : -1;
    if (idx >= 0) virtualizer.scrollToIndex(idx, { align: 'start' });
    else {
      // At the bottom in this very frame (the virtualiser settles its measurements afterwards, staying at the end).
      const el = parentRef.current;
      if (el) el.scrollTop = el.scrollHeight;
      virtualizer.scrollToEnd();
    }
  }, [state.status, state.opens, state.openedAt, entries, virtualizer]);

  // The virtualiser remembers a size per key: forget the turns the window dropped (memory stays bounded).
  useEffect(() => {
    const sizes = virtualizer.itemSizeCache;
    if (sizes.size <= entries.length * 2 + 50) return;
    const held = new Set<unknown>(entries.map((e) => e.key));
    for (const k of [...sizes.keys()]) if (!held.has(k)) sizes.delete(k);
  }, [entries, virtualizer]);

  // Pages at the edges, and the viewport the window trims around.
  useEffect(() => {
    if (state.status !== 'ready' || first < 0 || placed.current !== state.opens) return;
    w.setViewport(first, last);
    if (first <= EDGE_ROWS && !state.atStart && !state.loadingOlder) void w.loadOlder();
    if (last >= entries.length - 1 - EDGE_ROWS && !state.atEnd && !state.loadingNewer) void w.loadNewer();
  }, [w, first, last, entries.length, state.status, state.opens, state.atStart, state.atEnd, state.loadingOlder, state.loadingNewer]);

  // The deep-linked turn is highlighted for a moment.
  const [flash, setFlash] = useState<string | null>(null);
  useEffect(() => {
    if (!focus) return;
    setFlash(focus);
    const id = setTimeout(() => setFlash(null), 2500);
    return () => clearTimeout(id);
  }, [focus]);

  // New turns arriving while the reader is scrolled up: a pill to jump to them.
  const newestKey = entries[entries.length - 1]?.key ?? null;
  const [seenKey, setSeenKey] = useState<number | null>(null);
  const atBottom = state.atEnd && last >= entries.length - 1 && virtualizer.isAtEnd(48);
  useEffect(() => {
    if (atBottom && newestKey !== seenKey) setSeenKey(newestKey);
  }, [atBottom, newestKey, seenKey]);
  const unseen = state.atEnd && seenKey !== null && newestKey !== null && newestKey > seenKey && !atBottom;

  const running = state.atEnd && entries[entries.length - 1]?.turn.status === 'inProgress';

  return (
    <div className="timeline-wrap">
      <div
        ref={parentRef}
        className="timeline"
        role="feed"
        aria-label="Turns"
        aria-busy={state.loadingOlder || state.loadingNewer}
        data-testid="timeline"
        data-opened-at={state.openedAt ?? undefined}
        data-at-start={state.atStart}
        data-at-end={state.atEnd}
        data-held={entries.length}
        data-loading={state.loadingOlder || state.loadingNewer}
        tabIndex={-1}
      >
        <div className="timeline-inner" ref={virtualizer.containerRef}>
          {items.map((vi) => {
            const e = entries[vi.index]!;
            const prev = entries[vi.index - 1]?.turn;
            return (
              <div key={vi.key} ref={virtualizer.measureElement} data-index={vi.index} className="timeline-row">
                {vi.index === 0 && state.atStart ? (
                  <div className="thread-start" data-testid="thread-start">
                    Beginning of the thread
                  </div>
                ) : null}
                <TurnView turn={e.turn} day={daySeparator(e.turn, prev, state.atStart)} focused={flash === e.turn.id} />
              </div>
            );
          })}
        </div>
      </div>
      {state.loadingOlder ? (
        <div className="timeline-toast top" role="status" data-testid="loading-older">
          Loading older turns…
        </div>
      ) : null}
      {unseen ? (
        <button
          type="button"
          className="timeline-toast bottom pill"
          onClick={() => virtualizer.scrollToEnd({ behavior: 'smooth' })}
          data-testid="new-turns"
        >
          ↓ New turns
        </button>
      ) : null}
      <footer className="timeline-foot" data-testid="timeline-foot">
        {state.error ? (
          <span className="error" role="alert">
            {state.error}{' '}
            <button type="button" className="link" onClick={() => void (state.atEnd ? w.loadNewer() : w.loadOlder())}>
              Retry
            </button>
          </span>
        ) : running ? (
          <span className="live" data-testid="live">
            <span className="status-dot running" /> Codex is working on this thread
          </span>
        ) : state.loadingNewer && !state.atEnd ? (
          <span>Loading newer turns…</span>
        ) : !state.atEnd ? (
          <button type="button" className="link" onClick={() => void w.open()}>
            Jump to the newest turn
          </button>
        ) : null}
      </footer>
    </div>
  );
}
