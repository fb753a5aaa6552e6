// Page object for browsing and search: the list's rows and ends, the search box and results, the
// filter controls, the selection and bulk bars. Shared by the browser and Electron targets.
import { expect, type Locator, type Page } from '@playwright/test';

// Runs in the page: plain JavaScript (the page has the DOM; this file is compiled without it).
const SWEEP = `async ({ dir, maxMs }) => {
  const el = document.querySelector('[data-testid="thread-list"]');
  const step = el.clientHeight - 80;
  const yOf = (r) => Number(/translateY\\((-?[\\d.]+)px\\)/.exec(r.style.transform)?.[1] ?? 0);
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const seen = [];
  const set = new Set();
  let maxRows = 0;
  const t0 = performance.now();
  for (;;) {
    const top = el.scrollTop;
    const bottom = top + el.clientHeight;
    const rows = [...el.querySelectorAll('[role=option][data-depth="0"]')]
      .map((r) => ({ id: r.dataset.threadId, y: yOf(r), h: r.offsetHeight }))
      .filter((r) => r.y >= top - 1 && r.y + r.h <= bottom + 1)
      .sort((a, b) => (dir > 0 ? a.y - b.y : b.y - a.y));
    for (const r of rows) if (!set.has(r.id)) { set.add(r.id); seen.push(r.id); }
    maxRows = Math.max(maxRows, Number(el.dataset.rows));
    const atEdge = dir > 0 ? el.scrollTop + el.clientHeight >= el.scrollHeight - 2 : el.scrollTop <= 0;
    const done = atEdge && (dir > 0 ? el.dataset.atEnd === 'true' : el.dataset.atStart === 'true');
    if (done || performance.now() - t0 > maxMs) return { seen, maxRows, done, domRows: el.querySelectorAll('[role=option]').length };
    el.scrollTop += dir * step;
    await frame();
    await frame();
    if (atEdge) await new Promise((r) => setTimeout(r, 20));
  }
}`;

// Runs in the page: scrolls the list down a screenful at a time until a thread's row is rendered
// (the list renders only the rows near its viewport), then brings it into view.
const REVEAL = `async ({ id, maxMs }) => {
  const el = document.querySelector('[data-testid="thread-list"]');
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const t0 = performance.now();
  for (;;) {
    const row = el.querySelector('[role=option][data-thread-id="' + id + '"]');
    if (row) { row.scrollIntoView({ block: 'center' }); await frame(); await frame(); return true; }
    const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 2 && el.dataset.atEnd === 'true';
    if (atEnd || performance.now() - t0 > maxMs) return false;
    el.scrollTop += el.clientHeight - 80;
    await frame();
    await frame();
  }
}`;

// Runs in the page: every id a thread/list query lists, paged over the host's own WebSocket.
const LIST_ALL = `async (params) => {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const ws = new WebSocket('ws://' + location.host + '/rpc?token=' + encodeURIComponent(token));
  await new Promise((r) => (ws.onopen = r));
  let id = 0;
  const call = (p) => new Promise((resolve, reject) => {
    const my = ++id;
    const on = (ev) => {
      const m = JSON.parse(ev.data);
      if (m.id !== my) return;
      ws.removeEventListener('message', on);
      if (m.error) reject(new Error(m.error.message)); else resolve(m.result);
    };
    ws.addEventListener('message', on);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: my, method: 'thread/list', params: p }));
  });
  const ids = [];
  let cursor = null;
  do {
    const page = await call({ ...params, limit: 100, ...(cursor ? { cursor } : {}) });
    for (const t of page.data) ids.push(t.id);
    cursor = page.nextCursor;
  } while (cursor);
  ws.close();
  return ids;
}`;

export class BrowsePage {
  readonly page: Page;
  readonly list: Locator;
  readonly rows: Locator;
  readonly search: Locator;
  readonly results: Locator;
  readonly hits: Locator;
  readonly detail: Locator;
  readonly count: Locator;

  constructor(page: Page) {
    this.page = page;
    this.list = page.getByTestId('thread-list');
    this.rows = this.list.getByRole('option');
    this.search = page.getByTestId('search-input');
    this.results = page.getByTestId('search-results');
    this.hits = page.getByTestId('search-hit');
    this.detail = page.getByTestId('thread-detail');
    this.count = page.getByTestId('thread-count');
  }

  row(threadId: string): Locator {
    return this.list.locator(`[data-thread-id="${threadId}"]`).first();
  }

  async waitForRows(): Promise<void> {
    await expect(this.rows.first()).toBeVisible();
  }

  /** Thread ids of the rows rendered, top to bottom (the virtualiser renders those in view plus a margin); `topLevel`: not the sub-agents under them. */
  async renderedIds(opts: { topLevel?: boolean } = {}): Promise<string[]> {
    return this.list.evaluate(
      (el, top) =>
        [...el.querySelectorAll(top ? '[role=option][data-depth="0"]' : '[role=option][data-thread-id]')]
          .map((r) => ({ id: String(r.dataset['threadId']), y: Number(/translateY\((-?[\d.]+)px\)/.exec(r.style.transform)?.[1] ?? 0) }))
          .sort((a, b) => a.y - b.y)
          .map((r) => r.id),
      opts.topLevel === true,
    );
  }

  /** The id of the row at the top of the viewport. */
  async topId(): Promise<string> {
    return this.list.evaluate((el) => {
      const top = el.scrollTop;
      let best: { id: string; y: number } | null = null;
      for (const r of el.querySelectorAll('[role=option][data-thread-id]')) {
        const y = Number(/translateY\((-?[\d.]+)px\)/.exec(r.style.transform)?.[1] ?? 0);
        if (y + r.offsetHeight > top && (best === null || y < best.y)) best = { id: String(r.dataset['threadId']), y };
      }
      return best?.id ?? '';
    });
  }

  /** Window state the list exposes for tests and tools: rows held, whether each end is reached. */
  async windowState(): Promise<{ rows: number; atStart: boolean; atEnd: boolean }> {
    return this.list.evaluate((el) => ({
      rows: Number(el.dataset['rows']),
      atStart: el.dataset['atStart'] === 'true',
      atEnd: el.dataset['atEnd'] === 'true',
    }));
  }

  /**
   * Scrolls the list a screenful at a time to one end (1: down, -1: up), waiting at the window's
   * edge for the next page; returns the top-level rows that passed fully through the viewport, in
   * order, the most rows the window held, and how many row elements the page had at the end.
   */
  async sweep(direction: 1 | -1, maxMs = 240_000): Promise<{ seen: string[]; maxRows: number; done: boolean; domRows: number }> {
    return this.page.evaluate(`(${SWEEP})(${JSON.stringify({ dir: direction, maxMs })})`);
  }

  /** Every thread id a thread/list query lists, fetched by the page from the host (a real client of its own). */
  async listAllIds(params: Record<string, unknown>): Promise<string[]> {
    return this.page.evaluate(`(${LIST_ALL})(${JSON.stringify(params)})`);
  }

  /** Scrolls down to a thread's row (from where the list is) and centres it; fails if the list has none. */
  async reveal(id: string, maxMs = 30_000): Promise<Locator> {
    expect(await this.page.evaluate(`(${REVEAL})(${JSON.stringify({ id, maxMs })})`), `row ${id} in the list`).toBe(true);
    return this.row(id);
  }

  async scrollBy(pixels: number): Promise<void> {
    await this.list.evaluate((el, px) => el.scrollBy(0, px), pixels);
    await this.painted();
  }

  /** Two animation frames: the virtualiser has rendered after a scroll. */
  async painted(): Promise<void> {
    await this.page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  }

  async searchMessages(text: string): Promise<void> {
    await this.page.getByTestId('scope-messages').click();
    await this.search.fill(text);
    await expect(this.hits.first()).toBeVisible();
  }

  async filterTitles(text: string): Promise<void> {
    await this.page.getByTestId('scope-titles').click();
    await this.search.fill(text);
  }

  /** The route in the URL's hash, parsed: path and query. */
  async route(): Promise<{ path: string; query: URLSearchParams }> {
    const hash = await this.page.evaluate<string>('location.hash');
    const [p, q] = hash.replace(/^#/, '').split('?');
    return { path: p ?? '', query: new URLSearchParams(q ?? '') };
  }
}
