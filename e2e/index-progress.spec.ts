// The indexing progress bar shows the backfill as it goes — here one run by another Spool process
// on the same data folder (this app only follows it), so the figures are known and the test does
// not race a fast machine — and goes away when the backfill is done.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { test, expect } from './fixtures.ts';
import { copyHome, realHome, REPO_ROOT, STANDARD_HOME } from '../test/support/real-home.ts';

test('shows the progress of a backfill and hides it when done', async ({ launch }) => {
  const home = copyHome(realHome(...STANDARD_HOME).home);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-e2e-progress-'));
  execFileSync(
    path.join(REPO_ROOT, 'node_modules', '.bin', 'node'),
    [path.join(REPO_ROOT, 'bin', 'spool.js'), 'index', '--home', home, '--data-dir', dataDir],
    { cwd: REPO_ROOT },
  );

  // Another process (on another machine, so its lease is trusted) now owns a backfill.
  const db = new Database(path.join(dataDir, 'index.sqlite'));
  const setState = (status: string, filesDone: number): void => {
    db.prepare(
      `UPDATE backfill_state SET status = ?, owner = ?, updated_at = ?, files_done = ?, files_total = 480, bytes_done = ?, bytes_total = 48000000, started_at_ms = ?`,
    ).run(
      status,
      status === 'running' ? 'e2e-other-host:1:e2e' : null,
      Math.floor(Date.now() / 1000),
      filesDone,
      filesDone * 100_000,
      Date.now() - 4000,
    );
  };
  setState('running', 120);

  const { page, app } = await launch(home, { dataDir });
  const bar = page.getByTestId('index-progress');
  await expect(bar).toBeVisible();
  await expect(bar).toContainText('120 of 480 rollouts');
  await expect(bar).toHaveAttribute('aria-valuenow', '25');

  setState('running', 360);
  await expect(bar).toContainText('360 of 480 rollouts');
  await expect(bar).toHaveAttribute('aria-valuenow', '75');

  setState('complete', 480);
  await expect(bar).toBeHidden();
  await app.waitForRows();
  db.close();
});
