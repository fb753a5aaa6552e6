// Sub-agents grouped under their parents: the descendants of the parent rows in view, fetched
// (one thread/list with ancestorThreadId per parent) when a parent scrolls into view, kept while
// the window holds the parent, and fetched again when the index reports a change in a family.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getBridge } from '../../bridge/index.ts';
import { ALL_SOURCE_KINDS, type Thread } from '../../../shared/protocol/index.ts';

/** Descendants shown under a parent at most; the agent tree shows the rest. */
export const MAX_CHILDREN = 100;
const CONCURRENT = 4;
/** Families kept for parents the window no longer holds, before they are dropped. */
const KEEP_EXTRA = 50;

export interface Family {
  /** Descendants in tree order (depth-first, oldest first), with their depth below the parent. */
  members: { thread: Thread; depth: number }[];
  /** More descendants exist than are shown. */
  more: boolean;
}

/** Orders descendants depth-first under `rootId`, oldest first among siblings. */
export function treeOrder(rootId: string, descendants: Thread[]): { thread: Thread; depth: number }[] {
  const kids = new Map<string, Thread[]>();
  const ids = new Set(descendants.map((t) => t.id));
  for (const t of descendants) {
    const p = t.extra?.spool.spawnParentId ?? t.parentThreadId ?? rootId;
    const parent = ids.has(p) ? p : rootId;
    const list = kids.get(parent) ?? [];
    list.push(t);
    kids.set(parent, list);
  }
  const created = (t: Thread): number => t.extra?.spool.createdAtMs ?? t.createdAt * 1000;
  const out: { thread: Thread; depth: number }[] = [];
  const seen = new Set<string>();
  const walk = (id: string, depth: number): void => {
    for (const t of (kids.get(id) ?? []).sort((a, b) => created(a) - created(b))) {
      if (seen.has(t.id)) continue;
      seen.add(t.id);
      out.push({ thread: t, depth });
      walk(t.id, depth + 1);
    }
  };
  walk(rootId, 1);
  return out;
}

export interface SubAgentsApi {
  families: ReadonlyMap<string, Family>;
  /** Asks for the families of these parents (those with sub-agents); cheap to call on every scroll. */
  want: (parents: readonly Thread[]) => void;
}

export function useSubAgents(enabled: boolean, archived: boolean, keep: readonly Thread[]): SubAgentsApi {
  const scope = `${enabled}/${archived}`;
  const [state, setState] = useState<{ scope: string; families: ReadonlyMap<string, Family> }>({ scope, families: new Map() });
  // A new query (or grouping switched) forgets every family.
  const families = useMemo(() => (state.scope === scope ? state.families : new Map<string, Family>()), [state, scope]);
  const inFlight = useRef(new Set<string>());
  const queue = useRef<string[]>([]);
  const stale = useRef(new Set<string>());
  const keepRef = useRef(keep);
  useEffect(() => {
    keepRef.current = keep;
  }, [keep]);

  const pumpRef = useRef<() => void>(() => undefined);
  useEffect(() => {
    queue.current = [];
    stale.current.clear();
    const pump = (): void => {
      while (inFlight.current.size < CONCURRENT && queue.current.length > 0) {
        const id = queue.current.shift()!;
        inFlight.current.add(id);
        getBridge()
          .request('thread/list', { ancestorThreadId: id, archived, sourceKinds: [...ALL_SOURCE_KINDS], modelProviders: [], includeEmptyPreview: true, sortKey: 'created_at', sortDirection: 'asc', limit: MAX_CHILDREN })
          .then((r) => {
            if (pumpRef.current !== pump) return;
            setState((s) => {
              const base = s.scope === scope ? s.families : new Map<string, Family>();
              const next = new Map(base).set(id, { members: treeOrder(id, r.data), more: r.nextCursor !== null });
              // Families of parents the window dropped go, once there are many.
              if (next.size > keepRef.current.length + KEEP_EXTRA) {
                const held = new Set(keepRef.current.map((t) => t.id));
                for (const k of next.keys()) if (!held.has(k)) next.delete(k);
              }
              return { scope, families: next };
            });
          })
          .catch(() => undefined)
          .finally(() => {
            inFlight.current.delete(id);
            if (pumpRef.current === pump) pump();
          });
      }
    };
    pumpRef.current = pump;
  }, [scope, archived]);

  const want = useCallback(
    (parents: readonly Thread[]) => {
      if (!enabled) return;
      for (const p of parents) {
        const children = p.extra?.spool.childCount ?? 0;
        if (children === 0) continue;
        const fam = families.get(p.id);
        // A family whose size no longer matches its parent's child count is out of date.
        const outdated = fam !== undefined && !fam.more && fam.members.filter((m) => m.depth === 1).length !== children;
        if (fam && !outdated && !stale.current.has(p.id)) continue;
        if (inFlight.current.has(p.id) || queue.current.includes(p.id)) continue;
        stale.current.delete(p.id);
        queue.current.push(p.id);
      }
      pumpRef.current();
    },
    [enabled, families],
  );

  // A change in a family (a sub-agent's new turn, an archive) refetches it when next in view.
  useEffect(() => {
    if (!enabled) return;
    return getBridge().subscribe((n) => {
      const ids = n.method === 'spool/index/changed' ? [...n.params.threadIds, ...n.params.removedIds] : 'threadId' in n.params ? [n.params.threadId] : [];
      if (ids.length === 0) return;
      const hit = new Set(ids);
      setState((s) => {
        let touched = false;
        for (const [id, fam] of s.families) {
          if (hit.has(id) || fam.members.some((m) => hit.has(m.thread.id))) {
            stale.current.add(id);
            touched = true;
          }
        }
        return touched ? { ...s, families: new Map(s.families) } : s;
      });
    });
  }, [enabled]);

  return { families, want };
}
