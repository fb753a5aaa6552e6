// Cascades on a large generated tree (the shape heavy users have): counts, batching and progress,
// and the v1-resume walk of reopen checked against the generator's own record of the tree.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { generateAgentTree, type AgentTreeSummary } from '../demo/generate.ts';
import type { AnyNotification } from '../../../shared/protocol/index.ts';
import { JOURNAL_FILE } from '../user/journal.ts';

const NODES = 500;
let engine: Engine;
let gen: AgentTreeSummary;
let dataDir: string;
const notes: AnyNotification[] = [];

beforeAll(async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-cascade-'));
  gen = generateAgentTree({ home: path.join(root, 'home'), nodes: NODES, seed: 3, closedFraction: 0.25 });
  dataDir = path.join(root, 'data');
  engine = Engine.open({ home: path.join(root, 'home'), dataDir, parseWorkers: 0 });
  engine.events.on((n) => notes.push(n));
  await engine.sync();
});
afterAll(() => engine.close());

describe('cascades on a 500-node tree', () => {
  it('counts the tree as the generator wrote it', async () => {
    const t = await engine.call('spool/thread/tree', { threadId: gen.ids[NODES - 1]! });
    expect(t.rootId).toBe(gen.rootId);
    expect(t.nodes).toHaveLength(NODES);
    expect(new Set(t.nodes.map((n) => n.id))).toEqual(new Set(gen.ids));
    for (const n of t.nodes.slice(1)) expect(n.parentId).toBe(gen.parentOf.get(n.id));
    expect(t.nodes[0]!.descendants).toMatchObject({
      total: NODES - 1,
      closed: gen.closedIds.length,
      open: NODES - 1 - gen.closedIds.length,
      archived: 0,
    });
    const bytes = gen.files.slice(1).reduce((s, f) => s + fs.statSync(f).size, 0);
    expect(t.nodes[0]!.descendants.bytes).toBe(bytes);
  });

  it('closes the whole tree in batches, with progress after each', async () => {
    notes.length = 0;
    const dry = await engine.call('thread/close', { threadId: gen.rootId, dryRun: true });
    expect(notes).toEqual([]);
    expect(engine.db.prepare("SELECT count(*) AS n FROM spawn_edges WHERE status = 'open'").get()).toEqual({
      n: NODES - 1 - gen.closedIds.length,
    });
    const r = await engine.call('thread/close', { threadId: gen.rootId, operationId: 'big' });
    expect(r.outcomes).toHaveLength(NODES);
    expect(r.outcomes.every((o) => o.ok)).toBe(true);
    expect(r.outcomes.filter((o) => o.note === 'already closed')).toHaveLength(gen.closedIds.length);
    expect(r.outcomes).toEqual(dry.outcomes);
    const progress = notes.filter((n) => n.method === 'spool/operation/progress').map((n) => (n.params as { done: number }).done);
    expect(progress).toEqual([0, 100, 200, 300, 400, 500]);
    // One thread/closed for the root and one for each edge this call closed.
    expect(notes.filter((n) => n.method === 'thread/closed')).toHaveLength(NODES - gen.closedIds.length);
    const t = await engine.call('spool/thread/tree', { threadId: gen.rootId });
    expect(t.nodes[0]!.descendants).toMatchObject({ open: 0, closed: NODES - 1 });
  });

  it('reopens along open edges only, leaving codex’s closes and everything under them closed', async () => {
    // Expected from the generator's record: breadth-first from the root through children that
    // their parent did not close_agent.
    const closed = new Set(gen.closedIds);
    const kids = new Map<string, string[]>();
    for (const [c, p] of gen.parentOf) kids.set(p, [...(kids.get(p) ?? []), c]);
    const expected = new Set<string>();
    const queue = [gen.rootId];
    for (let i = 0; i < queue.length; i++) {
      for (const c of kids.get(queue[i]!) ?? []) {
        if (closed.has(c)) continue;
        expected.add(c);
        queue.push(c);
      }
    }
    const r = await engine.call('spool/thread/reopen', { threadId: gen.rootId });
    expect(new Set(r.outcomes.filter((o) => o.note === undefined).map((o) => o.threadId))).toEqual(expected);
    const t = await engine.call('spool/thread/tree', { threadId: gen.rootId });
    for (const n of t.nodes.slice(1)) expect(n.edgeStatus).toBe(expected.has(n.id) ? 'open' : 'closed');
    expect(expected.size).toBeGreaterThan(50);
    expect(expected.size).toBeLessThan(NODES - 1);
  });

  it('changes nothing and says so when the journal cannot be written', async () => {
    const journal = path.join(dataDir, JOURNAL_FILE);
    const saved = fs.readFileSync(journal);
    fs.rmSync(journal);
    fs.mkdirSync(journal); // appending to a directory fails, as on a full or read-only disk
    const before = engine.db.prepare('SELECT child_id, status FROM spawn_edges ORDER BY child_id').all();
    try {
      await expect(engine.call('thread/close', { threadId: gen.rootId })).rejects.toMatchObject({
        code: -32603,
        message: expect.stringMatching(/^could not record the close: /),
      });
      expect(engine.db.prepare('SELECT child_id, status FROM spawn_edges ORDER BY child_id').all()).toEqual(before);
    } finally {
      fs.rmSync(journal, { recursive: true });
      fs.writeFileSync(journal, saved);
    }
  });
});
