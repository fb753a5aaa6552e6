// The selected thread's family, kept current through notifications: a close, reopen, archive or
// unarchive is patched into the nodes at once (coalesced per animation frame, so a 1,000-thread
// cascade is a handful of renders), then one spool/thread/tree call brings the counts. Never a
// reload of the page or the list.
import { useCallback, useEffect, useRef, useState } from 'react';
import { getBridge } from '../../bridge/index.ts';
import type { TreeResult } from '../../../shared/protocol/index.ts';
import { applyPatches, type NodePatch } from './model.ts';

export interface AgentTreeState {
  tree: TreeResult | null;
  error: string | null;
  /** True while the first answer for the selected thread is awaited. */
  loading: boolean;
  refresh: () => void;
}

const REFETCH_DELAY_MS = 150;

export function useAgentTree(selectedId: string | null): AgentTreeState {
  const [tree, setTree] = useState<TreeResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const treeRef = useRef<TreeResult | null>(null);
  const ids = useRef<Set<string>>(new Set());
  const seq = useRef(0);

  const adopt = useCallback((t: TreeResult | null): void => {
    treeRef.current = t;
    ids.current = new Set(t?.nodes.map((n) => n.id) ?? []);
    setTree(t);
  }, []);

  const fetchTree = useCallback(
    (threadId: string): void => {
      const mine = ++seq.current;
      getBridge()
        .request('spool/thread/tree', { threadId })
        .then((t) => {
          if (mine !== seq.current) return;
          adopt(t);
          setError(null);
        })
        .catch((e: unknown) => {
          if (mine !== seq.current) return;
          setError(e instanceof Error ? e.message : String(e));
        });
    },
    [adopt],
  );

  // A new selection outside the current family loads that family; inside it, nothing to do.
  useEffect(() => {
    if (selectedId === null || ids.current.has(selectedId)) return;
    fetchTree(selectedId);
  }, [selectedId, fetchTree]);

  const refresh = useCallback(() => {
    const t = treeRef.current;
    if (t) fetchTree(t.threadId);
  }, [fetchTree]);

  useEffect(() => {
    let patches: NodePatch[] = [];
    let frame: number | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = (): void => {
      frame = null;
      const t = treeRef.current;
      const batch = patches;
      patches = [];
      if (t) {
        const next = applyPatches(t, batch);
        if (next !== t) adopt(next);
      }
    };
    const later = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        refresh();
      }, REFETCH_DELAY_MS);
    };
    const patch = (p: NodePatch): void => {
      if (!ids.current.has(p.id)) return;
      patches.push(p);
      if (frame === null) frame = requestAnimationFrame(flush);
      later();
    };
    const off = getBridge().subscribe((n) => {
      switch (n.method) {
        case 'thread/closed':
          return patch({ id: n.params.threadId, edgeStatus: 'closed', closedBy: 'spool' });
        case 'spool/thread/reopened':
          return patch({ id: n.params.threadId, edgeStatus: 'open', closedBy: null });
        case 'thread/archived':
          return patch({ id: n.params.threadId, archived: true });
        case 'thread/unarchived':
          return patch({ id: n.params.threadId, archived: false });
        case 'spool/index/changed':
          // New sub-agents arrive with their parent's id among the changed ones.
          if (n.params.reason === 'rebuild' || [...n.params.threadIds, ...n.params.removedIds].some((id) => ids.current.has(id))) later();
          return;
        default:
          return;
      }
    });
    return () => {
      off();
      if (frame !== null) cancelAnimationFrame(frame);
      if (timer) clearTimeout(timer);
    };
  }, [adopt, refresh]);

  const loading = selectedId !== null && error === null && !(tree?.nodes.some((n) => n.id === selectedId) ?? false);
  return { tree, error, loading, refresh };
}
