// Page object for browsing and search: the list's rows and ends, the search box and results, the
// filter controls, the selection and bulk bars. Shared by the browser and Electron targets.
import { expect, type Locator, type Page } from '@playwright/test';

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

  /** Thread ids of the rows rendered, top to bottom (the virtualiser renders those in view plus a margin). */
  async renderedIds(): Promise<string[]> {
    return this.list.evaluate((el) =>
      [...el.querySelectorAll('[role=option][data-thread-id]')]
        .map((r) => ({ id: String(r.dataset['threadId']), y: Number(/translateY\((-?[\d.]+)px\)/.exec(r.style.transform)?.[1] ?? 0) }))
        .sort((a, b) => a.y - b.y)
        .map((r) => r.id),
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
    return this.list.evaluate((el) => ({ rows: Number(el.dataset['rows']), atStart: el.dataset['atStart'] === 'true', atEnd: el.dataset['atEnd'] === 'true' }));
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
