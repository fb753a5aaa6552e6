// Page object for the thread view (the detail pane): its header, its virtualised turn timeline and
// the git editor. Shared by the browser and Electron targets.
import { expect, type Download, type Locator, type Page } from '@playwright/test';
import type { AppPage } from './app-page.ts';

export class ThreadViewPage {
  readonly page: Page;
  readonly root: Locator;
  readonly timeline: Locator;
  readonly title: Locator;
  readonly header: Locator;

  constructor(page: Page) {
    this.page = page;
    this.root = page.getByTestId('thread-detail');
    this.timeline = page.getByTestId('timeline');
    this.title = page.getByTestId('detail-title');
    this.header = page.getByTestId('thread-header');
  }

  /** Selects the thread in the list, waiting for the index to list it (it may still be indexing). */
  async open(app: AppPage, threadId: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await app.select(threadId);
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await this.page.waitForTimeout(500);
      }
    }
    await expect(this.root).toHaveAttribute('data-thread-id', threadId);
  }

  turns(): Locator {
    return this.timeline.getByTestId('turn');
  }

  turn(turnId: string): Locator {
    return this.timeline.locator(`[data-testid="turn"][data-turn-id="${turnId}"]`);
  }

  async waitForTurns(): Promise<void> {
    await expect(this.turns().first()).toBeVisible();
  }

  /** Ids of the turns in the DOM, top to bottom (the virtualiser renders the visible ones and a few more). */
  async renderedTurnIds(): Promise<string[]> {
    return this.timeline.evaluate((el) =>
      [...el.querySelectorAll('[data-testid="turn"]')]
        .map((t): { id: string; top: number } => ({ id: t.dataset.turnId ?? '', top: t.getBoundingClientRect().top }))
        .sort((a, b) => a.top - b.top)
        .map((t) => t.id),
    );
  }

  async scrollState(): Promise<{ top: number; height: number; client: number; atStart: boolean; atEnd: boolean }> {
    return this.timeline.evaluate((el) => ({
      top: el.scrollTop,
      height: el.scrollHeight,
      client: el.clientHeight,
      atStart: el.dataset['atStart'] === 'true',
      atEnd: el.dataset['atEnd'] === 'true',
    }));
  }

  /** Is the timeline scrolled to its bottom? */
  async atBottom(): Promise<boolean> {
    const s = await this.scrollState();
    return s.height - s.top - s.client < 4;
  }

  async rename(name: string): Promise<void> {
    await this.title.click();
    const input = this.page.getByTestId('rename-input');
    await input.fill(name);
    await input.press('Enter');
  }

  async openGitEditor(): Promise<Locator> {
    await this.page.getByTestId('git-edit').click();
    const editor = this.page.getByTestId('git-editor');
    await expect(editor).toBeVisible();
    return editor;
  }

  async exportAs(format: 'markdown' | 'json'): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.page.getByTestId('export').click();
    await this.page.getByTestId(`export-${format}`).click();
    return download;
  }
}
