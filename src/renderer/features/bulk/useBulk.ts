// Runs a bulk archive / unarchive through spool/threads/bulk, following its progress
// notifications, and remembers the outcome so that it can be undone (the opposite action on the
// threads that changed).
import { useCallback, useRef, useState } from 'react';
import { getBridge } from '../../bridge/index.ts';
import type { BulkParams, BulkResult } from '../../../shared/protocol/index.ts';

export type BulkAction = 'archive' | 'unarchive';

export interface BulkRun {
  action: BulkAction;
  /** An undo of an earlier run. */
  undo: boolean;
  phase: 'running' | 'done' | 'failed';
  done: number;
  total: number | null;
  result: BulkResult | null;
  error: string | null;
}

export interface BulkApi {
  run: BulkRun | null;
  start: (action: BulkAction, target: Pick<BulkParams, 'threadIds' | 'filter' | 'excludeIds'>) => Promise<void>;
  undo: () => Promise<void>;
  dismiss: () => void;
}

const inverse = (a: BulkAction): BulkAction => (a === 'archive' ? 'unarchive' : 'archive');

export function useBulk(): BulkApi {
  const [run, setRun] = useState<BulkRun | null>(null);
  const current = useRef<string | null>(null);

  const exec = useCallback(async (action: BulkAction, target: Pick<BulkParams, 'threadIds' | 'filter' | 'excludeIds'>, undo: boolean) => {
    const operationId = crypto.randomUUID();
    current.current = operationId;
    setRun({ action, undo, phase: 'running', done: 0, total: target.threadIds?.length ?? null, result: null, error: null });
    const off = getBridge().subscribe((n) => {
      if (n.method !== 'spool/operation/progress' || n.params.operationId !== operationId) return;
      setRun((r) => (r && r.phase === 'running' ? { ...r, done: n.params.done, total: n.params.total } : r));
    });
    try {
      const result = await getBridge().request('spool/threads/bulk', { action, operationId, ...target });
      if (current.current === operationId)
        setRun({ action, undo, phase: 'done', done: result.outcomes.length, total: result.outcomes.length, result, error: null });
    } catch (e) {
      if (current.current === operationId)
        setRun((r) => ({
          action,
          undo,
          phase: 'failed',
          done: r?.done ?? 0,
          total: r?.total ?? null,
          result: null,
          error: e instanceof Error ? e.message : String(e),
        }));
    } finally {
      off();
    }
  }, []);

  const start = useCallback<BulkApi['start']>((action, target) => exec(action, target, false), [exec]);
  const undo = useCallback(async () => {
    if (!run?.result || run.phase !== 'done') return;
    const ids = run.result.outcomes.filter((o) => o.ok).map((o) => o.threadId);
    if (ids.length === 0) return;
    await exec(inverse(run.action), { threadIds: ids }, true);
  }, [run, exec]);
  const dismiss = useCallback(() => {
    current.current = null;
    setRun(null);
  }, []);
  return { run, start, undo, dismiss };
}
