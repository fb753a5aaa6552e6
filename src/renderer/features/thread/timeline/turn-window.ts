// The thread view's data layer: a bounded window of a thread's turns (oldest first) over
// `thread/turns/list`, opened at the newest turn, extended page by page in both directions with the
// cursors codex defines, refreshed in place while codex is still writing, and trimmed far from what
// the user looks at so memory stays bounded however long the thread is. No DOM, no React: the view
// subscribes to it, and tests drive it against the real engine.
//
// Cursors (docs/FORMAT.md §4.2): a page's `nextCursor` continues in its own direction, exclusive
// of its last turn; its `backwardsCursor` turns around, inclusive of its first turn. Every page
// keeps one cursor per side ("boundary"). An inclusive boundary yields a turn the window already
// holds first (its `anchorKey`) and the held turns after it, then new ones: those are matched up
// one by one (a mismatch means the rollout was rewritten: the window starts over) and refreshed in
// place — which is how an in-progress turn is updated. Legacy turn ids can repeat; codex anchors an
// id on its first occurrence, and so does the matching.
import type { ThreadTurnsListResult, Turn } from '../../../../shared/protocol/index.ts';
import { isGone, isStaleCursor, message } from './turn-errors.ts';
import { alignNewer, alignOlder, sameEntries, sameTurn } from './turn-match.ts';
import { MAX_LIMIT, type ListTurns, type Page, type TurnEntry } from './turn-pages.ts';
import { seekTurn } from './turn-seek.ts';

export type { ListTurns, TurnEntry } from './turn-pages.ts';

export interface TurnWindowState {
  status: 'loading' | 'ready' | 'error' | 'gone';
  entries: readonly TurnEntry[];
  /** The first turn of the thread is held. */
  atStart: boolean;
  /** The newest turn is held (new turns are caught up live). */
  atEnd: boolean;
  loadingOlder: boolean;
  loadingNewer: boolean;
  error: string | null;
  /** Times the window started over because the rollout changed under it. */
  resyncs: number;
  /** Counts the times the window was (re)opened: a view places itself again each time. */
  opens: number;
  /** The turn the last opening was about (`openAt`), or null (the newest turns). */
  openedAt: string | null;
}

export interface TurnWindowOptions {
  threadId: string;
  listTurns: ListTurns;
  /** Turns per page (codex's default limit). */
  pageSize?: number;
  /** The window drops pages far from the viewport beyond this many turns. */
  maxTurns?: number;
}

export class TurnWindow {
  private readonly threadId: string;
  private readonly listTurns: ListTurns;
  private readonly pageSize: number;
  private readonly maxTurns: number;
  private pages: Page[] = [];
  private nextKey = 1;
  private firstKey = 0;
  /** Bumped when the window starts over: answers to older requests are dropped. */
  private generation = 0;
  private viewport: { first: number; last: number } | null = null;
  private state: TurnWindowState = {
    status: 'loading',
    entries: [],
    atStart: false,
    atEnd: false,
    loadingOlder: false,
    loadingNewer: false,
    error: null,
    resyncs: 0,
    opens: 0,
    openedAt: null,
  };
  private readonly listeners = new Set<() => void>();
  private olderInFlight: Promise<void> | null = null;
  private newerInFlight: Promise<void> | null = null;
  private newerAgain = false;

  constructor(o: TurnWindowOptions) {
    this.threadId = o.threadId;
    this.listTurns = o.listTurns;
    this.pageSize = o.pageSize ?? 25;
    this.maxTurns = Math.max(o.maxTurns ?? 300, this.pageSize * 3);
  }

  getState = (): TurnWindowState => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  /** Drops the answers of requests in flight (the view went away, or will open the window again). */
  cancel(): void {
    this.generation++;
    this.olderInFlight = null;
    this.newerInFlight = null;
    this.newerAgain = false;
  }

  private publish(patch: Partial<TurnWindowState> = {}): void {
    const entries = sameEntries(patch.entries ?? this.pages.flatMap((p) => p.entries), this.state.entries);
    const last = this.pages[this.pages.length - 1];
    this.state = {
      ...this.state,
      atStart: this.pages.length > 0 && this.pages[0]!.older === null,
      atEnd: last !== undefined && last.newerIsEnd,
      ...patch,
      entries,
    };
    for (const l of this.listeners) l();
  }

  private entry(turn: Turn, prepend: boolean): TurnEntry {
    return { key: prepend ? --this.firstKey : this.nextKey++, turn };
  }

  /** Opens the window at the newest turns. */
  async open(): Promise<void> {
    const gen = ++this.generation;
    this.olderInFlight = null;
    this.newerInFlight = null;
    try {
      const r = await this.listTurns({ threadId: this.threadId, limit: this.pageSize, itemsView: 'full' });
      if (gen !== this.generation) return;
      this.pages = r.data.length === 0 ? [] : [this.descPage(r, null)];
      if (this.pages.length > 0) this.pages[0]!.newerIsEnd = true;
      // An empty thread: nothing to anchor on until turns arrive; a catch-up opens it again.
      this.publish({
        status: 'ready',
        error: null,
        loadingOlder: false,
        loadingNewer: false,
        opens: this.state.opens + 1,
        openedAt: null,
        ...(this.pages.length === 0 ? { atStart: true, atEnd: true } : {}),
      });
    } catch (err) {
      if (gen !== this.generation) return;
      this.publish({ status: isGone(err) ? 'gone' : 'error', error: message(err) });
    }
  }

  /**
   * Opens the window around `turnId` (a search hit's deep link): from the cursor right above the
   * turn (turn-seek.ts) a page with items starts at the turn, and one page of newer turns is added
   * so that it has context on both sides. Falls back to the newest turns when the thread has no
   * such turn.
   */
  async openAt(turnId: string): Promise<boolean> {
    const gen = ++this.generation;
    try {
      const seek = await seekTurn(this.listTurns, this.threadId, turnId, () => gen === this.generation);
      if (seek === 'stale') return false;
      if (seek !== 'missing') {
        const at = seek.cursor;
        const r = await this.listTurns({ threadId: this.threadId, limit: this.pageSize, itemsView: 'full', ...(at ? { cursor: at } : {}) });
        if (gen !== this.generation) return false;
        // Otherwise the thread changed meanwhile.
        if (r.data[0]?.id === turnId) {
          const page = this.descPage(r, null);
          page.newerIsEnd = at === null;
          this.pages = [page];
          if (!page.newerIsEnd && !(await this.newerOnce(gen))) return false;
          this.publish({
            status: 'ready',
            error: null,
            loadingOlder: false,
            loadingNewer: false,
            opens: this.state.opens + 1,
            openedAt: turnId,
          });
          return true;
        }
      }
    } catch (err) {
      if (gen !== this.generation) return false;
      this.publish({ status: isGone(err) ? 'gone' : 'error', error: message(err) });
      return false;
    }
    if (gen !== this.generation) return false;
    await this.open();
    return false;
  }

  /** A page from a desc answer (newest first), held oldest first. */
  private descPage(r: ThreadTurnsListResult, firstKeyOfOverlap: number | null): Page {
    const entries = [...r.data].reverse().map((t) => this.entry(t, true));
    // backwardsCursor is inclusive of the answer's first (newest) turn: a held one when the answer overlapped.
    const newestKey = firstKeyOfOverlap ?? entries[entries.length - 1]!.key;
    return {
      entries,
      older: r.nextCursor ? { cursor: r.nextCursor, anchorKey: null } : null,
      newer: { cursor: r.backwardsCursor!, anchorKey: newestKey },
      newerIsEnd: false,
    };
  }

  /** Loads the page before the window's first turn. */
  loadOlder(): Promise<void> {
    if (this.olderInFlight) return this.olderInFlight;
    const first = this.pages[0];
    if (!first || first.older === null || this.state.status !== 'ready') return Promise.resolve();
    const gen = this.generation;
    const boundary = first.older;
    const run = async (): Promise<void> => {
      this.publish({ loadingOlder: true });
      try {
        const before = this.flat();
        const heldBefore = this.indexOfKey(before, boundary.anchorKey);
        let r = await this.listTurns({
          threadId: this.threadId,
          cursor: boundary.cursor,
          limit: Math.min(MAX_LIMIT, heldBefore + 1 + this.pageSize),
          itemsView: 'full',
        });
        // A repeated legacy id can make codex start further back: ask once for as much as it gives.
        if (r.nextCursor !== null && heldBefore >= 0 && gen === this.generation && this.pages[0] === first) {
          const o = alignOlder(this.flat(), r.data, this.indexOfKey(this.flat(), boundary.anchorKey));
          if (o !== null && r.data.length <= o + 1)
            r = await this.listTurns({ threadId: this.threadId, cursor: boundary.cursor, limit: MAX_LIMIT, itemsView: 'full' });
        }
        // The window moved on meanwhile (trimmed or started over): this answer no longer attaches.
        if (gen !== this.generation || this.pages[0] !== first) return;
        const now = this.flat();
        const held = this.indexOfKey(now, boundary.anchorKey);
        if (boundary.anchorKey !== null && held < 0) return;
        // r.data[i] is now[at - i]: the held anchor, then older turns (none held when it is null).
        let at = -1;
        if (boundary.anchorKey !== null) {
          const o = alignOlder(now, r.data, held);
          if (o === null) return void (await this.resync());
          at = o;
        }
        for (let i = 0; i < r.data.length && at - i >= 0; i++) if (at - i < now.length) this.refresh(now[at - i]!.key, r.data[i]!);
        const fresh = r.data.slice(Math.max(0, at + 1));
        if (fresh.length === 0 && r.nextCursor !== null) return void (await this.resync()); // no progress possible this way
        if (fresh.length > 0) {
          // The answer's backwardsCursor is inclusive of its first turn: the held anchor when there is one.
          this.pages.unshift(
            this.descPage({ ...r, data: fresh }, at >= 0 && now.length > 0 ? now[Math.min(at, now.length - 1)]!.key : null),
          );
        } else {
          first.older = null; // nothing older: the window starts at the thread's first turn
        }
        this.trim('newer');
        this.publish({ error: null });
      } catch (err) {
        if (gen !== this.generation) return;
        if (isStaleCursor(err)) await this.resync();
        else this.publish({ error: message(err) });
      } finally {
        if (gen === this.generation) {
          this.olderInFlight = null;
          this.publish({ loadingOlder: false });
        }
      }
    };
    this.olderInFlight = run();
    return this.olderInFlight;
  }

  /**
   * Loads the turns after the window's last one: the next page while the user scrolls down, or,
   * at the live end, the newest turn again (refreshed in place) and any newer ones. Calls made
   * while one runs are coalesced into one more run.
   */
  loadNewer(): Promise<void> {
    if (this.newerInFlight) {
      this.newerAgain = true;
      return this.newerInFlight;
    }
    if (this.state.status === 'gone') return Promise.resolve();
    if (this.pages.length === 0) {
      // The thread had no turns when it was opened, or opening failed: open it again.
      if (this.state.status === 'loading') return Promise.resolve();
      this.newerInFlight = this.open().finally(() => (this.newerInFlight = null));
      return this.newerInFlight;
    }
    const gen = this.generation;
    const run = async (): Promise<void> => {
      this.publish({ loadingNewer: true });
      try {
        do {
          this.newerAgain = false;
          if (!(await this.newerOnce(gen))) return;
        } while (this.newerAgain);
      } catch (err) {
        if (gen !== this.generation) return;
        if (isStaleCursor(err)) await this.resync();
        else this.publish({ error: message(err) });
      } finally {
        if (gen === this.generation) {
          this.newerInFlight = null;
          this.publish({ loadingNewer: false });
        }
      }
    };
    this.newerInFlight = run();
    return this.newerInFlight;
  }

  /** One asc request past the window's end; false when the window started over or moved on. */
  private async newerOnce(gen: number, wide = false): Promise<boolean> {
    const last = this.pages[this.pages.length - 1];
    if (!last || gen !== this.generation) return false;
    const boundary = last.newer;
    const before = this.flat();
    const heldBefore = this.indexOfKey(before, boundary.anchorKey);
    const overlap = heldBefore < 0 ? 0 : before.length - heldBefore;
    const limit = wide ? MAX_LIMIT : Math.min(MAX_LIMIT, overlap + this.pageSize);
    const r = await this.listTurns({ threadId: this.threadId, cursor: boundary.cursor, sortDirection: 'asc', limit, itemsView: 'full' });
    if (gen !== this.generation || this.pages[this.pages.length - 1] !== last) return false;
    const now = this.flat();
    const held = this.indexOfKey(now, boundary.anchorKey);
    if (boundary.anchorKey !== null && held < 0) return false;
    if (held >= 0 && r.data.length === 0) {
      await this.resync(); // the anchor turn is gone (rolled back or rewritten)
      return false;
    }
    // r.data[i] is now[at + i]: the held anchor and the held turns after it, then new ones.
    let at = now.length;
    if (held >= 0) {
      const o = alignNewer(now, r.data, held);
      if (o === null) {
        await this.resync(); // the anchor turn is gone or changed (rolled back, rewritten)
        return false;
      }
      at = o;
    }
    const fresh = r.data.slice(Math.max(0, now.length - at));
    if (fresh.length === 0 && r.nextCursor !== null) {
      // The answer ended before the window does: a repeated legacy id made codex start further
      // back than the anchor. Ask once for as much as codex gives, else start over.
      if (!wide) return this.newerOnce(gen, true);
      await this.resync();
      return false;
    }
    for (let i = 0; i < r.data.length && at + i < now.length; i++) if (at + i >= 0) this.refresh(now[at + i]!.key, r.data[i]!);
    const matched = r.data.length - fresh.length;
    if (fresh.length > 0) {
      const entries = fresh.map((t) => this.entry(t, false));
      // backwardsCursor is inclusive of the answer's first turn: a held one when it overlapped.
      const firstKey = matched === 0 || now.length === 0 ? entries[0]!.key : now[Math.max(0, at)]!.key;
      const page: Page = {
        entries,
        older: { cursor: r.backwardsCursor!, anchorKey: firstKey },
        newer: r.nextCursor ? { cursor: r.nextCursor, anchorKey: null } : { cursor: r.backwardsCursor!, anchorKey: firstKey },
        newerIsEnd: r.nextCursor === null,
      };
      this.pages.push(page);
      last.newerIsEnd = false;
      if (page.newerIsEnd) await this.reanchor(gen, page);
      if (gen !== this.generation) return false;
    } else {
      last.newerIsEnd = true;
    }
    this.trim('older');
    this.publish({ error: null });
    return true;
  }

  private flat(): TurnEntry[] {
    return this.pages.flatMap((p) => p.entries);
  }

  private indexOfKey(entries: readonly TurnEntry[], key: number | null): number {
    return key === null ? -1 : entries.findIndex((e) => e.key === key);
  }

  /** A held turn fetched again: a new entry object (same key), so views see the change. */
  private refresh(key: number, turn: Turn): void {
    for (const p of this.pages) {
      const i = p.entries.findIndex((e) => e.key === key);
      if (i >= 0) {
        if (!sameTurn(p.entries[i]!.turn, turn)) p.entries[i] = { key, turn };
        return;
      }
    }
  }

  /**
   * After new turns were appended at the live end, points the end's cursor at the newest turn
   * (a `desc` page of one turn: its backwardsCursor includes it), so the next catch-up fetches that
   * turn again and whatever follows — not the whole page again.
   */
  private async reanchor(gen: number, page: Page): Promise<void> {
    const newest = page.entries[page.entries.length - 1]!;
    const r = await this.listTurns({ threadId: this.threadId, limit: 1, itemsView: 'notLoaded' });
    if (gen !== this.generation || this.pages[this.pages.length - 1] !== page) return;
    // Newer turns arrived meanwhile: keep the wider cursor; the next catch-up matches them up.
    if (r.data[0]?.id === newest.turn.id && r.backwardsCursor) page.newer = { cursor: r.backwardsCursor, anchorKey: newest.key };
  }

  /** The rollout changed under the window (rewritten, rolled back): start over at the newest turns. */
  private async resync(): Promise<void> {
    const resyncs = this.state.resyncs + 1;
    this.pages = [];
    this.publish({ status: 'loading', entries: [], resyncs });
    await this.open();
  }

  /** Where the user looks (indices into `entries`); pages far from it are dropped past `maxTurns`. */
  setViewport(first: number, last: number): void {
    this.viewport = { first, last };
    if (this.total() > this.maxTurns && this.trim('both')) this.publish();
  }

  private total(): number {
    let n = 0;
    for (const p of this.pages) n += p.entries.length;
    return n;
  }

  /** Drops whole pages from the given side(s) that lie outside the viewport's neighbourhood. */
  private trim(side: 'older' | 'newer' | 'both'): boolean {
    const margin = this.pageSize * 2;
    let changed = false;
    const vp = this.viewport;
    if (side !== 'older') {
      for (;;) {
        if (this.total() <= this.maxTurns || this.pages.length <= 1) break;
        const start = this.total() - this.pages[this.pages.length - 1]!.entries.length;
        if (vp && start <= vp.last + margin) break;
        this.pages.pop();
        changed = true;
      }
    }
    if (side !== 'newer') {
      for (;;) {
        if (this.total() <= this.maxTurns || this.pages.length <= 1) break;
        const end = this.pages[0]!.entries.length;
        if (vp && end >= vp.first - margin) break;
        this.pages.shift();
        if (vp) this.viewport = { first: vp.first - end, last: vp.last - end };
        changed = true;
      }
    }
    return changed;
  }
}
