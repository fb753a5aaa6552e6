// The actions on a tree node: what each will touch (for the confirmation), and running it with
// progress and an outcome per thread. Close and reopen report progress through
// `spool/operation/progress`; archive and unarchive (codex's methods, which take no operation id)
// are followed by counting their per-thread notifications.
import { getBridge } from '../../bridge/index.ts';
import type { ThreadOutcome, TreeNode } from '../../../shared/protocol/index.ts';
import { archivePlan, nodeLabel, openDescendants, recentlyActive, subtree, unarchivePlan, type TreeIndex } from './model.ts';

export type ActionKind = 'close' | 'reopen' | 'archive' | 'unarchive' | 'cleanup';

export const ACTION_LABELS: Record<ActionKind, string> = {
  close: 'Close subtree',
  reopen: 'Reopen',
  archive: 'Archive subtree',
  unarchive: 'Unarchive subtree',
  cleanup: 'Close stale & archive tree',
};

/** A thread written to in the last 10 minutes may still be running in codex. */
export const ACTIVE_WINDOW_MS = 10 * 60_000;

export interface Plan {
  kind: ActionKind;
  node: TreeNode;
  title: string;
  /** How many threads the action touches. */
  count: number;
  lines: string[];
  warning: string | null;
  confirmLabel: string;
  danger: boolean;
}

export interface OutcomeRow extends ThreadOutcome {
  label: string;
  /** The action changed this thread (rather than finding it already so, or skipping it). */
  changed: boolean;
}

const DONE_NOTE: Record<ActionKind, string> = {
  close: 'closed',
  reopen: 'reopened',
  archive: 'archived',
  unarchive: 'unarchived',
  cleanup: 'archived',
};

export interface OperationState {
  kind: ActionKind;
  label: string;
  phase: string;
  done: number;
  total: number;
  finished: boolean;
  outcomes: OutcomeRow[];
  error: string | null;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** Why an action is not available on a node, or null when it is. */
export function unavailable(kind: ActionKind, n: TreeNode): string | null {
  switch (kind) {
    case 'close':
      return n.edgeStatus !== 'open' && n.descendants.open === 0 ? 'Nothing open in this subtree' : null;
    case 'reopen':
      if (n.archived) return 'Unarchive it first';
      return n.edgeStatus !== 'closed' && n.descendants.closed === 0 ? 'Nothing closed in this subtree' : null;
    case 'archive':
      return n.archived ? 'Already archived' : null;
    case 'unarchive':
      return n.archived ? null : 'Not archived';
    case 'cleanup':
      return n.archived ? 'Already archived' : n.descendants.total === 0 ? 'No sub-agents' : null;
  }
}

/** The confirmation for an action: exact counts (close and reopen ask the engine for a dry run). */
export async function planAction(kind: ActionKind, idx: TreeIndex, n: TreeNode, now = Date.now()): Promise<Plan> {
  const name = nodeLabel(n);
  const size = subtree(idx, n.id).length;
  const recent = recentlyActive(idx, n.id, now, ACTIVE_WINDOW_MS).length;
  const warnActive =
    recent > 0 ? `${plural(recent, 'thread')} of this tree changed in the last 10 minutes and may still be running in codex.` : null;
  switch (kind) {
    case 'close': {
      const dry = await getBridge().request('thread/close', { threadId: n.id, dryRun: true });
      const count = dry.outcomes.filter((o) => o.note === undefined).length;
      return {
        kind,
        node: n,
        title: `Close ${name}’s subtree?`,
        count,
        lines: [
          `${plural(count, 'spawn edge')} of ${plural(size, 'thread')} will be closed (${plural(size - count, 'thread')} already closed or a root).`,
          'Only Spool’s journal changes: the rollouts on disk stay byte-for-byte as they are.',
        ],
        warning: warnActive,
        confirmLabel: `Close ${plural(count, 'thread')}`,
        danger: false,
      };
    }
    case 'reopen': {
      const dry = await getBridge().request('spool/thread/reopen', { threadId: n.id, dryRun: true });
      const count = dry.outcomes.filter((o) => o.note === undefined).length;
      const kept = dry.outcomes.filter((o) => o.note?.startsWith('closed by codex')).length;
      return {
        kind,
        node: n,
        title: `Reopen ${name}?`,
        count,
        lines: [
          `${plural(count, 'thread')} will be reopened: ${name} and the sub-agents under it that only Spool closed, following open edges as codex’s resume does.`,
          ...(kept > 0 ? [`${plural(kept, 'sub-agent')} that codex itself closed stay closed, with everything under them.`] : []),
        ],
        warning: null,
        confirmLabel: `Reopen ${plural(count, 'thread')}`,
        danger: false,
      };
    }
    case 'archive': {
      const count = archivePlan(idx, n.id).length;
      return {
        kind,
        node: n,
        title: `Archive ${name}’s subtree?`,
        count,
        lines: [
          `${plural(count, 'rollout')} will move to archived_sessions/, ${name} first, then its sub-agents deepest first, as codex does.`,
        ],
        warning: warnActive,
        confirmLabel: `Archive ${plural(count, 'thread')}`,
        danger: true,
      };
    }
    case 'unarchive': {
      const count = unarchivePlan(idx, n.id).length;
      return {
        kind,
        node: n,
        title: `Unarchive ${name}’s subtree?`,
        count,
        lines: [
          `${plural(count, 'rollout')} will move back to sessions/YYYY/MM/DD/, ${name} first, then its sub-agents breadth-first, as codex does.`,
        ],
        warning: null,
        confirmLabel: `Unarchive ${plural(count, 'thread')}`,
        danger: false,
      };
    }
    case 'cleanup': {
      const stale = openDescendants(idx, n.id).length;
      const count = archivePlan(idx, n.id).length;
      return {
        kind,
        node: n,
        title: `Clean up ${name}’s tree?`,
        count: Math.max(count, stale),
        lines: [
          `First ${plural(stale, 'stale sub-agent')} still open will be closed (Spool’s journal only).`,
          `Then ${plural(count, 'rollout')} will move to archived_sessions/.`,
        ],
        warning: warnActive,
        confirmLabel: `Close ${stale.toLocaleString()} & archive ${plural(count, 'thread')}`,
        danger: true,
      };
    }
  }
}

let opCounter = 0;
const newOperationId = (): string => `tree-${Date.now().toString(36)}-${(opCounter++).toString(36)}`;

type Update = (s: OperationState) => void;

/** Runs a confirmed plan, calling `update` with progress and, at the end, the outcome per thread. */
export async function runPlan(plan: Plan, idx: TreeIndex, update: Update): Promise<void> {
  const labelOf = (id: string): string => {
    const n = idx.byId.get(id);
    return n ? `${nodeLabel(n)}${n.agentPath ? ` — ${n.agentPath}` : ''}` : id;
  };
  const state: OperationState = {
    kind: plan.kind,
    label: ACTION_LABELS[plan.kind],
    phase: '',
    done: 0,
    total: plan.count,
    finished: false,
    outcomes: [],
    error: null,
  };
  const push = (): void => update({ ...state });

  const cascade = async (method: 'thread/close' | 'spool/thread/reopen', phase: string): Promise<ThreadOutcome[]> => {
    const operationId = newOperationId();
    state.phase = phase;
    state.done = 0;
    push();
    const off = getBridge().subscribe((n) => {
      if (n.method !== 'spool/operation/progress' || n.params.operationId !== operationId) return;
      state.done = n.params.done;
      state.total = n.params.total;
      push();
    });
    try {
      return (await getBridge().request(method, { threadId: plan.node.id, operationId })).outcomes;
    } finally {
      off();
    }
  };

  const move = async (method: 'thread/archive' | 'thread/unarchive', expected: TreeNode[], phase: string): Promise<ThreadOutcome[]> => {
    const want = new Set(expected.map((n) => n.id));
    const seen = new Set<string>();
    state.phase = phase;
    state.done = 0;
    state.total = want.size;
    push();
    const note = method === 'thread/archive' ? 'thread/archived' : 'thread/unarchived';
    const off = getBridge().subscribe((n) => {
      if (n.method !== note || !want.has(n.params.threadId) || seen.has(n.params.threadId)) return;
      seen.add(n.params.threadId);
      state.done = seen.size;
      push();
    });
    let failure: string | null = null;
    try {
      await getBridge().request(method, { threadId: plan.node.id });
    } catch (e) {
      failure = e instanceof Error ? e.message : String(e);
    } finally {
      off();
    }
    // Codex answers first and notifies after, so the notifications are only progress: the outcome
    // is read back from the engine.
    const wantArchived = method === 'thread/archive';
    const after = await getBridge()
      .request('spool/thread/tree', { threadId: plan.node.id })
      .then((t) => new Map(t.nodes.map((n) => [n.id, n.archived])))
      .catch(() => null);
    state.done = state.total;
    push();
    const verb = wantArchived ? 'archived' : 'unarchived';
    return expected.map((n) => {
      const moved = after ? after.get(n.id) === wantArchived : seen.has(n.id);
      return moved ? { threadId: n.id, ok: true } : { threadId: n.id, ok: false, error: failure ?? `not ${verb}` };
    });
  };

  try {
    let outcomes: ThreadOutcome[];
    switch (plan.kind) {
      case 'close':
        outcomes = await cascade('thread/close', 'Closing');
        break;
      case 'reopen':
        outcomes = await cascade('spool/thread/reopen', 'Reopening');
        break;
      case 'archive':
        outcomes = await move('thread/archive', archivePlan(idx, plan.node.id), 'Archiving');
        break;
      case 'unarchive':
        outcomes = await move('thread/unarchive', unarchivePlan(idx, plan.node.id), 'Unarchiving');
        break;
      case 'cleanup': {
        const closed = await cascade('thread/close', 'Closing stale sub-agents');
        const archived = await move('thread/archive', archivePlan(idx, plan.node.id), 'Archiving');
        const closedNote = new Map(closed.map((o) => [o.threadId, o]));
        outcomes = archived.map((a) => {
          const c = closedNote.get(a.threadId);
          const closeText = c && c.ok && c.note === undefined ? 'closed, ' : '';
          return a.ok
            ? { threadId: a.threadId, ok: true, note: `${closeText}archived` }
            : { ...a, ...(closeText ? { note: 'closed' } : {}) };
        });
        break;
      }
    }
    state.outcomes = outcomes.map((o) => {
      const changed = o.ok && (o.note === undefined || plan.kind === 'cleanup');
      return { ...o, label: labelOf(o.threadId), changed, ...(o.ok && o.note === undefined ? { note: DONE_NOTE[plan.kind] } : {}) };
    });
    state.done = state.total;
  } catch (e) {
    state.error = e instanceof Error ? e.message : String(e);
  }
  state.finished = true;
  push();
}
