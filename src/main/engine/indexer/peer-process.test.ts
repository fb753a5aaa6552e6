// Two Spool processes on one data folder (the app and `spool serve`): each watches the home, and
// whichever gets to a change first indexes it. The other finds its index already current and must
// still tell its own clients, or their lists would miss a new rollout until something else moved
// them. A process's own writes, seen again by its watcher, are not announced twice.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import type { AnyNotification, NotificationParams } from '../../../shared/protocol/index.ts';
import { copyHome, realHome, STANDARD_HOME } from '../../../../test/support/real-home.ts';
import { tmpDir } from '../../../../test/support/tmp.ts';
import { waitFor } from '../../../../test/support/wait.ts';
import { gatedPool } from '../../../../test/support/gated-pool.ts';
import type { ParsePool } from './parse-pool.ts';

type Changed = NotificationParams<'spool/index/changed'>;

function changesOf(engine: Engine): Changed[] {
  const seen: Changed[] = [];
  engine.events.on((n: AnyNotification) => {
    if (n.method === 'spool/index/changed') seen.push(n.params);
  });
  return seen;
}

/** A copy of an exec rollout of the real-codex home under a new id, in a day folder of its own. */
function writeNewRollout(home: string, real: ReturnType<typeof realHome>, id: string): string {
  const src = real.manifest.rollouts.find((r) => r.file.startsWith('sessions/') && r.source === 'exec')!;
  const rel = `sessions/2032/02/03/rollout-2032-02-03T00-00-00-${id}.jsonl`;
  fs.mkdirSync(path.dirname(path.join(home, rel)), { recursive: true });
  fs.writeFileSync(path.join(home, rel), fs.readFileSync(path.join(home, src.file), 'utf8').split(src.id).join(id));
  return rel;
}

const open: Engine[] = [];
afterEach(async () => {
  for (const e of open.splice(0)) await e.close();
});

/** A copy of the real-codex home and two engines on one data folder: A indexes it, then B opens (with `poolOfB` if given). */
async function twoProcesses(poolOfB?: ParsePool): Promise<{ real: ReturnType<typeof realHome>; home: string; a: Engine; b: Engine }> {
  const real = realHome(...STANDARD_HOME);
  const home = copyHome(real.home, path.join(tmpDir('spool-home-'), 'home'));
  const dataDir = tmpDir('spool-peer-');
  const a = Engine.open({ home, dataDir, parseWorkers: 0 });
  open.push(a);
  await a.sync();
  const b = Engine.open({ home, dataDir, ...(poolOfB ? { pool: poolOfB } : { parseWorkers: 0 }) });
  open.push(b);
  await b.sync();
  return { real, home, a, b };
}

describe('two Spool processes on one data folder', () => {
  it('announces what the other process indexed first: a new rollout, an append, a move and a removal; never its own writes again', async () => {
    const { real, home, a, b } = await twoProcesses();
    const seenByA = changesOf(a);
    const seenByB = changesOf(b);

    // A new rollout, indexed by A; B's watcher reports it next.
    const id = '0198c0de-0000-7000-8000-0000000e3e11';
    const rel = writeNewRollout(home, real, id);
    await a.indexer.syncPaths([rel]);
    expect(seenByA.map((c) => c.threadIds)).toEqual([[id]]);
    await b.indexer.syncPaths([rel]);
    expect(seenByB).toEqual([{ threadIds: [id], removedIds: [], reason: 'append' }]);

    // Each process's watcher fires again for what it saw: nothing new to say.
    await a.indexer.syncPaths([rel]);
    await b.indexer.syncPaths([rel]);
    expect(seenByA).toHaveLength(1);
    expect(seenByB).toHaveLength(1);

    // An append, indexed by B this time: A hears of it from its own watcher.
    fs.appendFileSync(
      path.join(home, rel),
      `${JSON.stringify({ timestamp: new Date().toISOString(), type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: { total_tokens: 4242 } } } })}\n`,
    );
    await b.indexer.syncPaths([rel]);
    expect(seenByB.at(-1)).toMatchObject({ threadIds: [id], reason: 'append' });
    await a.indexer.syncPaths([rel]);
    expect(seenByA.at(-1)).toEqual({ threadIds: [id], removedIds: [], reason: 'append' });
    expect(seenByA).toHaveLength(2);

    // Moved to archived_sessions/ (as codex archives), indexed by A.
    const archivedRel = `archived_sessions/${path.basename(rel)}`;
    fs.renameSync(path.join(home, rel), path.join(home, archivedRel));
    await a.indexer.syncPaths([rel, archivedRel]);
    expect(seenByA.at(-1)).toMatchObject({ threadIds: [id], reason: 'move' });
    const beforeMove = seenByB.length;
    await b.indexer.syncPaths([rel, archivedRel]);
    expect(seenByB.slice(beforeMove)).toEqual([{ threadIds: [id], removedIds: [], reason: 'move' }]);

    // Removed, indexed by A.
    fs.rmSync(path.join(home, archivedRel));
    await a.indexer.syncPaths([archivedRel]);
    expect(seenByA.at(-1)).toMatchObject({ removedIds: [id], reason: 'delete' });
    const beforeRemoval = seenByB.length;
    await b.indexer.syncPaths([archivedRel]);
    expect(seenByB.slice(beforeRemoval)).toEqual([{ threadIds: [], removedIds: [id], reason: 'delete' }]);
  });

  it('announces a rollout it parsed itself when the other process wrote the same result first', async () => {
    const pool = gatedPool();
    const { real, home, a, b } = await twoProcesses(pool);
    const seenByB = changesOf(b);

    const id = '0198c0de-0000-7000-8000-0000000e3e12';
    const rel = writeNewRollout(home, real, id);
    pool.hold();
    const parsedByB = b.indexer.syncPaths([rel]);
    await waitFor(() => pool.waiting() > 0, "B's parse of the new rollout");
    await a.indexer.syncPaths([rel]);
    pool.release();
    await parsedByB;
    await waitFor(() => seenByB.length > 0, "B's announcement");
    expect(seenByB).toEqual([{ threadIds: [id], removedIds: [], reason: 'append' }]);
  });

  it('announces names the other process read first from session_index.jsonl, once', async () => {
    const { real, home, a, b } = await twoProcesses();
    const renamedForB: NotificationParams<'thread/name/updated'>[] = [];
    b.events.on((n: AnyNotification) => {
      if (n.method === 'thread/name/updated') renamedForB.push(n.params);
    });
    const seenByB = changesOf(b);

    // Codex appends a name; A's watcher gets there first.
    const src = real.manifest.rollouts.find((r) => r.file.startsWith('sessions/'))!;
    fs.appendFileSync(
      path.join(home, 'session_index.jsonl'),
      `${JSON.stringify({ id: src.id, thread_name: 'Named while B looked away', updated_at: new Date().toISOString() })}\n`,
    );
    expect(await a.indexer.syncNames()).toEqual([src.id]);
    expect(await b.indexer.syncNames()).toEqual([src.id]);
    expect(renamedForB).toEqual([{ threadId: src.id, threadName: 'Named while B looked away' }]);
    expect(seenByB).toEqual([{ threadIds: [src.id], removedIds: [], reason: 'name' }]);

    // Read: nothing more to say, whoever looks again.
    expect(await b.indexer.syncNames()).toEqual([]);
    expect(await a.indexer.syncNames()).toEqual([]);

    // A name set through B itself reaches A's clients the same way.
    const renamedForA: string[] = [];
    a.events.on((n: AnyNotification) => {
      if (n.method === 'thread/name/updated') renamedForA.push(`${n.params.threadId} ${n.params.threadName}`);
    });
    await b.call('thread/name/set', { threadId: src.id, name: 'Set in B' });
    expect(await a.indexer.syncNames()).toEqual([src.id]);
    expect(renamedForA).toEqual([`${src.id} Set in B`]);
  });

  it('does not announce its own archive again when its watcher sees the move', async () => {
    const real = realHome(...STANDARD_HOME);
    const home = copyHome(real.home, path.join(tmpDir('spool-home-'), 'home'));
    const a = Engine.open({ home, dataDir: tmpDir('spool-peer-'), parseWorkers: 0 });
    open.push(a);
    await a.sync();
    const src = real.manifest.rollouts.find((r) => r.file.startsWith('sessions/') && r.source === 'exec')!;
    await a.call('thread/archive', { threadId: src.id });
    const seen = changesOf(a);
    await a.indexer.syncPaths([src.file, `archived_sessions/${path.basename(src.file)}`]);
    expect(seen).toEqual([]);
  });
});
