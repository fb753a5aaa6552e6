// Sub-agents grouped under their parents: the descendants of the window's parent rows, fetched
// in batches (one spool/thread/families request for the parents nearest the viewport, one request
// at a time) as soon as the window holds the parent — so a group is in place before its parent
// scrolls into view and never expands under rows the user is looking at — kept while the window
// holds the parent, and fetched again when the index reports a change in a family.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { getBridge } from '../../bridge/index.ts';
import type { Thread } from '../../../shared/protocol/index.ts';

/** Descendants shown under a parent at most; the agent tree shows the rest. */
export const MAX_CHILDREN = 100;
/**
 * Families asked for in one request. One request at a time: each answer is one render, and the
 * next batch is taken from what is nearest the viewport then (a fast scroll has moved on).
 */
const BATCH = 40;
/** Families kept for parents the window no longer holds, before they are dropped. */
const KEEP_EXTRA = 50;

export interface Family {
  /** Descendants in tree order (depth-first, oldest first), with their depth below the parent. */
  members: { thread: Thread; depth: number }[];
  /** More descendants exist than are shown. */
  more: boolean;
  /** The parent's child count when the family was fetched: a different count means it changed. */
  childCount: number;
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
  /**
   * Asks for the families of these parents (those with sub-agents), most wanted first; replaces
   * what an earlier call asked for and is still waiting. Cheap to call on every scroll.
   */
  want: (parents: readonly Thread[]) => void;
}

interface Families {
  scope: string;
  families: ReadonlyMap<string, Family>;
}

const NO_FAMILIES: ReadonlyMap<string, Family> = new Map();
const familiesOf = (s: Families, scope: string): ReadonlyMap<string, Family> => (s.scope === scope ? s.families : NO_FAMILIES);

export function useSubAgents(enabled: boolean, archived: boolean, keep: readonly Thread[]): SubAgentsApi {
  const scope = `${enabled}/${archived}`;
  const [state, setState] = useState<Families>({ scope, families: new Map() });
  // The families as of the last answer, ahead of the render that shows them: `want` reads this, so
  // a call made before that render does not ask again for a family that has just arrived.
  const latest = useRef(state);
  const publish = useCallback((next: Families) => {
    latest.current = next;
    setState(next);
  }, []);
  // A new query (or grouping switched) forgets every family.
  const families = useMemo(() => familiesOf(state, scope), [state, scope]);
  const inFlight = useRef(new Set<string>());
  const queue = useRef<{ id: string; childCount: number }[]>([]);
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
      if (inFlight.current.size > 0 || queue.current.length === 0) return;
      const batch = queue.current.splice(0, BATCH);
      for (const { id } of batch) {
        inFlight.current.add(id);
        // A change reported from here on makes this answer stale again.
        stale.current.delete(id);
      }
      const counts = new Map(batch.map((b) => [b.id, b.childCount]));
      getBridge()
        .request('spool/thread/families', { parentThreadIds: batch.map((b) => b.id), archived, limit: MAX_CHILDREN })
        .then((r) => {
          if (pumpRef.current !== pump) return;
          const next = new Map(familiesOf(latest.current, scope));
          for (const f of r.data)
            next.set(f.parentThreadId, {
              members: treeOrder(f.parentThreadId, f.data),
              more: f.more,
              childCount: counts.get(f.parentThreadId) ?? 0,
            });
          // Families of parents the window dropped go, once there are many.
          if (next.size > keepRef.current.length + KEEP_EXTRA) {
            const held = new Set(keepRef.current.map((t) => t.id));
            for (const k of next.keys()) if (!held.has(k)) next.delete(k);
          }
          publish({ scope, families: next });
        })
        .catch(() => undefined)
        .finally(() => {
          for (const { id } of batch) inFlight.current.delete(id);
          // The current pump: after a new query began, its queue waited for this answer.
          pumpRef.current();
        });
    };
    pumpRef.current = pump;
  }, [scope, archived, publish]);

  const want = useCallback(
    (parents: readonly Thread[]) => {
      if (!enabled) return;
      const have = familiesOf(latest.current, scope);
      const next: { id: string; childCount: number }[] = [];
      for (const p of parents) {
        const children = p.extra?.spool.childCount ?? 0;
        if (children === 0) continue;
        const fam = have.get(p.id);
        // A parent whose child count changed since its family was fetched has a new or lost child.
        // (The count of spawn edges, which also counts archived or unindexed children, is compared
        // with itself, never with the members listed: those may rightly differ for good.)
        if (fam && fam.childCount === children && !stale.current.has(p.id)) continue;
        if (inFlight.current.has(p.id)) continue;
        next.push({ id: p.id, childCount: children });
      }
      // The latest call says what is near the viewport now: parents asked for earlier and no
      // longer wanted wait for their next call.
      queue.current = next;
      pumpRef.current();
    },
    [enabled, scope],
  );

  // A change in a family (a sub-agent's new turn, an archive) refetches it when next wanted. A
  // new sub-agent names its parent (whose child count changed), a member of the family or its
  // root. Threads moved between the collections (unarchived, or archived while the Archived
  // collection is shown) name only themselves: threads no family holds may have joined any of
  // them, so every family is fetched again (moves are rare; one batch is one notification).
  useEffect(() => {
    if (!enabled) return;
    return getBridge().subscribe((n) => {
      const ids =
        n.method === 'spool/index/changed'
          ? [...n.params.threadIds, ...n.params.removedIds]
          : 'threadId' in n.params
            ? [n.params.threadId]
            : [];
      if (ids.length === 0) return;
      const moved = n.method === 'spool/index/changed' && (n.params.reason === 'archive' || n.params.reason === 'move');
      const hit = new Set(ids);
      const s = latest.current;
      const known = new Set<string>();
      let touched = false;
      for (const [id, fam] of s.families) {
        known.add(id);
        for (const m of fam.members) known.add(m.thread.id);
        if (hit.has(id) || fam.members.some((m) => hit.has(m.thread.id))) {
          stale.current.add(id);
          touched = true;
        }
      }
      if (moved && ids.some((id) => !known.has(id))) {
        for (const id of s.families.keys()) stale.current.add(id);
        touched ||= s.families.size > 0;
      }
      // A new map: the list asks again for what is now stale.
      if (touched) publish({ ...s, families: new Map(s.families) });
    });
  }, [enabled, publish]);

  return { families, want };
}
