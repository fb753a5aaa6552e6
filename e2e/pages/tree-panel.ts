// Page object for the agent tree beside the thread list (browser and Electron targets alike).
import { expect, type Locator, type Page } from '@playwright/test';

export type TreeAction = 'close' | 'reopen' | 'archive' | 'unarchive' | 'cleanup';

/**
 * Waits until the engine has indexed at least `threads` threads and is idle (asked over the page's
 * own WebSocket), then opens the app again: a big home is still being indexed when the first page
 * of the list is read, and these tests are about trees, not about that race.
 */
export async function openWhenIndexed(page: Page, threads: number): Promise<void> {
  const status = `new Promise((resolve, reject) => {
    const token = new URLSearchParams(location.search).get('token');
    const ws = new WebSocket('ws://' + location.host + '/rpc?token=' + encodeURIComponent(token));
    ws.onopen = () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'spool/index/status' }));
    ws.onmessage = (m) => { const r = JSON.parse(m.data); if (r.id === 1) { ws.close(); resolve(r.result); } };
    ws.onerror = () => reject(new Error('socket error'));
  })`;
  await expect
    .poll(
      async () => {
        const s = (await page.evaluate(status)) as { phase: string; threads: number };
        return s.phase === 'idle' && s.threads >= threads;
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  await page.reload();
}

export class TreePanelPage {
  readonly page: Page;
  readonly panel: Locator;
  readonly tree: Locator;
  readonly dialog: Locator;

  constructor(page: Page) {
    this.page = page;
    this.panel = page.getByTestId('tree-panel');
    this.tree = page.getByTestId('agent-tree');
    this.dialog = page.getByTestId('confirm-dialog');
  }

  node(threadId: string): Locator {
    return this.tree.locator(`[data-node-id="${threadId}"]`);
  }

  async summary(): Promise<string> {
    return (await this.panel.getByTestId('tree-summary').textContent()) ?? '';
  }

  /** Scrolls the virtualised tree until the node's row is rendered (its ancestors must be expanded). */
  async findNode(threadId: string): Promise<Locator> {
    await expect(this.tree).toBeVisible();
    const row = this.node(threadId);
    await this.tree.evaluate((el) => (el.scrollTop = 0));
    for (let i = 0; i < 200; i++) {
      if ((await row.count()) > 0) {
        await row.scrollIntoViewIfNeeded();
        return row;
      }
      const done = await this.tree.evaluate((el) => {
        const before = el.scrollTop;
        el.scrollTop += el.clientHeight * 0.8;
        return el.scrollTop === before;
      });
      await this.page.waitForTimeout(20);
      if (done && (await row.count()) === 0) break;
    }
    throw new Error(`node ${threadId} is not shown in the tree`);
  }

  async isExpanded(threadId: string): Promise<boolean> {
    return (await (await this.findNode(threadId)).getAttribute('aria-expanded')) === 'true';
  }

  async expand(threadId: string): Promise<void> {
    const row = await this.findNode(threadId);
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.getByTestId('twisty').click();
    await expect(row).toHaveAttribute('aria-expanded', 'true');
  }

  /** Makes the node the target of the actions (and selects its thread). */
  async focus(threadId: string): Promise<void> {
    const row = await this.findNode(threadId);
    await row.locator('.tree-main').click();
    await expect(this.tree).toHaveAttribute('aria-activedescendant', `tree-node-${threadId}`);
  }

  /** Starts an action on the focused node; returns the confirmation's text. */
  async start(action: TreeAction): Promise<string> {
    await this.panel.locator(`[data-action="${action}"]`).click();
    await expect(this.dialog).toBeVisible();
    return (await this.dialog.textContent()) ?? '';
  }

  /** Confirms the open dialog and waits for the outcome; returns the summary line. */
  async confirm(): Promise<string> {
    await this.dialog.getByTestId('confirm-action').click();
    await expect(this.dialog).toBeHidden();
    const summary = this.panel.getByTestId('operation-summary');
    await expect(summary).toBeVisible({ timeout: 60_000 });
    return (await summary.textContent()) ?? '';
  }

  /** The outcome line of one thread after an action. */
  outcome(threadId: string): Locator {
    return this.panel.locator(`[data-outcome-id="${threadId}"]`);
  }

  async edgeStatus(threadId: string): Promise<string> {
    return ((await (await this.findNode(threadId)).getByTestId('edge-status').textContent()) ?? '').trim();
  }

  async counts(threadId: string): Promise<string> {
    return ((await (await this.findNode(threadId)).getByTestId('counts').textContent()) ?? '').trim();
  }
}
