// Rollouts are input Spool does not control: a damaged or hand-edited home can name a parent that
// does not exist, a thread's own id, one of its descendants, or a depth of a billion. No traversal
// may loop or overflow, and every thread stays indexed and reachable.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { agentId, writeAgentRollouts, type AgentSpec } from '../../../../test/support/agent-rollouts.ts';
import { tmpDir } from '../../../../test/support/tmp.ts';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (s: number): number => T0 + s * 1000;

// Orphan family: 10 (missing parent 999) → 11 → 12.
// Two-cycle: 20 → 21 → 20, with 22 hanging off 21.
// Self-parent: 30 → 30, with 31 under it.
// Tail into a cycle: 40 → 41 → 42 → 41.
// Absurd declared depths under a sane root 50: 51 (depth 1e9), 52 (depth -7).
// A chain 300 deep under root 60 (a far deeper one is built straight in the index below).
const CHAIN = 300;
const specs: AgentSpec[] = [
  { id: agentId(10), parent: agentId(999), path: '/root/lost', nickname: 'Lost', createdMs: at(1) },
  { id: agentId(11), parent: agentId(10), path: '/root/lost/kid', createdMs: at(2) },
  { id: agentId(12), parent: agentId(11), path: '/root/lost/kid/grandkid', createdMs: at(3) },
  { id: agentId(20), parent: agentId(21), path: '/root/a', createdMs: at(4) },
  { id: agentId(21), parent: agentId(20), path: '/root/b', createdMs: at(5) },
  { id: agentId(22), parent: agentId(21), path: '/root/b/c', createdMs: at(6) },
  { id: agentId(30), parent: agentId(30), path: '/root/me', createdMs: at(7) },
  { id: agentId(31), parent: agentId(30), path: '/root/me/kid', createdMs: at(8) },
  { id: agentId(40), parent: agentId(41), path: '/root/tail', createdMs: at(9) },
  { id: agentId(41), parent: agentId(42), path: '/root/x', createdMs: at(10) },
  { id: agentId(42), parent: agentId(41), path: '/root/y', createdMs: at(11) },
  { id: agentId(50), createdMs: at(12) },
  { id: agentId(51), parent: agentId(50), path: '/root/deep', depth: 1_000_000_000, createdMs: at(13) },
  { id: agentId(52), parent: agentId(50), path: '/root/negative', depth: -7, createdMs: at(14) },
  { id: agentId(60), createdMs: at(15) },
  ...Array.from({ length: CHAIN }, (_, i): AgentSpec => ({
    id: agentId(10_000 + i),
    parent: i === 0 ? agentId(60) : agentId(10_000 + i - 1),
    createdMs: at(16 + i),
  })),
];

let engine: Engine;
beforeAll(async () => {
  const root = tmpDir('spool-damaged-');
  writeAgentRollouts(path.join(root, 'home'), specs);
  engine = Engine.open({ home: path.join(root, 'home'), dataDir: path.join(root, 'data'), parseWorkers: 0 });
  await engine.sync();
});
afterAll(() => engine.close());

const tree = (n: number) => engine.call('spool/thread/tree', { threadId: agentId(n) });

describe('damaged agent graphs', () => {
  it('keeps a child whose parent is missing as the flagged root of its own tree, and lists it', async () => {
    for (const n of [10, 11, 12]) {
      const t = await tree(n);
      expect(t.rootId).toBe(agentId(10));
      expect(t.nodes.map((x) => x.id)).toEqual([agentId(10), agentId(11), agentId(12)]);
      expect(t.nodes[0]).toMatchObject({ orphan: true, declaredParentId: agentId(999), depth: 0, edgeStatus: 'open' });
      expect(t.nodes.slice(1).every((x) => !x.orphan)).toBe(true);
    }
    const orphans = await engine.call('spool/agent/orphans', {});
    const lost = orphans.data.find((o) => o.threadId === agentId(10));
    expect(lost).toEqual({
      threadId: agentId(10),
      missingParentId: agentId(999),
      agentNickname: 'Lost',
      agentPath: '/root/lost',
      archived: false,
      subtreeSize: 3,
    });
    // The orphan is a thread like any other: thread/list shows it.
    const listed = await engine.call('thread/list', {
      modelProviders: [],
      sourceKinds: ['subAgentThreadSpawn'],
      limit: 100,
      searchTerm: 'SUBTASK: /root/lost',
    });
    expect(listed.data.map((t) => t.id).sort()).toEqual([agentId(10), agentId(11), agentId(12)]);
  });

  it('roots a cycle at its smallest id, the same tree from every member, and flags the edge that closes it', async () => {
    for (const n of [20, 21, 22]) {
      const t = await tree(n);
      expect(t.rootId).toBe(agentId(20));
      expect(t.nodes.map((x) => [x.id, x.depth])).toEqual([
        [agentId(20), 0],
        [agentId(21), 1],
        [agentId(22), 2],
      ]);
      expect(t.nodes[0]).toMatchObject({ cycle: true, orphan: false, declaredParentId: agentId(21) });
    }
    const t = await tree(40);
    expect(t.rootId).toBe(agentId(41));
    expect(t.nodes.map((x) => x.id)).toEqual([agentId(41), agentId(40), agentId(42)]);
  });

  it('treats a thread that names itself as its parent as a root with a cycle flag', async () => {
    const t = await tree(31);
    expect(t.rootId).toBe(agentId(30));
    expect(t.nodes.map((x) => x.id)).toEqual([agentId(30), agentId(31)]);
    expect(t.nodes[0]).toMatchObject({ cycle: true, depth: 0 });
    expect(t.nodes[0]!.descendants.total).toBe(1);
  });

  it('computes depth from the edges, not from the depth a rollout declares', async () => {
    const t = await tree(50);
    expect(t.nodes.map((x) => x.depth)).toEqual([0, 1, 1]);
  });

  it('walks a deep chain from either end, and closes it', async () => {
    const fromLeaf = await tree(10_000 + CHAIN - 1);
    expect(fromLeaf.rootId).toBe(agentId(60));
    expect(fromLeaf.nodes).toHaveLength(CHAIN + 1);
    expect(fromLeaf.nodes[CHAIN]!.depth).toBe(CHAIN);
    expect(fromLeaf.nodes[0]!.descendants.total).toBe(CHAIN);
    const closed = await engine.call('thread/close', { threadId: agentId(60) });
    expect(closed.outcomes).toHaveLength(CHAIN + 1);
    expect((await tree(60)).nodes[0]!.descendants.closed).toBe(CHAIN);
  });

  it('closes and reopens a cycle without looping', async () => {
    const closed = await engine.call('thread/close', { threadId: agentId(21) });
    expect(closed.outcomes.map((o) => o.threadId)).toEqual([agentId(21), agentId(22)]);
    const whole = await engine.call('thread/close', { threadId: agentId(20) });
    // The root of a cycle has an edge too (to its descendant 21): it is closed with the rest.
    expect(whole.outcomes.map((o) => [o.threadId, o.note ?? null])).toEqual([
      [agentId(20), null],
      [agentId(21), 'already closed'],
      [agentId(22), 'already closed'],
    ]);
    const reopened = await engine.call('spool/thread/reopen', { threadId: agentId(20) });
    expect(reopened.outcomes.filter((o) => o.note === undefined).map((o) => o.threadId)).toEqual([agentId(20), agentId(21), agentId(22)]);
    expect((await tree(22)).nodes.every((n) => n.edgeStatus === 'open')).toBe(true);
  });

  it('walks a 100,000-deep chain without overflowing the stack', async () => {
    // Rows straight into the index: the traversals are what is tested, and indexing 100k rollouts
    // would only make the test slow.
    const DEEP = 100_000;
    const ids = Array.from({ length: DEEP + 1 }, (_, i) => agentId(1_000_000 + i));
    const thread = engine.db
      .prepare(`INSERT INTO threads (id, rel_path, created_at_ms, updated_at_ms, recency_at_ms, source, source_kind, model_provider, format)
      VALUES (?, ?, ?, ?, ?, 'exec', 'exec', 'openai', 'paginated')`);
    const edge = engine.db.prepare("INSERT INTO spawn_edges (child_id, parent_id, status) VALUES (?, ?, 'open')");
    engine.db.transaction(() => {
      ids.forEach((id, i) => {
        thread.run(id, `sessions/x/${id}.jsonl`, T0 + 10_000_000 + i, T0 + 10_000_000 + i, T0 + 10_000_000 + i);
        if (i > 0) edge.run(id, ids[i - 1]);
      });
    })();
    const t = await engine.call('spool/thread/tree', { threadId: ids[DEEP]! });
    expect(t.rootId).toBe(ids[0]);
    expect(t.nodes).toHaveLength(DEEP + 1);
    expect(t.nodes[DEEP]!.depth).toBe(DEEP);
    expect(t.nodes[0]!.descendants.total).toBe(DEEP);
    const r = await engine.call('spool/agent/resolve', { threadId: ids[DEEP]!, path: `/root` });
    expect(r.threadId).toBe(ids[0]);
  });

  it('thread/list with ancestorThreadId terminates on a cycle', async () => {
    const r = await engine.call('thread/list', { ancestorThreadId: agentId(20), limit: 100 });
    expect(new Set(r.data.map((t) => t.id))).toEqual(new Set([agentId(20), agentId(21), agentId(22)]));
  });
});
