// The index is a cache: deleting it, migrating its schema or changing what the parser extracts
// rebuilds it from the rollouts (and the user journal); a corrupt index is moved aside and
// rebuilt, and the user is told.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { Engine, INDEX_FILE } from './engine.ts';
import { defaultMigrationsDir } from './db/database.ts';
import { EngineSession } from '../host/engine-session.ts';
import { ALL_SOURCE_KINDS, type Thread } from '../../shared/protocol/index.ts';
import { copyHome, realHome, STANDARD_HOME } from '../../../test/support/real-home.ts';
import { nowIso } from './user/records.ts';
import { tmpDir } from '../../../test/support/tmp.ts';

let home: string;
const tmp = (): string => tmpDir('spool-cache-');

beforeAll(() => {
  home = copyHome(realHome(...STANDARD_HOME).home, path.join(tmpDir('spool-home-'), 'home'));
});

async function snapshot(e: Engine): Promise<{ threads: Thread[]; turns: number; fts: number }> {
  const threads: Thread[] = [];
  for (const archived of [false, true]) {
    const r = await e.call('thread/list', {
      archived,
      modelProviders: [],
      sourceKinds: [...ALL_SOURCE_KINDS],
      includeEmptyPreview: true,
      limit: 100,
    });
    threads.push(...r.data);
  }
  const count = (sql: string): number => (e.db.prepare(sql).get() as { n: number }).n;
  // Stable fields only: the extra block carries index bookkeeping.
  return {
    threads: threads.map((t) => ({ ...t, extra: null })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    turns: count('SELECT count(*) AS n FROM turns'),
    fts: count('SELECT count(*) AS n FROM messages_fts'),
  };
}

async function indexed(dataDir: string): Promise<Engine> {
  const e = Engine.open({ home, dataDir, parseWorkers: 0 });
  await e.sync();
  return e;
}

describe('the index is a cache', () => {
  it('rebuilds an identical index after the database is deleted, keeping the user journal', async () => {
    const dataDir = tmp();
    let e = await indexed(dataDir);
    const thread = e.db.prepare("SELECT id FROM threads WHERE preview <> '' LIMIT 1").get() as { id: string };
    e.overlay.record([{ v: 1, at: nowIso(), type: 'git', threadId: thread.id, branch: 'edited-in-spool' }]);
    const before = await snapshot(e);
    await e.close();

    for (const f of fs.readdirSync(dataDir)) if (f.startsWith(INDEX_FILE)) fs.rmSync(path.join(dataDir, f));
    e = await indexed(dataDir);
    expect(e.indexer.stats.filesParsed).toBeGreaterThan(20);
    const after = await snapshot(e);
    expect(after).toEqual(before);
    expect(after.threads.find((t) => t.id === thread.id)!.gitInfo?.branch).toBe('edited-in-spool');
    await e.close();
  });

  it('rebuilds after a schema migration', async () => {
    const dataDir = tmp();
    // An index written by a Spool that knew only the first two migrations.
    const old = new Database(path.join(dataDir, INDEX_FILE));
    for (const f of fs
      .readdirSync(defaultMigrationsDir())
      .filter((f) => /^000[12]_/.test(f))
      .sort())
      old.exec(fs.readFileSync(path.join(defaultMigrationsDir(), f), 'utf8'));
    old.pragma('user_version = 2');
    old.prepare("INSERT INTO meta (key, value) VALUES ('home', ?)").run(home);
    old
      .prepare(
        "INSERT INTO threads (id, rel_path, created_at_ms, updated_at_ms, recency_at_ms, source, source_kind, model_provider, format) VALUES ('00000000-0000-7000-8000-000000000001', 'sessions/x.jsonl', 1, 1, 1, 'cli', 'cli', 'openai', 'legacy')",
      )
      .run();
    old.prepare("UPDATE backfill_state SET status = 'complete'").run();
    old.close();

    const e = Engine.open({ home, dataDir, parseWorkers: 0 });
    expect(e.rebuiltBecause).toContain('schema');
    expect(e.db.prepare("SELECT count(*) AS n FROM threads WHERE id = '00000000-0000-7000-8000-000000000001'").get()).toEqual({ n: 0 });
    expect(e.indexer.lease.state().status).toBe('pending');
    const s = await e.sync();
    expect(s.backfill).toBe(true);
    const reference = await indexed(tmp());
    expect(await snapshot(e)).toEqual(await snapshot(reference));
    await Promise.all([e.close(), reference.close()]);
  });

  it('rebuilds an index whose schema is not what its migrations build, and keeps one that is', async () => {
    // A development build applied a first version of the latest migration (a comment only); the
    // final one adds a column under the same number. That index is at the latest version, short a
    // column: every write of a message failed ("table fts_rows has no column named archived").
    const dataDir = tmp();
    let e = await indexed(dataDir);
    // What that build left: the latest version, without the column, the trigger or the digest.
    e.db.exec("DROP TRIGGER fts_rows_archived; ALTER TABLE fts_rows DROP COLUMN archived; DELETE FROM meta WHERE key = 'migrations'");
    await e.close();

    const columns = (x: Engine): string[] => (x.db.prepare('PRAGMA table_info(fts_rows)').all() as { name: string }[]).map((c) => c.name);
    e = Engine.open({ home, dataDir, parseWorkers: 0 });
    expect(e.rebuiltBecause).toEqual(['schema']);
    expect(columns(e)).toContain('archived');
    await e.sync();
    const reference = await indexed(tmp());
    expect(await snapshot(e)).toEqual(await snapshot(reference));
    await reference.close();
    await e.close();

    // Opened again: the digest of its migrations says it is current, no comparison, no rebuild.
    e = Engine.open({ home, dataDir, parseWorkers: 0 });
    expect(e.rebuiltBecause).toEqual([]);
    // An index from before the digest was kept, with the right schema, is kept as it is.
    e.db.prepare("DELETE FROM meta WHERE key = 'migrations'").run();
    await e.close();
    e = Engine.open({ home, dataDir, parseWorkers: 0 });
    expect(e.rebuiltBecause).toEqual([]);
    await e.sync();
    expect(e.indexer.stats.filesParsed).toBe(0);
    await e.close();
  });

  it('rebuilds when the parser version changes', async () => {
    const dataDir = tmp();
    let e = await indexed(dataDir);
    const files = (e.db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n;
    e.db.prepare("UPDATE meta SET value = '0' WHERE key = 'parser_version'").run();
    await e.close();
    e = Engine.open({ home, dataDir, parseWorkers: 0 });
    expect(e.rebuiltBecause).toEqual(['parser']);
    await e.sync();
    expect(e.indexer.stats.filesParsed).toBe(files);
    await e.close();
  });

  it('keeps the index when the same home is opened through a symlink, and rebuilds it for another home', async () => {
    const dataDir = tmp();
    let e = await indexed(dataDir);
    await e.close();
    const link = path.join(tmp(), 'linked-home');
    fs.symlinkSync(home, link);
    e = Engine.open({ home: link, dataDir, parseWorkers: 0 });
    expect(e.rebuiltBecause).toEqual([]);
    await e.sync();
    expect(e.indexer.stats.filesParsed).toBe(0);
    await e.close();
    const other = copyHome(home, path.join(tmp(), 'other-home'));
    e = Engine.open({ home: other, dataDir, parseWorkers: 0 });
    expect(e.rebuiltBecause).toEqual(['home']);
    await e.close();
  });

  it('moves a corrupt index aside, rebuilds it, and tells the user', async () => {
    const dataDir = tmp();
    const e = await indexed(dataDir);
    const before = await snapshot(e);
    await e.close();
    // Damage the database file's header and first pages (a torn write, a bad disk).
    const file = path.join(dataDir, INDEX_FILE);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(4096, 0x42), 0, 4096, 0);
    fs.closeSync(fd);

    const session = await EngineSession.start({ home, dataDir, live: false });
    try {
      expect(session.startupMessages).toHaveLength(1);
      expect(session.startupMessages[0]).toMatch(/index was damaged .* moved to .*index\.sqlite\.corrupt-.* rebuilt/);
      const aside = fs
        .readdirSync(dataDir)
        .filter((f) => f.startsWith(`${INDEX_FILE}.corrupt-`) && !f.endsWith('.txt') && !f.endsWith('-wal') && !f.endsWith('-shm'));
      expect(aside).toHaveLength(1);
      expect(() => new Database(path.join(dataDir, aside[0]!), { readonly: true }).prepare('SELECT 1 FROM threads').get()).toThrow();
    } finally {
      await session.close();
    }
    const rebuilt = await indexed(dataDir);
    expect(await snapshot(rebuilt)).toEqual(before);
    await rebuilt.close();
  });

  /** Overwrites four pages of a closed index, from `at` (a fraction of the file). */
  function damagePages(dataDir: string, at: number): void {
    const file = path.join(dataDir, INDEX_FILE);
    for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    const pages = fs.statSync(file).size / 4096;
    const first = Math.min(pages - 4, Math.floor(pages * at));
    const fd = fs.openSync(file, 'r+');
    for (let p = first; p < first + 4; p++) fs.writeSync(fd, Buffer.alloc(4096, 0x42), 0, 4096, p * 4096);
    fs.closeSync(fd);
  }

  it('checks a large index after start on a worker, and rebuilds it at the next start when it is damaged', async () => {
    const dataDir = tmp();
    const e = await indexed(dataDir);
    const before = await snapshot(e);
    await e.close();
    // The last pages: what opening reads (the schema, the journal's overlay, the edges) is intact,
    // so only the full check finds the damage.
    damagePages(dataDir, 1);

    // Every index counts as large here: the check runs on the parse worker, after open.
    const damaged = Engine.open({ home, dataDir, parseWorkers: 1, deferIntegrityCheckAtBytes: 0 });
    const messages: string[] = [];
    damaged.events.on((n) => {
      if (n.method === 'spool/message') messages.push(n.params.text);
    });
    expect(damaged.startupMessages).toEqual([]);
    const result = await damaged.integrity;
    await damaged.close();
    expect(result).not.toBe('ok');
    expect(result).not.toBeNull();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/index is damaged .* rebuilt .* next time Spool starts/);

    const next = Engine.open({ home, dataDir, parseWorkers: 0 });
    try {
      expect(next.startupMessages[0]).toMatch(/index was damaged .* moved to .*index\.sqlite\.corrupt-.* rebuilt/);
      await next.sync();
      expect(await snapshot(next)).toEqual(before);
    } finally {
      await next.close();
    }
  });

  it('rebuilds at once a large index whose damage shows while it opens', async () => {
    const dataDir = tmp();
    const e = await indexed(dataDir);
    const before = await snapshot(e);
    await e.close();
    // Pages across the file until one that opening reads is hit (the check itself is deferred).
    for (const at of [0.2, 0.4, 0.6]) damagePages(dataDir, at);
    const next = Engine.open({ home, dataDir, parseWorkers: 1, deferIntegrityCheckAtBytes: 0 });
    try {
      expect(next.startupMessages).toHaveLength(1);
      expect(next.startupMessages[0]).toMatch(/index was damaged .* moved to .*index\.sqlite\.corrupt-.* rebuilt/);
      await next.sync();
      expect(await snapshot(next)).toEqual(before);
      // The new, empty index was checked after start too.
      expect(await next.integrity).toBe('ok');
    } finally {
      await next.close();
    }
  });

  it('checks a healthy large index after start and leaves it alone', async () => {
    const dataDir = tmp();
    await (await indexed(dataDir)).close();
    const e = Engine.open({ home, dataDir, parseWorkers: 1, deferIntegrityCheckAtBytes: 0 });
    expect(await e.integrity).toBe('ok');
    await e.close();
    expect(fs.existsSync(path.join(dataDir, `${INDEX_FILE}.damaged`))).toBe(false);
  });
});
