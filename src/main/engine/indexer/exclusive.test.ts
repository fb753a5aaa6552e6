// Mutations (archive, rename, git edits) run through `indexer.exclusive`: no batch is written while
// one runs, and a file parsed before a mutation moved it is looked at again rather than written
// back under its old path.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { newEffects } from './writer.ts';
import { copyHome, realHome, STANDARD_HOME } from '../../../../test/support/real-home.ts';
import { tmpDir } from '../../../../test/support/tmp.ts';
import { gatedPool } from '../../../../test/support/gated-pool.ts';

describe('indexer.exclusive', () => {
  it('does not write a file back under the path a mutation moved it from', async () => {
    const real = realHome(...STANDARD_HOME);
    const home = copyHome(real.home, path.join(tmpDir('spool-home-'), 'home'));
    const seed = Engine.open({ home, dataDir: tmpDir('spool-excl-'), parseWorkers: 0 });
    await seed.sync();
    const dataDir = seed.dataDir;
    await seed.close();

    const pool = gatedPool({ held: true });
    const engine = Engine.open({ home, dataDir, pool });
    const r = real.manifest.rollouts.find((x) => x.file.startsWith('sessions/') && x.source === 'exec')!;
    const from = path.join(home, r.file);
    // Rewritten in place (as `codex migrate-rollouts` does): a full re-parse, not an append.
    const lines = fs
      .readFileSync(from, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    lines[0] = JSON.stringify({ rewritten: true, ...(JSON.parse(lines[0]!) as object) });
    lines.push(
      JSON.stringify({
        timestamp: new Date().toISOString(),
        type: 'event_msg',
        payload: { type: 'token_count', info: { total_token_usage: { total_tokens: 7 } } },
      }),
    );
    fs.writeFileSync(from, `${lines.join('\n')}\n`);
    const sync = engine.indexer.syncPaths([r.file]);
    while (pool.waiting() === 0) await sleep(5);

    // An archive, the way a mutation does it: move the file, then update the index.
    const toRel = `archived_sessions/${path.basename(r.file)}`;
    await engine.indexer.exclusive(() => {
      fs.renameSync(from, path.join(home, toRel));
      const st = fs.statSync(path.join(home, toRel));
      engine.db
        .transaction(() =>
          engine.indexer.writer.renameFile(r.file, { relPath: toRel, archived: true, mtimeMs: Math.trunc(st.mtimeMs) }, newEffects()),
        )
        .immediate();
    });
    pool.release();
    await sync;
    await engine.indexer.idle();

    // The index itself (not only what read-repair would serve) points at the new path.
    expect(engine.db.prepare('SELECT rel_path, archived FROM threads WHERE id = ?').get(r.id)).toEqual({ rel_path: toRel, archived: 1 });
    expect(engine.db.prepare('SELECT count(*) AS n FROM files WHERE rel_path = ?').get(r.file)).toEqual({ n: 0 });
    const { thread } = await engine.call('thread/read', { threadId: r.id });
    expect(thread.path).toBe(path.join(home, toRel));
    expect(thread.extra!.spool.tokensUsed).toBe(7);
    expect(engine.db.prepare('SELECT count(*) AS n FROM files WHERE rel_path = ?').get(r.file)).toEqual({ n: 0 });
    await engine.close();
  });
});
