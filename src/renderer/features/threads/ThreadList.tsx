// The virtualised thread list over a ThreadWindow: stable keys (thread ids), fixed-height rows,
// pages fetched as either end comes near, far rows dropped, sub-agents under their parents, and
// the scroll position anchored to the rows in view whenever rows arrive or leave above them.
// Keyboard: ↑ ↓ PageUp PageDown Home End move, Enter opens, Space selects, Shift extends.
import { forwardRef, useCallback, useEffect, useImperativeHandle, useMemo, useRef } from 'react';
import { useVirtualizer, type Range, type Virtualizer } from '@tanstack/react-virtual';
import type { Thread } from '../../../shared/protocol/index.ts';
import type { ThreadWindowApi } from './useThreadWindow.ts';
import { useSubAgents, type Family } from './useSubAgents.ts';
import { nearestFirst } from './nearest.ts';
import { extendTo, isSelected, toggle, type Selection } from './selection.ts';
import { ThreadRow } from './ThreadRow.tsx';
import { RowsAround } from '../../lib/rows-ahead.ts';

export const ROW_HEIGHT = 60;
/** Load the next page when the view is this many rows from an end of the window (about two screens ahead). */
const EDGE = 120;
/** Rows rendered beyond the viewport: on either side at rest, and ahead of a scroll (see RowsAround). */
const OVERSCAN = { rest: 3, ahead: 6 };

export interface FlatRow {
  key: string;
  thread: Thread;
  depth: number;
  /** Index of the top-level row (in the window) this row belongs to. */
  rowIndex: number;
  /** For the last member of a family with more descendants than shown. */
  moreAfter: boolean;
}

/** The window's rows with each expanded parent's family under it. */
export function flatten(
  rows: readonly Thread[],
  families: ReadonlyMap<string, Family>,
  collapsed: ReadonlySet<string>,
  grouping: boolean,
): FlatRow[] {
  const out: FlatRow[] = [];
  rows.forEach((t, i) => {
    out.push({ key: t.id, thread: t, depth: 0, rowIndex: i, moreAfter: false });
    if (!grouping || collapsed.has(t.id)) return;
    const fam = families.get(t.id);
    if (!fam) return;
    fam.members.forEach((m, k) =>
      out.push({
        key: `${t.id}/${m.thread.id}`,
        thread: m.thread,
        depth: m.depth,
        rowIndex: i,
        moreAfter: fam.more && k === fam.members.length - 1,
      }),
    );
  });
  return out;
}

export interface ThreadListHandle {
  focus(): void;
}

interface Props {
  api: ThreadWindowApi;
  grouping: boolean;
  archived: boolean;
  activeId: string | null;
  onActive: (id: string) => void;
  openedId: string | null;
  onOpen: (id: string) => void;
  selection: Selection;
  onSelection: (s: Selection) => void;
  collapsed: ReadonlySet<string>;
  onToggleCollapsed: (id: string) => void;
  /** Ctrl/Cmd+A: every thread the filter matches. */
  onSelectAll: () => void;
}

export const ThreadList = forwardRef<ThreadListHandle, Props>(function ThreadList(props, ref) {
  const {
    api,
    grouping,
    archived,
    activeId,
    onActive,
    openedId,
    onOpen,
    selection,
    onSelection,
    collapsed,
    onToggleCollapsed,
    onSelectAll,
  } = props;
  const { win, state } = api;
  const parentRef = useRef<HTMLDivElement>(null);
  const sub = useSubAgents(grouping, archived, state.rows);
  const { families, want } = sub;
  const flat = useMemo(() => flatten(state.rows, families, collapsed, grouping), [state.rows, families, collapsed, grouping]);
  const indexOf = useMemo(() => {
    const m = new Map<string, number>();
    flat.forEach((r, i) => {
      if (!m.has(r.thread.id)) m.set(r.thread.id, i);
    });
    return m;
  }, [flat]);
  // At the very top of the list, arriving threads show up on top; anywhere else — including the top
  // of a window that is still loading the rows above it — the rows in view stay put.
  const pinnedTop = useRef(true);
  const wasAtStart = useRef(state.atStart);
  useEffect(() => {
    wasAtStart.current = state.atStart;
  }, [state.atStart]);
  const self = useRef<Virtualizer<HTMLDivElement, Element> | null>(null);
  const around = useMemo(() => new RowsAround(OVERSCAN), []);
  // Stable while the rows are: a new function would make the virtualizer remeasure every row on
  // every render (it memoises its measurements on this function).
  const getItemKey = useCallback((i: number) => flat[i]?.key ?? i, [flat]);
  // A new extractor when scrolling starts or stops: the virtualizer keeps its range until the
  // extractor or the indexes change, and the rows ahead come back when a scroll ends.
  const scrolling = self.current?.isScrolling === true;
  const rangeExtractor = useCallback(
    (range: Range) => around.indexes(range, scrolling ? (self.current?.scrollDirection ?? null) : null),
    [around, scrolling],
  );
  const virtualizer = useVirtualizer({
    count: flat.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN.ahead,
    rangeExtractor,
    getItemKey,
    anchorTo: pinnedTop.current && wasAtStart.current && state.atStart ? 'start' : 'end',
  });
  self.current = virtualizer;
  useImperativeHandle(ref, () => ({ focus: () => parentRef.current?.focus() }), []);

  const items = virtualizer.getVirtualItems();
  const scrollTop = virtualizer.scrollOffset ?? 0;
  const viewHeight = virtualizer.scrollRect?.height ?? 0;
  const firstVisible = Math.max(0, Math.min(flat.length - 1, Math.floor(scrollTop / ROW_HEIGHT)));
  const lastVisible = Math.max(firstVisible, Math.min(flat.length - 1, Math.ceil((scrollTop + viewHeight) / ROW_HEIGHT) - 1));
  const firstItem = items[0]?.index ?? 0;
  const lastItem = items[items.length - 1]?.index ?? 0;

  // Pages at either end, far rows dropped, the families of the window's parents.
  useEffect(() => {
    if (state.status !== 'ready') return;
    if (!state.atEnd && lastItem >= flat.length - EDGE) void win.loadAfter();
    if (!state.atStart && firstItem <= EDGE) void win.loadBefore();
    const a = flat[firstVisible];
    const b = flat[Math.max(firstVisible, lastVisible)];
    if (a && b) win.trim(a.rowIndex, b.rowIndex);
    // Every family of the window, nearest the viewport first: fetched while its parent is still a
    // page or two away, so the group is in place before the parent scrolls into view (a group
    // arriving under a parent on screen would push the rows below it out of view).
    if (grouping && a && b) want(nearestFirst(state.rows.length, a.rowIndex, b.rowIndex).map((i) => state.rows[i]!));
  }, [firstItem, lastItem, firstVisible, lastVisible, flat, state.status, state.atEnd, state.atStart, state.rows, win, grouping, want]);

  const onScroll = useCallback(() => {
    const el = parentRef.current;
    if (el) pinnedTop.current = el.scrollTop < 1;
  }, []);

  const ordered = useMemo(() => flat.map((r) => r.thread.id), [flat]);
  const moveTo = useCallback(
    (index: number, extend: boolean) => {
      const r = flat[Math.max(0, Math.min(flat.length - 1, index))];
      if (!r) return;
      onActive(r.thread.id);
      if (extend) onSelection(extendTo(selection.anchor ? selection : { ...selection, anchor: activeId }, ordered, r.thread.id));
      virtualizer.scrollToIndex(flat.indexOf(r), { align: 'auto' });
    },
    [flat, onActive, onSelection, selection, activeId, ordered, virtualizer],
  );

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    const at = activeId !== null ? (indexOf.get(activeId) ?? -1) : -1;
    const page = Math.max(1, Math.floor((parentRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const mod = e.ctrlKey || e.metaKey;
    switch (e.key) {
      case 'ArrowDown':
        moveTo(at < 0 ? firstVisible : at + 1, e.shiftKey);
        break;
      case 'ArrowUp':
        moveTo(at < 0 ? firstVisible : at - 1, e.shiftKey);
        break;
      case 'PageDown':
        moveTo((at < 0 ? firstVisible : at) + page, e.shiftKey);
        break;
      case 'PageUp':
        moveTo((at < 0 ? firstVisible : at) - page, e.shiftKey);
        break;
      case 'Home':
        if (state.atStart) moveTo(0, false);
        else {
          pinnedTop.current = true;
          void win.jumpToStart().then(() => {
            parentRef.current?.scrollTo({ top: 0 });
            const first = win.getState().rows[0];
            if (first) onActive(first.id);
          });
        }
        break;
      case 'End':
        if (state.atEnd) moveTo(flat.length - 1, false);
        else {
          void win.jumpToEnd().then(() => {
            requestAnimationFrame(() => parentRef.current?.scrollTo({ top: parentRef.current.scrollHeight }));
            const rows = win.getState().rows;
            const last = rows[rows.length - 1];
            if (last) onActive(last.id);
          });
        }
        break;
      case 'Enter':
        if (activeId !== null) onOpen(activeId);
        break;
      case ' ':
        if (activeId !== null) onSelection(toggle(selection, activeId));
        break;
      case 'a':
        if (!mod) return;
        onSelectAll();
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const onRowClick = useCallback(
    (e: React.MouseEvent, id: string): void => {
      if (e.shiftKey) onSelection(extendTo(selection.anchor ? selection : { ...selection, anchor: activeId }, ordered, id));
      else if (e.ctrlKey || e.metaKey) onSelection(toggle(selection, id));
      else onOpen(id);
      onActive(id);
    },
    [onSelection, selection, activeId, ordered, onOpen, onActive],
  );
  const onCheck = useCallback((id: string) => onSelection(toggle(selection, id)), [onSelection, selection]);

  return (
    <div
      ref={parentRef}
      className="thread-list"
      role="listbox"
      aria-label="Threads"
      aria-multiselectable="true"
      aria-activedescendant={activeId !== null && indexOf.has(activeId) ? `thread-option-${activeId}` : undefined}
      tabIndex={0}
      data-testid="thread-list"
      data-at-start={state.atStart}
      data-at-end={state.atEnd}
      data-rows={state.rows.length}
      onKeyDown={onKeyDown}
      onScroll={onScroll}
      onFocus={() => {
        if (activeId === null || !indexOf.has(activeId)) {
          const r = flat[firstVisible];
          if (r) onActive(r.thread.id);
        }
      }}
    >
      {state.loadingBefore ? <div className="list-edge top">Loading newer threads…</div> : null}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {items.map((vi) => {
          const r = flat[vi.index]!;
          const id = r.thread.id;
          return (
            <ThreadRow
              key={vi.key}
              thread={r.thread}
              depth={r.depth}
              moreAfter={r.moreAfter}
              top={vi.start}
              height={ROW_HEIGHT}
              active={id === activeId}
              opened={id === openedId}
              selected={isSelected(selection, id)}
              selecting={selection.kind === 'all' || selection.ids.size > 0}
              collapsed={collapsed.has(id)}
              grouping={grouping}
              onClick={onRowClick}
              onCheck={onCheck}
              onToggle={onToggleCollapsed}
            />
          );
        })}
      </div>
      {state.loadingAfter ? <div className="list-edge bottom">Loading more threads…</div> : null}
    </div>
  );
});
