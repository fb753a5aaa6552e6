// Page object for the main window, shared by the browser and Electron targets.
import { expect, type Locator, type Page } from '@playwright/test';

export class AppPage {
  readonly page: Page;
  readonly list: Locator;
  readonly detail: Locator;

  constructor(page: Page) {
    this.page = page;
    this.list = page.getByTestId('thread-list');
    this.detail = page.getByTestId('thread-detail');
  }

  row(threadId: string): Locator {
    return this.list.locator(`[data-thread-id="${threadId}"]`);
  }

  async waitForRows(): Promise<void> {
    await expect(this.list.getByRole('option').first()).toBeVisible();
  }

  /** Scrolls the virtualised list until the thread's row is rendered; returns it. */
  async findRow(threadId: string): Promise<Locator> {
    await this.waitForRows();
    const row = this.row(threadId);
    await this.list.evaluate((el) => (el.scrollTop = 0));
    await this.painted();
    for (let i = 0; i < 400; i++) {
      // Found and scrolled into view in one step: a row rendered just beyond the viewport may be
      // unrendered by the next update (rows arriving above it), and then a locator would wait
      // for it forever.
      const found = await this.list.evaluate((el, selector) => {
        const r = el.querySelector(selector);
        r?.scrollIntoView({ block: 'nearest' });
        return r !== null;
      }, `[data-thread-id="${threadId}"]`);
      if (found) {
        await this.painted();
        if ((await row.count()) > 0) return row;
        continue;
      }
      // At the bottom of what is loaded: the end of the list only once the window says so (the
      // next page may still be on its way).
      const done = await this.list.evaluate((el) => {
        const before = el.scrollTop;
        el.scrollTop += el.clientHeight * 0.8;
        return el.scrollTop === before && (el.dataset['atEnd'] ?? 'true') === 'true';
      });
      await this.painted();
      if (done && (await row.count()) === 0) break;
    }
    throw new Error(`thread ${threadId} is not in the list`);
  }

  /** Waits until the virtualised list has rendered after a scroll (two frames: a busy page lags). */
  private async painted(): Promise<void> {
    await this.page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    await this.page.waitForTimeout(20);
  }

  async titleOf(threadId: string): Promise<string> {
    const row = await this.findRow(threadId);
    return (await row.getByTestId('thread-title').textContent()) ?? '';
  }

  async select(threadId: string): Promise<void> {
    const row = await this.findRow(threadId);
    await row.click();
    await expect(this.detail).toBeVisible();
  }
}
