// Browsing and search on a home the real codex CLI wrote, through the real engine and host:
// rows and their details, threads codex writes while the page is open, renames made outside the
// app, full-text search that opens the turn it found, keyboard use, and bulk archive with undo.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from './fixtures.ts';
import { BrowsePage } from './pages/browse-page.ts';
import { copyHome, expectedNames, realHome, STANDARD_HOME } from '../test/support/real-home.ts';
import { codexExec, renameOutside, startMockModel, turnOfUserMessage, uniqueWord, useMockModel } from './support/browse-homes.ts';

test('shows the newest threads at once, each with its source, project, branch, model and sub-agents', async ({ launch }) => {
  const real = realHome(...STANDARD_HOME);
  const { page } = await launch(copyHome(real.home));
  const b = new BrowsePage(page);
  await b.waitForRows();
  // Newest first (last updated): the first row is the most recently written active thread.
  const rows = b.rows;
  expect(await rows.count()).toBeGreaterThan(5);
  const spawner = real.manifest.plan.find((p) => p.prompts[0]!.includes('[spawn]') && p.driver === 'appserver')!;
  const row = b.row(spawner.threadId!);
  await expect(row).toBeVisible();
  await expect(row.locator('.badge.source')).toHaveText('vscode');
  await expect(row.getByTestId('subagent-count')).toHaveText('1 sub-agent');
  await expect(row.locator('.row-branch')).toHaveText(/\S/);
  await expect(row.locator('.row-model')).toContainText('mock');
  await expect(row.locator('.row-time')).toHaveText(/ago|just now/);
  // Its sub-agent is listed under it, indented, with its nickname.
  const child = b.list.locator(`[data-depth="1"]`).first();
  await expect(child).toBeVisible();
  await expect(child.locator('.badge.source')).toHaveText('sub-agent');
  // Names codex set are shown instead of the preview.
  const named = [...expectedNames(real.manifest)].find(([id]) =>
    real.manifest.rollouts.some((r) => r.id === id && r.file.startsWith('sessions/')),
  )!;
  await expect((await b.reveal(named[0])).getByTestId('thread-title')).toHaveText(named[1]);
  await expect(b.count).toHaveText(/^\d+ threads$/);
});

test('a thread codex writes while the page is open appears on top, a rename made outside shows up, and search opens the turn it found', async ({
  launch,
}) => {
  test.setTimeout(180_000);
  const real = realHome(...STANDARD_HOME);
  const home = copyHome(real.home);
  const mock = await startMockModel();
  try {
    useMockModel(home, mock.port);
    const { page } = await launch(home);
    const b = new BrowsePage(page);
    await b.waitForRows();
    await page.evaluate('window.__sameDocument = true');

    // A new session with the real codex CLI: it shows up as the first row without a reload.
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-e2e-cwd-'));
    const marker = uniqueWord('quokka');
    const first = `Plan the ${marker} rollout for the billing service`;
    const threadId = await codexExec(home, cwd, first);
    await expect(b.rows.first()).toHaveAttribute('data-thread-id', threadId, { timeout: 20_000 });
    await expect(b.rows.first().getByTestId('thread-title')).toHaveText(first);

    // Renamed the way codex names threads (session_index.jsonl): the row changes in place.
    renameOutside(home, threadId, `Billing ${marker}`);
    await expect(b.row(threadId).getByTestId('thread-title')).toHaveText(`Billing ${marker}`, { timeout: 20_000 });
    expect(await page.evaluate('window.__sameDocument'), 'the page was not reloaded').toBe(true);

    // A long thread: more turns through `codex exec resume`, one of them in the middle with a rare word.
    const needle = uniqueWord('zircon');
    const prompts = [
      'Add tests for the retry helper',
      `Compare the ${needle} cache with the old one`,
      'Now apply the same change to the other module.',
      'Please summarize what you changed in two sentences.',
      'Looks good. What are the risks?',
    ];
    for (const p of prompts) await codexExec(home, cwd, p, threadId);
    const turnId = turnOfUserMessage(home, threadId, needle);

    await b.searchMessages(needle);
    const hit = page.locator(`[data-testid="search-hit"][data-turn-id="${turnId}"][data-thread-id="${threadId}"]`).first();
    await expect(hit).toBeVisible({ timeout: 20_000 });
    await expect(hit.locator('mark').first()).toHaveText(needle);
    await expect(hit.getByText('turn 3')).toBeVisible();
    await hit.click();
    const route = await b.route();
    expect(route.path).toBe(`/thread/${threadId}`);
    expect(route.query.get('turn')).toBe(turnId);
    // The thread view opens its timeline at the turn the hit found, and shows it.
    await expect(page.getByTestId('timeline')).toHaveAttribute('data-opened-at', turnId);
    await expect(page.locator(`[data-testid="turn"][data-turn-id="${turnId}"]`)).toBeInViewport();
    await expect(page.getByTestId('detail-title')).toHaveText(`Billing ${marker}`);

    // The deep link works on its own: a fresh load of the URL opens the same thread at the same turn.
    await page.reload();
    await expect(page.getByTestId('timeline')).toHaveAttribute('data-opened-at', turnId);
    await expect(page.locator(`[data-testid="turn"][data-turn-id="${turnId}"]`)).toBeInViewport();
    expect(await page.evaluate('window.__sameDocument')).toBeUndefined();
  } finally {
    await mock.close();
  }
});

test('search shows message text as text: markup in a message is never interpreted', async ({ launch }) => {
  test.setTimeout(120_000);
  const real = realHome(...STANDARD_HOME);
  const home = copyHome(real.home);
  const mock = await startMockModel();
  try {
    useMockModel(home, mock.port);
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-e2e-cwd-'));
    const marker = uniqueWord('xss');
    await codexExec(home, cwd, `Why does <img src=x onerror="window.__pwned=1"> break ${marker} <b>rendering</b>?`);
    const { page } = await launch(home);
    const b = new BrowsePage(page);
    await b.waitForRows();
    await b.searchMessages(marker);
    const snippet = b.hits.first().getByTestId('hit-snippet');
    await expect(snippet).toContainText('<img src=x onerror="window.__pwned=1">');
    await expect(snippet).toContainText('<b>rendering</b>');
    await expect(snippet.locator('mark')).toHaveText([marker]);
    expect(await b.results.locator('img, b').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
  } finally {
    await mock.close();
  }
});

test('the keyboard moves, opens, searches and clears', async ({ launch }) => {
  const real = realHome(...STANDARD_HOME);
  const { page } = await launch(copyHome(real.home));
  const b = new BrowsePage(page);
  await b.waitForRows();
  const ids = await b.renderedIds();
  // Focus puts the cursor on the first row in view; arrows move it.
  await b.list.focus();
  await expect(b.list).toHaveAttribute('aria-activedescendant', `thread-option-${ids[0]}`);
  await page.keyboard.press('ArrowDown');
  await expect(b.list).toHaveAttribute('aria-activedescendant', `thread-option-${ids[1]}`);
  await page.keyboard.press('End');
  await expect(b.list).toHaveAttribute('aria-activedescendant', `thread-option-${(await b.renderedIds()).at(-1)}`);
  await page.keyboard.press('Home');
  await expect(b.list).toHaveAttribute('aria-activedescendant', `thread-option-${ids[0]}`);
  await page.keyboard.press('Enter');
  expect((await b.route()).path).toBe(`/thread/${ids[0]}`);
  await expect(b.detail).toBeVisible();

  await page.keyboard.press('/');
  await expect(b.search).toBeFocused();
  await page.keyboard.type('Docs');
  await expect(b.rows).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(b.search).toHaveValue('');
  await expect(b.rows.nth(1)).toBeVisible();
  await b.list.focus();
  await page.keyboard.press('Control+k');
  await expect(b.search).toBeFocused();
  // Space selects for a bulk action; Esc clears the selection.
  await b.list.focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('selection-count')).toHaveText('1 selected');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('selection-bar')).toHaveCount(0);
});
