// The thread view's data layer: a bounded window of a thread's turns (oldest first) over
// `thread/turns/list`, opened at the newest turn, extended page by page in both directions with the
// cursors codex defines, refreshed in place while codex is still writing, and trimmed far from what
// the user looks at so memory stays bounded however long the thread is. No DOM, no React: the view
// subscribes to it, and tests drive it against the real engine.
//
// Cursors (codex-format.md §4.2): a page's `nextCursor` continues in its own direction, exclusive
// of its last turn; its `backwardsCursor` turns around, inclusive of its first turn. Every page
// keeps one cursor per side ("boundary"). An inclusive boundary yields a turn the window already
// holds first (its `anchorKey`) and the held turns after it, then new ones: those are matched up
// one by one (a mismatch means the rollout was rewritten: the window starts over) and refreshed in
// place — which is how an in-progress turn is updated. Legacy turn ids can repeat; codex anchors an
// id on its first occurrence, and so does the matching.
import type { ThreadTurnsListParams, ThreadTurnsListResult, Turn } from '../../../../shared/protocol/index.ts';

export type ListTurns = (params: ThreadTurnsListParams) => Promise<ThreadTurnsListResult>;

export interface TurnEntry {
  /** Stable for as long as the window holds the turn (React key); turns refreshed in place keep it. */
  key: number;
  turn: Turn;
}

interface Boundary {
  cursor: string;
  /** The held entry the cursor yields first (inclusive cursors), or null: it yields the first turn beyond the window. */
  anchorKey: number | null;
}

interface Page {
  entries: TurnEntry[];
  /** null: the thread's first turn is in this page. */
  older: Boundary | null;
  newer: Boundary;
  /** The last look past this page's newest turn found nothing (the live end). */
  newerIsEnd: boolean;
}

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

const MAX_LIMIT = 100;

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
   * Opens the window around `turnId` (a search hit's deep link). Codex's cursors name turns by
   * position, so the turn is found by paging without items (100 at a time), then a cursor right above
   * it is made by asking for the turns before it; from there a page with items starts at the turn,
   * and one page of newer turns is added so that it has context on both sides. Falls back to the
   * newest turns when the thread has no such turn.
   */
  async openAt(turnId: string): Promise<boolean> {
    const gen = ++this.generation;
    try {
      let cursor: string | null = null;
      for (;;) {
        const scan: ThreadTurnsListResult = await this.listTurns({
          threadId: this.threadId,
          limit: MAX_LIMIT,
          itemsView: 'notLoaded',
          ...(cursor ? { cursor } : {}),
        });
        if (gen !== this.generation) return false;
        const k = scan.data.findIndex((t) => t.id === turnId);
        if (k < 0) {
          if (!scan.nextCursor) break;
          cursor = scan.nextCursor;
          continue;
        }
        // The k turns above it: their nextCursor continues at the turn itself.
        let at = cursor;
        if (k > 0) {
          const above: ThreadTurnsListResult = await this.listTurns({
            threadId: this.threadId,
            limit: k,
            itemsView: 'notLoaded',
            ...(cursor ? { cursor } : {}),
          });
          if (gen !== this.generation) return false;
          at = above.nextCursor;
          if (!at) break;
        }
        const r = await this.listTurns({ threadId: this.threadId, limit: this.pageSize, itemsView: 'full', ...(at ? { cursor: at } : {}) });
        if (gen !== this.generation) return false;
        if (r.data[0]?.id !== turnId) break; // the thread changed meanwhile
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

/**
 * Is `b` the same turn of the thread as `a` (the same position, not just the same id)? Legacy turn
 * ids can repeat, and codex anchors a cursor on an id's first occurrence; a turn's start time and
 * first item (legacy item ids count up through the thread) tell occurrences apart.
 */
function samePosition(a: Turn, b: Turn): boolean {
  if (a.id !== b.id) return false;
  if (a.startedAt !== null && b.startedAt !== null && a.startedAt !== b.startedAt) return false;
  const ai = a.items[0];
  const bi = b.items[0];
  return !ai || !bi || ai.id === bi.id;
}

/** The offset `o` with `answer[i]` = `held[o + i]` (an asc answer that includes the anchor), or null. */
export function alignNewer(held: readonly TurnEntry[], answer: readonly Turn[], anchor: number): number | null {
  for (let j = 0; j < answer.length; j++) {
    if (!samePosition(held[anchor]!.turn, answer[j]!)) continue;
    const o = anchor - j;
    let ok = true;
    for (let i = 0; i < answer.length && ok; i++) if (o + i >= 0 && o + i < held.length) ok = samePosition(held[o + i]!.turn, answer[i]!);
    if (ok) return o;
  }
  return null;
}

/** The offset `o` with `answer[i]` = `held[o - i]` (a desc answer that includes the anchor), or null. */
export function alignOlder(held: readonly TurnEntry[], answer: readonly Turn[], anchor: number): number | null {
  for (let j = 0; j < answer.length; j++) {
    if (!samePosition(held[anchor]!.turn, answer[j]!)) continue;
    const o = anchor + j;
    let ok = true;
    for (let i = 0; i < answer.length && ok; i++) if (o - i >= 0 && o - i < held.length) ok = samePosition(held[o - i]!.turn, answer[i]!);
    if (ok) return o;
  }
  return null;
}

/**
 * `next`, or `prev` when it holds the same entries: a state change that left the turns alone (a
 * loading flag, a retry) keeps the array, so the view does not lay out the whole window again.
 */
function sameEntries(next: readonly TurnEntry[], prev: readonly TurnEntry[]): readonly TurnEntry[] {
  if (next.length !== prev.length) return next;
  for (let i = 0; i < next.length; i++) if (next[i] !== prev[i]) return next;
  return prev;
}

/** Equal answers for a turn (a refreshed turn that did not change keeps its object, and its rendering). */
function sameTurn(a: Turn, b: Turn): boolean {
  if (
    a.status !== b.status ||
    a.items.length !== b.items.length ||
    a.completedAt !== b.completedAt ||
    a.spool?.tokensUsed !== b.spool?.tokensUsed
  )
    return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A legacy cursor whose anchor turn no longer exists (the rollout was rewritten). */
function isStaleCursor(err: unknown): boolean {
  return /anchor turn is no longer present|invalid cursor/.test(message(err));
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The thread is not in the index any more (deleted rollout). */
function isGone(err: unknown): boolean {
  return /thread not loaded|no rollout found/.test(message(err));
}
