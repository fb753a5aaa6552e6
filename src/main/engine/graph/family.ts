// A thread's family: the tree of spawn edges it belongs to, loaded with two queries (up to the
// root, then the whole subtree of the root), however many nodes it has. Rollouts are input we do
// not control, so the graph may be damaged: a child may name a parent that is not indexed (an
// orphan), itself, or one of its own descendants. Every walk here follows each node at most once,
// so no file can make a traversal loop, and the shape is computed from the edges, never from the
// depth a rollout declares.
import type { Db } from '../db/database.ts';
import { invalidRequest } from '../../../shared/jsonrpc.ts';
import type { TurnStatus } from '../../../shared/protocol/index.ts';
import { parseThreadId } from '../threads/thread-id.ts';
import { nodeRows, upRows, type NodeRow } from './graph-sql.ts';

export interface FamilyNode {
  id: string;
  /** The parent the node's spawn edge names (may be missing from the index, or be a descendant). */
  declaredParentId: string | null;
  /** The parent in the tree as built: null for the root. */
  parentId: string | null;
  children: FamilyNode[];
  depth: number;
  edgeStatus: 'open' | 'closed' | null;
  /** A close_agent call in the parent's rollout closed the edge (what codex's own DB says). */
  codexClosed: boolean;
  /** The journal's word on the edge, if any. */
  userStatus: 'open' | 'closed' | null;
  parentMissing: boolean;
  cycle: boolean;
  agentPath: string | null;
  agentNickname: string | null;
  agentRole: string | null;
  preview: string;
  name: string | null;
  archived: boolean;
  sizeBytes: number;
  createdAtMs: number;
  updatedAtMs: number;
  turnCount: number;
  lastTurnStatus: TurnStatus | null;
}

export interface Family {
  root: FamilyNode;
  byId: Map<string, FamilyNode>;
  /** Pre-order, siblings by (created, id). */
  order: FamilyNode[];
}

/**
 * The root of `id`'s family: its top-most indexed ancestor; in a cycle, the cycle's smallest id.
 * Null when `id` itself is not indexed.
 */
export function findRoot(db: Db, id: string): string | null {
  const rows = upRows(db, id);
  const parentOf = new Map<string, string | null>();
  const present = new Set<string>();
  for (const r of rows) {
    parentOf.set(r.id, r.parent_id);
    if (r.present) present.add(r.id);
  }
  if (!present.has(id)) return null;
  const seen: string[] = [];
  const seenSet = new Set<string>();
  let cur = id;
  for (;;) {
    seen.push(cur);
    seenSet.add(cur);
    const parent = parentOf.get(cur) ?? null;
    if (parent === null || !present.has(parent)) return cur;
    if (seenSet.has(parent)) {
      // A cycle: the walk came back to `parent`. Root the family at the cycle's smallest id, so
      // every member of the cycle (and everything hanging off it) gets the same tree.
      const cycle = seen.slice(seen.indexOf(parent));
      return cycle.reduce((a, b) => (b < a ? b : a));
    }
    cur = parent;
  }
}

const turnStatus = (s: string | null): TurnStatus | null => {
  if (s === null) return null;
  // A thread Spool shows is never running: codex reports its unfinished turn as interrupted.
  if (s === 'inProgress') return 'interrupted';
  return s === 'completed' || s === 'failed' || s === 'interrupted' ? s : null;
};

function toNode(r: NodeRow): FamilyNode {
  return {
    id: r.id,
    declaredParentId: r.parent_id,
    parentId: null,
    children: [],
    depth: 0,
    edgeStatus: r.edge_status === 'open' || r.edge_status === 'closed' ? r.edge_status : null,
    codexClosed: r.codex_closed_at_ms !== null,
    userStatus: r.user_status === 'open' || r.user_status === 'closed' ? r.user_status : null,
    parentMissing: r.parent_id !== null && !r.parent_present,
    cycle: false,
    agentPath: r.agent_path,
    agentNickname: r.agent_nickname,
    agentRole: r.agent_role,
    preview: r.preview,
    name: r.name,
    archived: r.archived === 1,
    sizeBytes: r.size_bytes,
    createdAtMs: r.created_at_ms,
    updatedAtMs: r.updated_at_ms,
    turnCount: r.turn_count,
    lastTurnStatus: turnStatus(r.last_turn_status),
  };
}

const bySpawnOrder = (a: FamilyNode, b: FamilyNode): number => a.createdAtMs - b.createdAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Loads the family of `threadId` (two queries). Throws codex's errors for a bad or unknown id. */
export function loadFamily(db: Db, rawId: string): Family {
  const id = parseThreadId(rawId);
  const rootId = findRoot(db, id);
  if (rootId === null) throw invalidRequest(`thread not loaded: ${id}`);
  const rows = nodeRows(db, rootId);
  const byId = new Map<string, FamilyNode>();
  for (const r of rows) byId.set(r.id, toNode(r));
  const root = byId.get(rootId)!;
  for (const n of byId.values()) {
    if (n === root) continue;
    const parent = n.declaredParentId === null ? undefined : byId.get(n.declaredParentId);
    // Every non-root row was reached through its edge, so its parent is here.
    if (parent) parent.children.push(n);
  }
  if (root.declaredParentId !== null && byId.has(root.declaredParentId)) root.cycle = true;

  // Pre-order with an explicit stack (a deep chain must not overflow the call stack); each node
  // is visited once even if a damaged graph offered it twice.
  const order: FamilyNode[] = [];
  const visited = new Set<string>();
  const stack: FamilyNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (visited.has(n.id)) continue;
    visited.add(n.id);
    order.push(n);
    n.children = n.children.filter((c) => c !== root).sort(bySpawnOrder);
    for (let i = n.children.length - 1; i >= 0; i--) {
      const c = n.children[i]!;
      c.parentId = n.id;
      c.depth = n.depth + 1;
      stack.push(c);
    }
  }
  return { root, byId, order };
}

/** The subtree of `node` in pre-order (the node first). */
export function subtreeOf(node: FamilyNode): FamilyNode[] {
  const out: FamilyNode[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]!);
  }
  return out;
}
