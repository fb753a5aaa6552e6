// Bulk archive and unarchive from the list, on a home the real codex CLI wrote: a shift-click
// range and "all that match the filter", the outcome per thread, files moved the way codex moves
// them, and undo.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from './fixtures.ts';
import { BrowsePage } from './pages/browse-page.ts';
import { copyHome, realHome, STANDARD_HOME } from '../test/support/real-home.ts';

const archivedFiles = (home: string): string[] =>
  fs.existsSync(path.join(home, 'archived_sessions')) ? fs.readdirSync(path.join(home, 'archived_sessions')) : [];

/** Three adjacent top-level rows without sub-agents (a shift-click range of exactly three threads). */
async function threeLoneRows(b: BrowsePage): Promise<string[]> {
  const rows = await b.list.evaluate((el) =>
    [...el.querySelectorAll('[role=option][data-thread-id]')]
      .map((r) => ({
        id: String(r.dataset['threadId']),
        depth: Number(r.dataset['depth']),
        kids: r.querySelector('[data-testid=subagent-count]') !== null,
        y: Number(/translateY\((-?[\d.]+)px\)/.exec(r.style.transform)?.[1] ?? 0),
      }))
      .sort((a, c) => a.y - c.y),
  );
  for (let i = 0; i + 3 <= rows.length; i++) {
    const w = rows.slice(i, i + 3);
    if (w.every((r) => r.depth === 0 && !r.kids)) return w.map((r) => r.id);
  }
  throw new Error('no three adjacent top-level rows without sub-agents');
}

test('bulk archive of a shift-click range, with the outcome per thread and undo', async ({ launch }) => {
  const real = realHome(...STANDARD_HOME);
  const home = copyHome(real.home);
  const { page } = await launch(home);
  const b = new BrowsePage(page);
  await b.waitForRows();
  const [a, mid, c] = await threeLoneRows(b);
  await b.row(a!).getByTestId('row-check').click();
  await b.row(c!).click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('selection-count')).toHaveText('3 selected');
  await page.getByTestId('bulk-archive').click();
  await expect(page.getByTestId('bulk-summary')).toHaveText('Archived 3 threads');
  for (const id of [a!, mid!, c!]) {
    await expect(b.row(id)).toHaveCount(0);
    expect(archivedFiles(home).some((f) => f.endsWith(`${id}.jsonl`))).toBe(true);
  }
  await page.getByTestId('bulk-undo').click();
  await expect(page.getByTestId('bulk-summary')).toHaveText('Undone: Unarchived 3 threads');
  for (const id of [a!, mid!, c!]) {
    await expect(b.row(id)).toBeVisible();
    expect(archivedFiles(home).some((f) => f.endsWith(`${id}.jsonl`))).toBe(false);
  }
});

test('bulk unarchive of every thread the filter matches, without listing them in the page, and undo', async ({ launch }) => {
  const real = realHome(...STANDARD_HOME);
  const home = copyHome(real.home);
  const before = archivedFiles(home).length;
  expect(before).toBeGreaterThan(0);
  const { page } = await launch(home);
  const b = new BrowsePage(page);
  await page.getByTestId('show-archived').click();
  await b.waitForRows();
  await b.list.focus();
  await page.keyboard.press('Control+a');
  await expect(page.getByTestId('selection-count')).toHaveText(/^All \d+ matching selected$/);
  await page.getByTestId('bulk-unarchive').click();
  await expect(page.getByTestId('bulk-summary')).toHaveText(/^Unarchived \d+ threads?$/);
  await expect(page.getByTestId('empty-state')).toBeVisible();
  expect(archivedFiles(home)).toEqual([]);
  await page.getByTestId('bulk-undo').click();
  await expect(page.getByTestId('bulk-summary')).toHaveText(/^Undone: Archived \d+ threads?$/);
  await b.waitForRows();
  expect(archivedFiles(home).length).toBe(before);
});
