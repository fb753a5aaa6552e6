// The list on a generated home of 20,000 threads: the first rows at once, a scroll to the very
// end and back through every row while the page holds a bounded window, End/Home jumps, and the
// sort and filters surviving a reload.
import { test, expect } from './fixtures.ts';
import { BrowsePage } from './pages/browse-page.ts';
import { indexedDemoHome, type IndexedHome } from './support/browse-homes.ts';

let demo: IndexedHome;
test.beforeAll(() => {
  // The first run generates the home and builds its index (cached in .cache/ afterwards).
  test.setTimeout(30 * 60_000);
  demo = indexedDemoHome(20_000);
});

test('first rows at once; scrolling to the end and back visits every row with a bounded window', async ({ launch }) => {
  test.setTimeout(300_000);
  const { page } = await launch(demo.home, { dataDir: demo.dataDir() });
  // A tall window: more rows per screenful, fewer steps to the end.
  await page.setViewportSize({ width: 1400, height: 2400 });
  const b = new BrowsePage(page);
  await b.waitForRows();
  // The count comes from spool/facets, asked for once the first rows are in.
  await expect(b.count).toHaveText(/^[\d,]+ threads$/);
  const total = Number(((await b.count.textContent()) ?? '').replace(/[^\d]/g, ''));
  expect(total).toBeGreaterThan(5_000);

  // The engine's own order (the query the page runs) is what the scroll must show.
  const all = await b.listAllIds({
    sortKey: 'updated_at',
    sortDirection: 'desc',
    archived: false,
    modelProviders: [],
    sourceKinds: ['cli', 'vscode', 'exec', 'appServer', 'unknown'],
    includeEmptyPreview: true,
  });
  expect(all.length).toBe(total);
  expect((await b.renderedIds({ topLevel: true })).slice(0, 10)).toEqual(all.slice(0, 10));

  // Down to the end, a screenful at a time (in the page: one round trip per pass), every top-level
  // row passes through the viewport in order, none twice, while the page holds a bounded window.
  const down = await b.sweep(1);
  expect(down.done).toBe(true);
  expect(down.seen).toEqual(all);
  expect(down.maxRows).toBeLessThanOrEqual(600);
  expect(down.domRows).toBeLessThan(150);
  const lastId = down.seen[down.seen.length - 1]!;

  // And back up to the top: the same rows in reverse.
  const up = await b.sweep(-1);
  expect(up.done).toBe(true);
  expect(up.seen).toEqual([...down.seen].reverse());
  const seen = down.seen;

  // End jumps to the last page; Home comes back.
  await b.list.focus();
  await page.keyboard.press('End');
  await expect.poll(async () => (await b.windowState()).atEnd).toBe(true);
  await expect(b.list).toHaveAttribute('aria-activedescendant', `thread-option-${lastId}`);
  await page.keyboard.press('Home');
  await expect.poll(async () => (await b.windowState()).atStart).toBe(true);
  await expect(b.list).toHaveAttribute('aria-activedescendant', `thread-option-${seen[0]}`);
});

test('sort and filters survive a reload', async ({ launch }) => {
  const { page } = await launch(demo.home, { dataDir: demo.dataDir() });
  const b = new BrowsePage(page);
  await b.waitForRows();
  await page.getByTestId('sort-key').selectOption('created');
  await page.getByTestId('sort-direction').click();
  await page.getByTestId('filter-provider').click();
  await page.getByTestId('filter-provider-panel').getByLabel('azure').check();
  await page.keyboard.press('Escape');
  await page.getByTestId('filter-project').click();
  const projectRow = page.getByTestId('project-picker').locator('.picker-row').first();
  const project = (await projectRow.getAttribute('title'))!;
  await projectRow.locator('input').check();
  await page.keyboard.press('Escape');
  await page.getByTestId('toggle-subagents').click();
  await page.getByTestId('filter-date').click();
  await page.getByTestId('date-from').fill('2020-01-01');
  await page.keyboard.press('Escape');
  await expect.poll(async () => (await b.route()).query.get('from')).toBe('2020-01-01');
  const firstRows = await b.renderedIds();
  await expect(b.count).toHaveText(/^[\d,]+ threads$/);
  const count = await b.count.textContent();
  for (const id of firstRows.slice(0, 5)) {
    await expect(b.row(id).locator('.row-model')).toContainText('azure');
    await expect(b.row(id).locator('.row-cwd')).toHaveAttribute('title', project);
  }

  await page.reload();
  await b.waitForRows();
  const q = (await b.route()).query;
  expect(Object.fromEntries(q)).toMatchObject({
    sort: 'created',
    dir: 'asc',
    provider: 'azure',
    cwd: project,
    subagents: 'hidden',
    from: '2020-01-01',
  });
  await expect(page.getByTestId('sort-key')).toHaveValue('created');
  await expect(page.getByTestId('filter-provider')).toHaveText(/azure/);
  await expect(page.getByTestId('toggle-subagents')).toHaveAttribute('aria-pressed', 'false');
  await expect(b.count).toHaveText(count!);
  expect((await b.renderedIds()).slice(0, firstRows.length)).toEqual(firstRows);
});
