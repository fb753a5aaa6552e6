// Pure helpers over a tree answer (pre-order nodes): what is visible under the current expansion,
// ARIA positions, subtrees, and what each action would touch. The engine's nodes come in
// pre-order, so a node's subtree is the contiguous run that follows it.
import type { TreeNode, TreeResult } from '../../../shared/protocol/index.ts';

export interface VisibleRow {
  node: TreeNode;
  /** aria-level (1-based). */
  level: number;
  setSize: number;
  posInSet: number;
  hasChildren: boolean;
  expanded: boolean;
}

export interface TreeIndex {
  nodes: TreeNode[];
  byId: Map<string, TreeNode>;
  /** Position of each node in `nodes`. */
  indexOf: Map<string, number>;
  /** [position among siblings (1-based), number of siblings]. */
  siblings: Map<string, [number, number]>;
}

export function indexTree(tree: TreeResult): TreeIndex {
  const byId = new Map<string, TreeNode>();
  const indexOf = new Map<string, number>();
  const childCount = new Map<string | null, number>();
  const siblings = new Map<string, [number, number]>();
  tree.nodes.forEach((n, i) => {
    byId.set(n.id, n);
    indexOf.set(n.id, i);
    const k = (childCount.get(n.parentId) ?? 0) + 1;
    childCount.set(n.parentId, k);
    siblings.set(n.id, [k, 0]);
  });
  for (const n of tree.nodes) siblings.get(n.id)![1] = childCount.get(n.parentId)!;
  return { nodes: tree.nodes, byId, indexOf, siblings };
}

/** The rows shown: every node whose ancestors are all expanded, in pre-order. */
export function visibleRows(idx: TreeIndex, expanded: ReadonlySet<string>): VisibleRow[] {
  const rows: VisibleRow[] = [];
  let hideDeeperThan = Infinity;
  for (const n of idx.nodes) {
    if (n.depth > hideDeeperThan) continue;
    hideDeeperThan = Infinity;
    const hasChildren = n.childCount > 0;
    const isOpen = hasChildren && expanded.has(n.id);
    const [pos, size] = idx.siblings.get(n.id)!;
    rows.push({ node: n, level: n.depth + 1, setSize: size, posInSet: pos, hasChildren, expanded: isOpen });
    if (hasChildren && !isOpen) hideDeeperThan = n.depth;
  }
  return rows;
}

/** The node and all its descendants, in pre-order. */
export function subtree(idx: TreeIndex, id: string): TreeNode[] {
  const i = idx.indexOf.get(id);
  if (i === undefined) return [];
  const n = idx.nodes[i]!;
  return idx.nodes.slice(i, i + 1 + n.descendants.total);
}

/** The node's ancestors, root first. */
export function ancestors(idx: TreeIndex, id: string): TreeNode[] {
  const out: TreeNode[] = [];
  let cur = idx.byId.get(id);
  while (cur && cur.parentId !== null) {
    cur = idx.byId.get(cur.parentId);
    if (cur) out.unshift(cur);
  }
  return out;
}

/** What thread/archive on `id` archives: the node and its descendants not yet archived (codex §5.4). */
export const archivePlan = (idx: TreeIndex, id: string): TreeNode[] => subtree(idx, id).filter((n) => !n.archived);
/** What thread/unarchive on `id` restores: the node and its archived descendants (codex 0.169 cascades). */
export const unarchivePlan = (idx: TreeIndex, id: string): TreeNode[] => subtree(idx, id).filter((n) => n.archived);
/** Sub-agents still open under `id`: the stale children a clean-up closes. */
export const openDescendants = (idx: TreeIndex, id: string): TreeNode[] =>
  subtree(idx, id)
    .slice(1)
    .filter((n) => n.edgeStatus === 'open');

/** Threads of the subtree written to recently: they may still be running in codex. */
export function recentlyActive(idx: TreeIndex, id: string, now: number, windowMs: number): TreeNode[] {
  return subtree(idx, id).filter((n) => now - n.updatedAtMs < windowMs);
}

/** The label of a node: the agent's nickname (and role), else the thread's name or preview. */
export function nodeLabel(n: TreeNode): string {
  if (n.agentNickname) return n.agentNickname;
  const text = n.name ?? n.preview;
  if (text) return text.split('\n')[0]!;
  return n.agentPath ?? n.id;
}

/** A change told by a notification, applied before the next fetch brings the counts. */
export type NodePatch = { id: string; edgeStatus?: 'open' | 'closed'; closedBy?: TreeNode['closedBy']; archived?: boolean };

export function applyPatches(tree: TreeResult, patches: NodePatch[]): TreeResult {
  if (patches.length === 0) return tree;
  const byId = new Map(patches.map((p) => [p.id, p]));
  let changed = false;
  const nodes = tree.nodes.map((n) => {
    const p = byId.get(n.id);
    if (!p) return n;
    const next: TreeNode = {
      ...n,
      ...(p.edgeStatus !== undefined && n.edgeStatus !== null ? { edgeStatus: p.edgeStatus } : {}),
      ...(p.closedBy !== undefined && n.edgeStatus !== null ? { closedBy: p.closedBy } : {}),
      ...(p.archived !== undefined ? { archived: p.archived } : {}),
    };
    changed ||= next.edgeStatus !== n.edgeStatus || next.archived !== n.archived || next.closedBy !== n.closedBy;
    return next;
  });
  return changed ? { ...tree, nodes } : tree;
}
