// The thread list's data layer: one window over thread/list for one (sort, filters) query.
//
// The window holds a contiguous run of the list's rows — never the whole list. It opens with a
// first page at the top (or at the end), grows a page at a time in either direction as the view
// scrolls, and drops rows far from the viewport so memory stays flat however far one scrolls.
// When the index changes it catches up without reloading: from the top with codex's backwards
// cursor in the opposite direction (new and bumped threads), and, when rows inside the window
// changed or threads moved between collections, by listing the window's own range again; both are
// merged by id and re-sorted, and the window keeps its place.
//
// Pure TypeScript: it gets a `list` function (thread/list over the bridge, or an engine in tests)
// and reports state to subscribers; the list component renders it and keeps scroll and selection.
import type { ThreadListParams, ThreadListResult, Thread } from '../../../shared/protocol/index.ts';
import type { EarlyAnswer } from '../../../shared/bridge.ts';
import { FIRST_PAGE, windowBase, type WindowQuery } from './first-page.ts';
import { backwardsCursor, cursorAfter, cursorBefore, opposite, type ListOrder } from './order.ts';
import { listRange, type CatchUpRequest, type CatchUpResult } from './window-catch-up.ts';
import { mergeRows, reuseUnchanged, trimBounds, type WindowRange } from './window-rows.ts';

export type ListFn = (params: ThreadListParams) => Promise<ThreadListResult>;

export interface WindowOptions {
  /** Rows of the first page (painted at once). */
  firstPage?: number;
  /** Rows per further page (thread/list serves at most 100). */
  page?: number;
  /** Rows kept at most; beyond that, rows far from the viewport are dropped. */
  maxRows?: number;
  /** New rows a catch-up from the top merges at most; more than that and the window starts over. */
  maxCatchUp?: number;
  /** The first page, asked for already (the boot's prefetch of firstPageRequest): open() takes it instead of asking. */
  first?: EarlyAnswer<ThreadListResult>;
}

export interface WindowState {
  readonly rows: readonly Thread[];
  /** The first row is the first of the list (nothing above it). */
  readonly atStart: boolean;
  /** The last row is the last of the list. */
  readonly atEnd: boolean;
  readonly status: 'loading' | 'ready' | 'error';
  readonly error: string | null;
  readonly loadingBefore: boolean;
  readonly loadingAfter: boolean;
  /** Bumped on every change, for renderers that compare versions. */
  readonly version: number;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class ThreadWindow {
  readonly order: ListOrder;
  private readonly list: ListFn;
  private readonly base: WindowQuery;
  private readonly firstPage: number;
  private readonly page: number;
  private readonly maxRows: number;
  private readonly maxCatchUp: number;
  private state: WindowState = {
    rows: [],
    atStart: true,
    atEnd: false,
    status: 'loading',
    error: null,
    loadingBefore: false,
    loadingAfter: false,
    version: 0,
  };
  private readonly listeners = new Set<() => void>();
  /** Every operation that reads and replaces rows runs here, one at a time. */
  private chain: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private queuedCatchUp: { changed: Set<string>; removed: Set<string>; membership: boolean; done: Promise<CatchUpResult | null> } | null =
    null;
  private first: EarlyAnswer<ThreadListResult> | undefined;
  private bornReady = false;

  constructor(list: ListFn, params: ThreadListParams, opts: WindowOptions = {}) {
    this.list = list;
    this.base = windowBase(params);
    this.order = { sortKey: this.base.sortKey, direction: this.base.sortDirection };
    this.firstPage = opts.firstPage ?? FIRST_PAGE;
    this.page = opts.page ?? 100;
    this.maxRows = opts.maxRows ?? 500;
    this.maxCatchUp = opts.maxCatchUp ?? 1000;
    this.first = opts.first;
    // Already here: the window is born with its first page, so the first render shows rows.
    if (this.first?.ready) {
      this.state = { ...this.state, ...this.firstPageState(this.first.ready), version: 1 };
      this.first = undefined;
      this.bornReady = true;
    }
  }

  getState = (): WindowState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Stops the window: answers still in flight are dropped. (start() revives it, as React's StrictMode re-runs effects.) */
  dispose(): void {
    this.disposed = true;
  }

  private set(patch: Partial<Omit<WindowState, 'version'>>): void {
    if (this.disposed) return;
    this.state = { ...this.state, ...patch, version: this.state.version + 1 };
    for (const l of this.listeners) l();
  }

  private run<T>(op: () => Promise<T>): Promise<T> {
    const p = this.chain.then(() => (this.disposed ? (undefined as T) : op()));
    this.chain = p.catch(() => undefined);
    return p;
  }

  private fetch(direction: 'forward' | 'backward', cursor: string | null, limit: number): Promise<ThreadListResult> {
    const sortDirection = direction === 'forward' ? this.order.direction : opposite(this.order.direction);
    return this.list({ ...this.base, sortDirection, limit, ...(cursor !== null ? { cursor } : {}) });
  }

  private firstPageState(r: ThreadListResult): Omit<WindowState, 'version'> {
    return {
      rows: r.data,
      atStart: true,
      atEnd: r.nextCursor === null,
      status: 'ready',
      error: null,
      loadingBefore: false,
      loadingAfter: false,
    };
  }

  /**
   * Opens the window: its first page from the prefetched answer if it was given one, else from
   * the engine. True when the page is the prefetched one: it may predate changes announced before
   * the caller subscribed, so the caller should catch up once it listens.
   */
  open(): boolean {
    if (this.bornReady) {
      this.bornReady = false;
      this.disposed = false;
      return true;
    }
    const first = this.first;
    if (!first) {
      void this.start();
      return false;
    }
    this.first = undefined;
    this.disposed = false;
    void this.run(async () => {
      try {
        this.set(this.firstPageState(await first.answer));
      } catch {
        // The early answer failed (a dropped line, an error): ask again, as a plain start would.
        await this.loadFirstPage();
      }
    });
    return true;
  }

  /** Loads the first page at the top of the list (also: retry after an error, Home). */
  start(): Promise<void> {
    this.disposed = false;
    return this.run(() => this.loadFirstPage());
  }

  private async loadFirstPage(): Promise<void> {
    if (this.state.rows.length === 0) this.set({ status: 'loading', error: null });
    try {
      this.set(this.firstPageState(await this.fetch('forward', null, this.firstPage)));
    } catch (e) {
      this.set({ status: 'error', error: message(e) });
    }
  }

  jumpToStart(): Promise<void> {
    return this.state.atStart && this.state.status === 'ready' ? Promise.resolve() : this.start();
  }

  /** Loads the last page of the list (End): the opposite direction from no cursor, reversed. */
  jumpToEnd(): Promise<void> {
    if (this.state.atEnd && this.state.status === 'ready') return Promise.resolve();
    return this.run(async () => {
      try {
        const r = await this.fetch('backward', null, this.firstPage);
        this.set({
          rows: [...r.data].reverse(),
          atStart: r.nextCursor === null,
          atEnd: true,
          status: 'ready',
          error: null,
          loadingBefore: false,
          loadingAfter: false,
        });
      } catch (e) {
        this.set({ status: 'error', error: message(e) });
      }
    });
  }

  /** The next page below the last row. */
  loadAfter(): Promise<void> {
    const s = this.state;
    if (s.status !== 'ready' || s.atEnd || s.loadingAfter) return Promise.resolve();
    this.set({ loadingAfter: true });
    return this.run(async () => {
      const rows = this.state.rows;
      const last = rows[rows.length - 1];
      if (this.state.atEnd || !last) return this.set({ loadingAfter: false });
      try {
        const r = await this.fetch('forward', cursorAfter(last, this.order), this.page);
        // The rows were trimmed at this end meanwhile: the page no longer joins them; a later load will.
        if (this.state.rows[this.state.rows.length - 1]?.id !== last.id) return this.set({ loadingAfter: false });
        const have = new Set(this.state.rows.map((t) => t.id));
        this.set({
          rows: [...this.state.rows, ...r.data.filter((t) => !have.has(t.id))],
          atEnd: r.nextCursor === null,
          loadingAfter: false,
        });
      } catch (e) {
        this.set({ loadingAfter: false, error: message(e) });
      }
    });
  }

  /** The page above the first row (after the top was dropped, or after End). */
  loadBefore(): Promise<void> {
    const s = this.state;
    if (s.status !== 'ready' || s.atStart || s.loadingBefore) return Promise.resolve();
    this.set({ loadingBefore: true });
    return this.run(async () => {
      const first = this.state.rows[0];
      if (this.state.atStart || !first) return this.set({ loadingBefore: false });
      try {
        const r = await this.fetch('backward', cursorBefore(first, this.order), this.page);
        if (this.state.rows[0]?.id !== first.id) return this.set({ loadingBefore: false });
        const have = new Set(this.state.rows.map((t) => t.id));
        const above = [...r.data].reverse().filter((t) => !have.has(t.id));
        this.set({ rows: [...above, ...this.state.rows], atStart: r.nextCursor === null, loadingBefore: false });
      } catch (e) {
        this.set({ loadingBefore: false, error: message(e) });
      }
    });
  }

  /**
   * Drops rows far outside the viewport (rows [first, last] are on screen) when the window holds
   * more than its maximum. Returns how many rows were dropped above the viewport.
   */
  trim(first: number, last: number): number {
    const s = this.state;
    if (s.rows.length <= this.maxRows) return 0;
    // Down to a page below the maximum: trimming (which shifts every row's index) happens once
    // per two pages loaded, not on every page.
    const { from, to } = trimBounds(s.rows.length, first, last, this.maxRows - this.page, this.page);
    if (from === 0 && to === s.rows.length) return 0;
    this.set({ rows: s.rows.slice(from, to), atStart: s.atStart && from === 0, atEnd: s.atEnd && to === s.rows.length });
    return from;
  }

  /**
   * Brings the window up to date after index or mutation notifications (or on regaining focus).
   * Requests arriving while one runs are merged into a single follow-up.
   */
  catchUp(req: CatchUpRequest = {}): Promise<CatchUpResult | null> {
    if (this.queuedCatchUp) {
      for (const id of req.changed ?? []) this.queuedCatchUp.changed.add(id);
      for (const id of req.removed ?? []) this.queuedCatchUp.removed.add(id);
      this.queuedCatchUp.membership ||= req.membership === true;
      return this.queuedCatchUp.done;
    }
    const q = {
      changed: new Set(req.changed ?? []),
      removed: new Set(req.removed ?? []),
      membership: req.membership === true,
      done: null as unknown as Promise<CatchUpResult | null>,
    };
    this.queuedCatchUp = q;
    q.done = this.run(async () => {
      this.queuedCatchUp = null;
      return this.doCatchUp(q.changed, q.removed, q.membership);
    });
    return q.done;
  }

  private async doCatchUp(changed: Set<string>, removed: Set<string>, membership: boolean): Promise<CatchUpResult | null> {
    const s = this.state;
    if (s.status === 'error') {
      const t0 = performance.now();
      await this.startNow();
      return { added: this.state.rows.length, updated: 0, removed: 0, requests: 1, requestMs: performance.now() - t0, restarted: true };
    }
    if (s.status !== 'ready') return null;
    const before = new Map(s.rows.map((t) => [t.id, t]));
    let rows = s.rows.filter((t) => !removed.has(t.id));
    let requests = 0;
    if (rows.length === 0) {
      const t0 = performance.now();
      await this.startNow();
      return {
        added: this.state.rows.length,
        updated: 0,
        removed: before.size,
        requests: 1,
        requestMs: performance.now() - t0,
        restarted: true,
      };
    }
    let requestMs = 0;
    const timed = async <T>(p: Promise<T>): Promise<T> => {
      const t0 = performance.now();
      try {
        return await p;
      } finally {
        requestMs += performance.now() - t0;
      }
    };
    try {
      // From the top: everything at or above the first row's millisecond, in the opposite
      // direction (codex's delta-sync recipe), merged by id.
      const fresh: Thread[] = [];
      if (s.atStart) {
        let cursor: string | null = backwardsCursor(rows[0]!, this.order);
        while (cursor !== null) {
          const r: ThreadListResult = await timed(this.fetch('backward', cursor, 100));
          requests++;
          fresh.push(...r.data);
          cursor = r.nextCursor;
          if (fresh.length > this.maxCatchUp) {
            await timed(this.startNow());
            return { added: 0, updated: 0, removed: 0, requests: requests + 1, requestMs, restarted: true };
          }
        }
      }
      const range: WindowRange = { first: s.atStart ? null : rows[0]!, last: s.atEnd ? null : rows[rows.length - 1]! };
      rows = mergeRows(rows, fresh, this.order, range);
      // A changed thread the top catch-up did not bring may sit anywhere in the window's range:
      // one of its rows that changed in place, or one indexed just now (a backfill indexes the
      // newest files first, so later threads land below the top). List the range again.
      const refreshed = new Set(fresh.map((t) => t.id));
      const stale = [...changed].some((id) => !refreshed.has(id));
      let atEnd = s.atEnd;
      if (membership || stale) {
        const cap = Math.max(rows.length, this.maxRows) + this.maxCatchUp;
        const r = await timed(listRange((cursor) => this.fetch('forward', cursor, 100), this.order, range, cap));
        rows = r.rows;
        requests += r.requests;
        atEnd = s.atEnd && r.atEnd;
      }
      // Unchanged threads keep their objects, so a renderer redraws only the rows that changed.
      const reused = reuseUnchanged(rows, before);
      rows = reused.rows;
      const { added, updated } = reused;
      const kept = new Set(rows.map((t) => t.id));
      const gone = [...before.keys()].filter((id) => !kept.has(id)).length;
      this.set({ rows, atEnd, error: null });
      return { added, updated, removed: gone, requests, requestMs, restarted: false };
    } catch (e) {
      this.set({ error: message(e) });
      return null;
    }
  }

  private async startNow(): Promise<void> {
    try {
      const r = await this.fetch('forward', null, this.firstPage);
      this.set({
        rows: r.data,
        atStart: true,
        atEnd: r.nextCursor === null,
        status: 'ready',
        error: null,
        loadingBefore: false,
        loadingAfter: false,
      });
    } catch (e) {
      this.set({ status: 'error', error: message(e) });
    }
  }
}
