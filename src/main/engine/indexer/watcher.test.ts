// Both watching strategies see new day folders, new rollouts, appends, moves and name changes:
// per-folder watches (Linux, where Node's recursive watch walks the whole tree synchronously) and
// the platform's recursive watch (macOS, Windows).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { HomeWatcher } from './watcher.ts';
import { copyHome, realHome, STANDARD_HOME } from '../../../../test/support/real-home.ts';
import { tmpDir } from '../../../../test/support/tmp.ts';
import { waitFor } from '../../../../test/support/wait.ts';

for (const perDirectory of [true, false]) {
  describe(`HomeWatcher (${perDirectory ? 'per-folder watches' : 'recursive watch'})`, () => {
    it('follows new folders, new and grown rollouts, moves and names', async () => {
      const real = realHome(...STANDARD_HOME);
      const home = copyHome(real.home, path.join(tmpDir('spool-home-'), 'home'));
      const engine = Engine.open({ home, dataDir: tmpDir('spool-watch-'), parseWorkers: 0 });
      await engine.sync();
      const watcher = new HomeWatcher(engine.home, engine.indexer, { perDirectory, reconcileMs: 3_600_000 });
      watcher.start();
      try {
        if (perDirectory) expect(watcher.watchedCount).toBeGreaterThanOrEqual(5);
        const src = real.manifest.rollouts.find((r) => r.file.startsWith('sessions/') && r.source === 'exec')!;
        const text = fs.readFileSync(path.join(home, src.file), 'utf8');

        // A rollout in a day folder that did not exist.
        const id = '0198c0de-0000-7000-8000-00000000a7c1';
        const dir = path.join(home, 'sessions', '2032', '02', '03');
        fs.mkdirSync(dir, { recursive: true });
        const file = path.join(dir, `rollout-2032-02-03T00-00-00-${id}.jsonl`);
        fs.writeFileSync(file, text.split(src.id).join(id));
        await waitFor(() => engine.db.prepare('SELECT 1 FROM threads WHERE id = ?').get(id), 'the new thread');

        // An append to it.
        fs.appendFileSync(
          file,
          `${JSON.stringify({ timestamp: new Date().toISOString(), type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: { total_tokens: 31337 } } } })}\n`,
        );
        await waitFor(
          () =>
            (engine.db.prepare('SELECT tokens_used FROM threads WHERE id = ?').get(id) as { tokens_used: number }).tokens_used === 31337,
          'the append',
        );

        // Moved to archived_sessions/.
        const archived = path.join(home, 'archived_sessions', path.basename(file));
        fs.renameSync(file, archived);
        await waitFor(
          () => (engine.db.prepare('SELECT archived FROM threads WHERE id = ?').get(id) as { archived: number }).archived === 1,
          'the move',
        );

        // A name appended to session_index.jsonl.
        fs.appendFileSync(
          path.join(home, 'session_index.jsonl'),
          `${JSON.stringify({ id, thread_name: 'Watched name', updated_at: new Date().toISOString() })}\n`,
        );
        await waitFor(
          () => (engine.db.prepare('SELECT name FROM threads WHERE id = ?').get(id) as { name: string | null }).name === 'Watched name',
          'the name',
        );

        // Deleted.
        fs.rmSync(archived);
        await waitFor(() => !engine.db.prepare('SELECT 1 FROM threads WHERE id = ?').get(id), 'the removal');
      } finally {
        watcher.close();
        await engine.close();
      }
    });
  });
}
