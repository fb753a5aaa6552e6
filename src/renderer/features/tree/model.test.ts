// The tree model on a real engine answer: visibility under expansion, ARIA positions, and what
// each action would touch, on a generated tree with archived and closed parts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../main/engine/engine.ts';
import { generateAgentTree } from '../../../main/engine/demo/generate.ts';
import type { TreeResult } from '../../../shared/protocol/index.ts';
import { ancestors, applyPatches, archivePlan, indexTree, openDescendants, subtree, unarchivePlan, visibleRows } from './model.ts';

let engine: Engine;
let tree: TreeResult;
beforeAll(async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-tree-model-'));
  const gen = generateAgentTree({ home: path.join(root, 'home'), nodes: 120, seed: 9 });
  engine = Engine.open({ home: path.join(root, 'home'), dataDir: path.join(root, 'data'), parseWorkers: 0 });
  await engine.sync();
  tree = await engine.call('spool/thread/tree', { threadId: gen.rootId });
});
afterAll(() => engine.close());

describe('tree model', () => {
  it('shows the root’s children when only the root is open, every node when all are', () => {
    const idx = indexTree(tree);
    const root = tree.nodes[0]!;
    const top = visibleRows(idx, new Set([root.id]));
    expect(top.map((r) => r.node.id)).toEqual([root.id, ...tree.nodes.filter((n) => n.parentId === root.id).map((n) => n.id)]);
    expect(top.slice(1).map((r) => [r.level, r.posInSet, r.setSize])).toEqual(top.slice(1).map((_, i) => [2, i + 1, root.childCount]));
    const all = visibleRows(idx, new Set(tree.nodes.map((n) => n.id)));
    expect(all.map((r) => r.node.id)).toEqual(tree.nodes.map((n) => n.id));
    expect(all.filter((r) => r.hasChildren).every((r) => r.expanded)).toBe(true);
  });

  it('hides a collapsed subtree and nothing else', () => {
    const idx = indexTree(tree);
    const inner = tree.nodes.find((n) => n.depth === 1 && n.childCount > 0)!;
    const allOpen = new Set(tree.nodes.map((n) => n.id));
    allOpen.delete(inner.id);
    const rows = visibleRows(idx, allOpen).map((r) => r.node.id);
    const hidden = subtree(idx, inner.id)
      .slice(1)
      .map((n) => n.id);
    expect(hidden.length).toBe(inner.descendants.total);
    expect(rows).toEqual(tree.nodes.map((n) => n.id).filter((id) => !hidden.includes(id)));
  });

  it('knows ancestors and what archive, unarchive and clean-up touch', () => {
    const idx = indexTree(tree);
    const leaf = tree.nodes.find((n) => n.depth >= 2)!;
    expect(ancestors(idx, leaf.id).map((n) => n.depth)).toEqual(Array.from({ length: leaf.depth }, (_, i) => i));
    const inner = tree.nodes.find((n) => n.depth === 1 && n.childCount > 0)!;
    const archived = applyPatches(
      tree,
      subtree(idx, inner.id).map((n) => ({ id: n.id, archived: true })),
    );
    const idx2 = indexTree(archived);
    expect(archivePlan(idx2, tree.rootId).length).toBe(tree.nodes.length - inner.descendants.total - 1);
    expect(unarchivePlan(idx2, inner.id).length).toBe(inner.descendants.total + 1);
    expect(openDescendants(idx, tree.rootId).length).toBe(tree.nodes[0]!.descendants.open);
  });

  it('patches edge status only where there is an edge, and keeps the object when nothing changes', () => {
    const root = tree.nodes[0]!;
    expect(applyPatches(tree, [{ id: root.id, edgeStatus: 'closed', closedBy: 'spool' }])).toBe(tree);
    const child = tree.nodes[1]!;
    const patched = applyPatches(tree, [{ id: child.id, edgeStatus: child.edgeStatus === 'open' ? 'closed' : 'open' }]);
    expect(patched).not.toBe(tree);
    expect(patched.nodes[1]!.edgeStatus).not.toBe(child.edgeStatus);
  });
});
