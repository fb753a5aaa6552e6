// The app opened on a home written by the real codex CLI shows the threads codex wrote, with the
// right previews and names — through the real engine, over the real host.
import { test, expect } from './fixtures.ts';
import { copyHome, expectedNames, realHome, STANDARD_HOME } from '../test/support/real-home.ts';

test('lists the threads codex wrote with their previews and names', async ({ launch }) => {
  const real = realHome(...STANDARD_HOME);
  const { app } = await launch(copyHome(real.home));
  await app.waitForRows();
  const names = expectedNames(real.manifest);
  const archived = new Set(real.manifest.rollouts.filter((r) => r.file.startsWith('archived_sessions/')).map((r) => r.id));
  let checked = 0;
  for (const p of real.manifest.plan) {
    if (!p.threadId || archived.has(p.threadId)) continue;
    const expected = names.get(p.threadId) ?? p.prompts[0]!.trim();
    // The list shows one line: compare with the first line of a multi-line prompt's text.
    expect(await app.titleOf(p.threadId)).toBe(expected);
    checked++;
  }
  expect(checked).toBeGreaterThanOrEqual(12);
});

test('shows a thread’s metadata in the detail pane', async ({ launch }) => {
  const real = realHome(...STANDARD_HOME);
  const home = copyHome(real.home);
  const { app } = await launch(home);
  const archived = new Set(real.manifest.rollouts.filter((r) => r.file.startsWith('archived_sessions/')).map((r) => r.id));
  const named = [...expectedNames(real.manifest)].find(([id]) => !archived.has(id))!;
  await app.select(named[0]);
  await expect(app.page.getByTestId('detail-title')).toHaveText(named[1]);
  await expect(app.detail).toContainText(named[0]);
  await expect(app.detail).toContainText('0.169.0');
  await expect(app.detail).toContainText(home);
});
