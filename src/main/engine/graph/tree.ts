// spool/thread/tree: a thread's whole family in one answer, with per-node descendant counts.
import type { Db } from '../db/database.ts';
import type { TreeCounts, TreeNode, TreeResult } from '../../../shared/protocol/index.ts';
import { loadFamily, type FamilyNode } from './family.ts';

export function closedByOf(n: FamilyNode): TreeNode['closedBy'] {
  if (n.edgeStatus !== 'closed') return null;
  // The journal only wins over a codex close when it is the later fact (migration 0020), and then
  // it says closed too only if the user closed it.
  return n.userStatus === 'closed' ? 'spool' : 'codex';
}

export function buildTree(db: Db, threadId: string): TreeResult {
  const fam = loadFamily(db, threadId);
  const counts = new Map<string, TreeCounts>();
  for (const n of fam.order) counts.set(n.id, { total: 0, open: 0, closed: 0, archived: 0, bytes: 0 });
  // Children come after their parent in pre-order: walking backwards folds each subtree into its
  // parent exactly once.
  for (let i = fam.order.length - 1; i > 0; i--) {
    const n = fam.order[i]!;
    const mine = counts.get(n.id)!;
    const up = counts.get(n.parentId!)!;
    up.total += mine.total + 1;
    up.open += mine.open + (n.edgeStatus === 'open' ? 1 : 0);
    up.closed += mine.closed + (n.edgeStatus === 'closed' ? 1 : 0);
    up.archived += mine.archived + (n.archived ? 1 : 0);
    up.bytes += mine.bytes + n.sizeBytes;
  }
  const nodes: TreeNode[] = fam.order.map((n) => ({
    id: n.id,
    parentId: n.parentId,
    depth: n.depth,
    agentPath: n.agentPath,
    agentNickname: n.agentNickname,
    agentRole: n.agentRole,
    preview: n.preview,
    name: n.name,
    archived: n.archived,
    status: { type: 'notLoaded' },
    lastTurnStatus: n.lastTurnStatus,
    turnCount: n.turnCount,
    edgeStatus: n.edgeStatus,
    closedBy: closedByOf(n),
    orphan: n === fam.root && n.parentMissing,
    declaredParentId: n === fam.root ? n.declaredParentId : null,
    cycle: n.cycle,
    sizeBytes: n.sizeBytes,
    createdAtMs: n.createdAtMs,
    updatedAtMs: n.updatedAtMs,
    childCount: n.children.length,
    descendants: counts.get(n.id)!,
  }));
  return { rootId: fam.root.id, threadId: threadId.toLowerCase(), nodes };
}
