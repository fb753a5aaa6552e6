// Read-repair: with no watcher running (changes made behind the index's back), a thread is never
// served with a dead path or with another thread's file. Moved rows follow their file, rows whose
// file vanished are hidden, changed files are re-read, mis-pointed rows are pointed back.
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { staleRows, VerifiedFiles } from './read-repair.ts';
import { ALL_SOURCE_KINDS, type ThreadListParams } from '../../../shared/protocol/index.ts';
import { copyHome, realHome, STANDARD_HOME, type RealHome } from '../../../../test/support/real-home.ts';
import { tmpDir } from '../../../../test/support/tmp.ts';

const all: ThreadListParams = { modelProviders: [], sourceKinds: [...ALL_SOURCE_KINDS], limit: 100 };
let real: RealHome;
let home: string;
let engine: Engine;

const active = (): RealHome['manifest']['rollouts'] =>
  real.manifest.rollouts.filter((r) => r.file.startsWith('sessions/') && r.source === 'exec');

beforeEach(async () => {
  real = realHome(...STANDARD_HOME);
  home = copyHome(real.home, path.join(tmpDir('spool-home-'), 'home'));
  engine = Engine.open({ home, dataDir: tmpDir('spool-repair-'), parseWorkers: 0 });
  await engine.sync();
  return () => engine.close();
});

describe('read-repair', () => {
  it('follows a file archived behind its back instead of listing a dead path', async () => {
    const r = active()[0]!;
    const to = path.join(home, 'archived_sessions', path.basename(r.file));
    fs.renameSync(path.join(home, r.file), to);
    const page = await engine.call('thread/list', all);
    expect(page.data.map((t) => t.id)).not.toContain(r.id);
    for (const t of page.data) expect(fs.existsSync(t.path!), t.path!).toBe(true);
    const { thread } = await engine.call('thread/read', { threadId: r.id });
    expect(thread.path).toBe(to);
    expect(thread.extra!.spool.archived).toBe(true);
    expect((await engine.call('thread/list', { ...all, archived: true })).data.map((t) => t.id)).toContain(r.id);
  });

  it('hides a thread whose file vanished', async () => {
    const r = active()[1]!;
    fs.rmSync(path.join(home, r.file));
    const page = await engine.call('thread/list', all);
    expect(page.data.map((t) => t.id)).not.toContain(r.id);
    await expect(engine.call('thread/read', { threadId: r.id })).rejects.toMatchObject({
      code: -32600,
      message: `thread not loaded: ${r.id}`,
    });
  });

  it('re-reads a file that changed since it was indexed before answering', async () => {
    const r = active()[2]!;
    const file = path.join(home, r.file);
    fs.appendFileSync(
      file,
      `${JSON.stringify({ timestamp: new Date().toISOString(), type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: { total_tokens: 424242 } } } })}\n`,
    );
    const { thread } = await engine.call('thread/read', { threadId: r.id });
    expect(thread.extra!.spool.tokensUsed).toBe(424242);
    expect(thread.extra!.spool.sizeBytes).toBe(fs.statSync(file).size);
    expect(engine.indexer.stats.recent.at(-1)).toMatchObject({ relPath: r.file, reset: false });
  });

  it('points a row that names another thread’s file back at its own file', async () => {
    const [a, b] = active();
    engine.db.prepare('UPDATE threads SET rel_path = ? WHERE id = ?').run(b!.file, a!.id);
    const { thread } = await engine.call('thread/read', { threadId: a!.id });
    expect(thread.path).toBe(path.join(home, a!.file));
    const listed = (await engine.call('thread/list', all)).data;
    expect(listed.filter((t) => t.path === path.join(home, b!.file)).map((t) => t.id)).toEqual([b!.id]);
  });

  it('drops a row whose file was replaced by another thread’s rollout, and keeps that thread', async () => {
    const [, , , a, b] = active();
    // Someone copies b's rollout over a's file (same name as a's, b's content).
    fs.copyFileSync(path.join(home, b!.file), path.join(home, a!.file));
    await expect(engine.call('thread/read', { threadId: a!.id })).rejects.toMatchObject({ code: -32600 });
    const { thread } = await engine.call('thread/read', { threadId: b!.id });
    expect(thread.path).toBe(path.join(home, b!.file));
    expect(engine.indexer.report().counts['duplicates']).toBe(1);
  });
});

describe('read-repair while a watcher runs', () => {
  it('trusts a file it has just checked only until the index changes, and checks every time without a watcher', () => {
    const r = active()[0]!;
    const served = [{ id: r.id, path: path.join(home, r.file) }];
    const verified = new VerifiedFiles();
    // Without a watcher (ttl 0) nothing is remembered: a change behind the index's back is seen.
    expect(staleRows(engine.db, engine.home, served, verified)).toEqual({ paths: [], threads: [] });
    fs.appendFileSync(served[0]!.path, '\n');
    expect(staleRows(engine.db, engine.home, served, verified).paths).toEqual([r.file]);
    fs.truncateSync(served[0]!.path, fs.statSync(served[0]!.path).size - 1);
    fs.utimesSync(
      served[0]!.path,
      new Date(),
      new Date((engine.db.prepare('SELECT mtime_ms FROM files WHERE rel_path = ?').get(r.file) as { mtime_ms: number }).mtime_ms),
    );

    // Watched: a file just found matching is trusted for the ttl…
    verified.ttlMs = 60_000;
    expect(staleRows(engine.db, engine.home, served, verified).paths).toEqual([]);
    fs.rmSync(served[0]!.path);
    expect(staleRows(engine.db, engine.home, served, verified).paths).toEqual([]);
    // …until a change to the index forgets every check.
    verified.clear();
    expect(staleRows(engine.db, engine.home, served, verified).paths).toEqual([r.file]);
  });

  it('stops serving a file deleted behind its back once the watcher reports it', async () => {
    const live = Engine.open({ home, dataDir: tmpDir('spool-repair-live-'), parseWorkers: 0 });
    try {
      await live.startLive();
      const r = active()[0]!;
      expect((await live.call('thread/list', all)).data.map((t) => t.id)).toContain(r.id);
      fs.rmSync(path.join(home, r.file));
      const deadline = Date.now() + 10_000;
      let ids: string[] = [r.id];
      while (ids.includes(r.id) && Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, 20));
        ids = (await live.call('thread/list', all)).data.map((t) => t.id);
      }
      expect(ids).not.toContain(r.id);
    } finally {
      await live.close();
    }
  });
});
