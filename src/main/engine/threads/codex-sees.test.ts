// What Spool changes in a home, the real codex sees: archive and unarchive moves, names and git
// edits, read back through `codex app-server`. Where codex cannot see a change (it keeps that
// field in its own database, which Spool never writes), the test pins codex's behaviour so the
// docs/CODEX-COMPAT.md's explanation stays true.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { ALL_SOURCE_KINDS, type Thread, type ThreadListResult } from '../../../shared/protocol/index.ts';
import { realHome, STANDARD_HOME } from '../../../../test/support/real-home.ts';
import { differentialHome, MIXED_HOME, startAppServer, type AppServerPeer } from '../../../../test/support/appserver.ts';

const ALL = { sourceKinds: [...ALL_SOURCE_KINDS], modelProviders: [], limit: 100 };
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function spoolOn(home: string): Promise<Engine> {
  const e = Engine.open({ home, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'spool-sees-')), parseWorkers: 0 });
  cleanup.push(() => e.close());
  await e.sync();
  return e;
}

async function codexOn(home: string, fresh: boolean): Promise<AppServerPeer> {
  // A fresh codex has no state DB yet and builds it from the rollouts, as on a new machine.
  if (fresh) for (const f of fs.readdirSync(home)) if (/\.sqlite(-wal|-shm)?$/.test(f)) fs.rmSync(path.join(home, f));
  const peer = await startAppServer(home);
  cleanup.push(() => peer.close());
  return peer;
}

const treeOf = (e: Engine): { root: string; all: string[] } => {
  const root = (
    e.db.prepare('SELECT parent_id FROM spawn_edges GROUP BY parent_id ORDER BY count(*) DESC, parent_id LIMIT 1').get() as {
      parent_id: string;
    }
  ).parent_id;
  const kids = (e.db.prepare('SELECT child_id FROM spawn_edges WHERE parent_id = ?').all(root) as { child_id: string }[]).map(
    (r) => r.child_id,
  );
  return { root, all: [root, ...kids] };
};

const listed = async (codex: AppServerPeer, archived: boolean, useStateDbOnly = false): Promise<Set<string>> =>
  new Set(
    (await codex.call<ThreadListResult>('thread/list', { ...ALL, archived, ...(useStateDbOnly ? { useStateDbOnly } : {}) })).data.map(
      (t) => t.id,
    ),
  );

describe('codex sees what Spool changed', () => {
  it('archive and unarchive: codex lists the threads where Spool moved them', async () => {
    const home = differentialHome(realHome(...STANDARD_HOME).home);
    const e = await spoolOn(home);
    const tree = treeOf(e);
    await e.call('thread/archive', { threadId: tree.root });
    let codex = await codexOn(home, true);
    for (const dbOnly of [false, true]) {
      const archived = await listed(codex, true, dbOnly);
      const active = await listed(codex, false, dbOnly);
      for (const id of tree.all) {
        expect(archived.has(id), id).toBe(true);
        expect(active.has(id), id).toBe(false);
      }
    }
    for (const id of tree.all) {
      const mine = (await e.call('thread/read', { threadId: id })).thread;
      const theirs = (await codex.call<{ thread: Thread }>('thread/read', { threadId: id })).thread;
      expect(theirs.path).toBe(mine.path);
      // Codex's backfill hands out updated_at through an allocator that bumps a file's mtime by up
      // to a second when files were written close together (the documented difference; see
      // codex-parity.test.ts). This home's copies can be.
      expect(theirs.updatedAt - mine.updatedAt, id).toBeGreaterThanOrEqual(0);
      expect(theirs.updatedAt - mine.updatedAt, id).toBeLessThanOrEqual(1);
    }
    await codex.close();

    const { thread } = await e.call('thread/unarchive', { threadId: tree.root });
    codex = await codexOn(home, true);
    const active = await listed(codex, false);
    for (const id of tree.all) {
      const mine = (await e.call('thread/read', { threadId: id })).thread;
      const theirs = (await codex.call<{ thread: Thread }>('thread/read', { threadId: id })).thread;
      expect(theirs.path, id).toBe(mine.path);
      expect(theirs.path, id).toMatch(/\/sessions\/\d{4}\/\d{2}\/\d{2}\//);
      // Codex's active listing leaves out threads without a preview (multi-agent v2 sub-agents).
      expect(active.has(id), id).toBe(mine.preview !== '');
    }
    expect((await codex.call<{ thread: Thread }>('thread/read', { threadId: tree.root })).thread.updatedAt).toBe(thread.updatedAt);
  });

  it('a codex whose state DB predates Spool’s archive loses sight of the thread until that DB is rebuilt (docs/CODEX-COMPAT.md)', async () => {
    const home = differentialHome(realHome(...STANDARD_HOME).home);
    const e = await spoolOn(home);
    const tree = treeOf(e);
    await (await codexOn(home, true)).close();
    await e.call('thread/archive', { threadId: tree.root });
    const codex = await codexOn(home, false);
    expect((await listed(codex, true)).has(tree.root)).toBe(false);
    expect((await listed(codex, false)).has(tree.root)).toBe(false);
    expect((await codex.request('thread/unarchive', { threadId: tree.root })).error?.message).toBe(
      `no archived rollout found for thread id ${tree.root}`,
    );
    await codex.close();
    const rebuilt = await codexOn(home, true);
    expect((await listed(rebuilt, true)).has(tree.root)).toBe(true);
  });

  it('names: codex shows a legacy thread’s name at once; a paginated thread’s name only its search finds (docs/CODEX-COMPAT.md)', async () => {
    const home = differentialHome(realHome(...MIXED_HOME).home);
    const e = await spoolOn(home);
    const codex = await codexOn(home, true);
    const legacy = (
      e.db
        .prepare("SELECT id FROM threads WHERE format = 'legacy' AND archived = 0 AND preview <> '' ORDER BY created_at_ms LIMIT 1")
        .get() as { id: string }
    ).id;
    const paginated = (
      e.db
        .prepare("SELECT id FROM threads WHERE format = 'paginated' AND archived = 0 AND preview <> '' ORDER BY created_at_ms LIMIT 1")
        .get() as { id: string }
    ).id;

    await e.call('thread/name/set', { threadId: legacy, name: 'Named in Spool' });
    expect((await codex.call<{ thread: Thread }>('thread/read', { threadId: legacy })).thread.name).toBe('Named in Spool');
    const row = (await codex.call<ThreadListResult>('thread/list', ALL)).data.find((t) => t.id === legacy);
    expect(row?.name).toBe('Named in Spool');

    await e.call('thread/name/set', { threadId: paginated, name: 'Paginated, named in Spool' });
    expect((await codex.call<{ thread: Thread }>('thread/read', { threadId: paginated })).thread.name).toBeNull();
    const found = await codex.call<ThreadListResult>('thread/list', { ...ALL, searchTerm: 'Paginated, named in Spool' });
    expect(found.data.map((t) => t.id)).toEqual([paginated]);
  });

  it('git edits: codex reads a legacy thread’s edit from its rollout; a paginated thread keeps codex’s values (docs/CODEX-COMPAT.md)', async () => {
    const home = differentialHome(realHome(...MIXED_HOME).home);
    const e = await spoolOn(home);
    const live = await codexOn(home, true);
    const legacy = (
      e.db
        .prepare("SELECT id FROM threads WHERE format = 'legacy' AND archived = 0 AND git_sha IS NOT NULL ORDER BY created_at_ms LIMIT 1")
        .get() as { id: string }
    ).id;
    const paginated = (
      e.db
        .prepare(
          "SELECT id FROM threads WHERE format = 'paginated' AND archived = 0 AND git_sha IS NOT NULL ORDER BY created_at_ms LIMIT 1",
        )
        .get() as { id: string }
    ).id;
    const before = new Map<string, Thread['gitInfo']>();
    for (const id of [legacy, paginated])
      before.set(id, (await live.call<{ thread: Thread }>('thread/read', { threadId: id })).thread.gitInfo);

    const mine = new Map<string, Thread['gitInfo']>();
    for (const id of [legacy, paginated]) {
      mine.set(
        id,
        (
          await e.call('thread/metadata/update', {
            threadId: id,
            gitInfo: { branch: 'spool/edit', sha: null, originUrl: 'https://token@example.com/acme/r.git' },
          })
        ).thread.gitInfo,
      );
    }
    expect(mine.get(legacy)).toEqual({ sha: null, branch: 'spool/edit', originUrl: 'https://example.com/acme/r.git' });
    // A running codex keeps the values its DB already had (they outrank the rollout in codex).
    expect((await live.call<{ thread: Thread }>('thread/read', { threadId: legacy })).thread.gitInfo).toEqual(before.get(legacy));
    await live.close();

    const fresh = await codexOn(home, true);
    expect((await fresh.call<{ thread: Thread }>('thread/read', { threadId: legacy })).thread.gitInfo).toEqual(mine.get(legacy));
    // Codex keeps a paginated thread's git edits in its DB only, which Spool does not write.
    expect((await fresh.call<{ thread: Thread }>('thread/read', { threadId: paginated })).thread.gitInfo).toEqual(before.get(paginated));
  });
});
