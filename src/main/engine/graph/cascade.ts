// Cascading close and reopen of agent trees. Both change only Spool's user journal (and the index
// that caches it): rollouts are never touched, so codex's files stay byte-for-byte as they were.
//
// thread/close X: X's spawn edge and every descendant's edge become closed — what codex's
// `close_agent` does to a child's edge, applied to the whole subtree (codex closes the child's
// edge and shuts its live descendants down; Spool has no live agents, so it closes their edges).
//
// spool/thread/reopen X: codex's multi-agent v1 resume (docs/FORMAT.md §5.3) — resume X, then walk
// the children breadth-first through open edges. In Spool, "resume" means the edge is open again:
//   * X's own edge is reopened (the user asked for it, even if codex closed it);
//   * a descendant closed in Spool only (codex's rollouts say it was still open) is reopened and
//     walked, since codex would resume it;
//   * a descendant whose edge codex itself closed (a close_agent call) stays closed and its
//     subtree is not walked: codex never resumes a closed edge;
//   * an archived descendant stays as it is (codex cannot resume an archived thread).
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { internalError, invalidRequest } from '../../../shared/jsonrpc.ts';
import type { CascadeResult, ThreadCloseParams, ThreadOutcome, ThreadReopenParams } from '../../../shared/protocol/index.ts';
import type { EngineContext } from '../context.ts';
import { nowIso, type EdgeRecord } from '../user/records.ts';
import { loadFamily, subtreeOf, type FamilyNode } from './family.ts';

/** Threads per journal append and transaction: keeps each step of a big cascade short. */
export const CASCADE_BATCH = 100;

interface Step {
  node: FamilyNode;
  /** The edge record to write, or null when nothing changes for this thread. */
  record: EdgeRecord | null;
  note?: string;
}

type Kind = 'close' | 'reopen';

export class GraphOperations {
  private readonly ctx: EngineContext;
  private readonly batchSize: number;
  /** One cascade at a time: a second one plans against the state the first one left. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(ctx: EngineContext, batchSize = CASCADE_BATCH) {
    this.ctx = ctx;
    this.batchSize = batchSize;
  }

  close(params: ThreadCloseParams): Promise<CascadeResult> {
    return this.serial(() => this.run('close', params));
  }

  reopen(params: ThreadReopenParams): Promise<CascadeResult> {
    return this.serial(() => this.run('reopen', params));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async run(kind: Kind, params: ThreadCloseParams): Promise<CascadeResult> {
    const fam = loadFamily(this.ctx.db, params.threadId);
    const target = fam.byId.get(params.threadId.toLowerCase())!;
    const at = nowIso();
    const steps = kind === 'close' ? planClose(target, at) : planReopen(target, at);
    if (params.dryRun === true)
      return { outcomes: steps.map((s) => ({ threadId: s.node.id, ok: true, ...(s.note ? { note: s.note } : {}) })) };
    return this.apply(kind, target, steps, params.operationId ?? null);
  }

  private async apply(kind: Kind, target: FamilyNode, steps: Step[], operationId: string | null): Promise<CascadeResult> {
    const { events, overlay } = this.ctx;
    const outcomes: ThreadOutcome[] = [];
    const total = steps.length;
    const progress = (done: number): void => {
      if (operationId !== null) events.emit('spool/operation/progress', { operationId, done, total });
    };
    progress(0);
    // Planning already took a step of its own (loading the family): let others run first.
    await yieldToLoop();
    let failure: Error | null = null;
    for (let i = 0; i < steps.length; i += this.batchSize) {
      const batch = steps.slice(i, i + this.batchSize);
      if (failure === null) {
        const records = batch.flatMap((s) => (s.record ? [s.record] : []));
        try {
          // The journal line is the commit point; the index follows in the same call.
          overlay.record(records);
        } catch (err) {
          failure = err instanceof Error ? err : new Error(String(err));
        }
      }
      const changed: string[] = [];
      for (const s of batch) {
        if (failure !== null) {
          outcomes.push({ threadId: s.node.id, ok: false, error: failure.message });
          continue;
        }
        outcomes.push({ threadId: s.node.id, ok: true, ...(s.note ? { note: s.note } : {}) });
        if (s.record) changed.push(s.node.id);
        if (s.record || s.node === target) {
          if (kind === 'close') events.emit('thread/closed', { threadId: s.node.id });
          else events.emit('spool/thread/reopened', { threadId: s.node.id });
        }
      }
      if (changed.length > 0) events.emit('spool/index/changed', { threadIds: changed, removedIds: [], reason: 'edge' });
      progress(Math.min(total, i + batch.length));
      // Let requests and other work in between the steps of a large cascade.
      if (i + this.batchSize < steps.length) await yieldToLoop();
    }
    if (failure !== null && outcomes.every((o) => !o.ok)) throw internalError(`could not record the ${kind}: ${failure.message}`);
    return { outcomes };
  }
}

const edgeRecord = (n: FamilyNode, status: 'open' | 'closed', at: string): EdgeRecord | null =>
  n.declaredParentId === null ? null : { v: 1, at, type: 'edge', childId: n.id, parentId: n.declaredParentId, status };

/** Every thread of the subtree, X first; an edge not yet closed gets a close record. */
export function planClose(target: FamilyNode, at: string): Step[] {
  return subtreeOf(target).map((n) => {
    if (n.edgeStatus === null) return { node: n, record: null, note: 'no spawn edge (a root thread): its sub-agents are closed' };
    if (n.edgeStatus === 'closed') return { node: n, record: null, note: 'already closed' };
    return { node: n, record: edgeRecord(n, 'closed', at) };
  });
}

/** X, then codex's v1 resume walk: breadth-first through open edges (see the header). */
export function planReopen(target: FamilyNode, at: string): Step[] {
  if (target.archived) throw invalidRequest(`thread is archived: ${target.id} (unarchive it before reopening)`);
  const steps: Step[] = [];
  if (target.edgeStatus === null) steps.push({ node: target, record: null, note: 'no spawn edge (a root thread)' });
  else if (target.edgeStatus === 'open') steps.push({ node: target, record: null, note: 'already open' });
  else steps.push({ node: target, record: edgeRecord(target, 'open', at) });
  const queue: FamilyNode[] = [target];
  for (let q = 0; q < queue.length; q++) {
    for (const c of queue[q]!.children) {
      if (c.archived) {
        steps.push({ node: c, record: null, note: 'archived: not reopened' });
      } else if (c.edgeStatus === 'open') {
        steps.push({ node: c, record: null, note: 'already open' });
        queue.push(c);
      } else if (c.codexClosed) {
        steps.push({ node: c, record: null, note: 'closed by codex: stays closed, like codex’s own resume' });
      } else {
        steps.push({ node: c, record: edgeRecord(c, 'open', at) });
        queue.push(c);
      }
    }
  }
  return steps;
}
