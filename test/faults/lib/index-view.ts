// What the index says about a home, gathered through the protocol: every thread of thread/list
// (active and archived, every source kind and provider), thread/read of each, and the agent trees
// (edge states). Two indexes of the same home and journal must say the same.
import { isDeepStrictEqual } from 'node:util';
import { ALL_SOURCE_KINDS } from '../../../src/shared/protocol/index.ts';
import fs from 'node:fs';
import path from 'node:path';
import { EngineChild } from './child.ts';

const ALL_KINDS = [...ALL_SOURCE_KINDS];

export interface IndexView {
  list: { archived: boolean; rows: unknown[] }[];
  reads: Record<string, unknown>;
  trees: Record<string, unknown>;
}

interface Row {
  id: string;
  parentThreadId?: string | null;
}

export async function indexView(c: EngineChild): Promise<IndexView> {
  const list: IndexView['list'] = [];
  const ids: string[] = [];
  const hasParent = new Set<string>();
  for (const archived of [false, true]) {
    const rows: unknown[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Row[]; nextCursor: string | null } = await c.ok('thread/list', {
        archived,
        sourceKinds: ALL_KINDS,
        modelProviders: [],
        includeEmptyPreview: true,
        limit: 100,
        ...(cursor ? { cursor } : {}),
      });
      rows.push(...page.data);
      for (const r of page.data) {
        ids.push(r.id);
        if (r.parentThreadId) hasParent.add(r.id);
      }
      cursor = page.nextCursor;
    } while (cursor);
    list.push({ archived, rows });
  }
  // Sent all at once: the engine answers in order, and no call waits for the one before it to return.
  const reads: Record<string, unknown> = {};
  const read = await Promise.all(ids.map((id) => c.ok<{ thread: unknown }>('thread/read', { threadId: id })));
  ids.forEach((id, i) => (reads[id] = read[i]!.thread));
  // One tree per family: ask for each root (a listed thread without a parent that has children).
  const trees: Record<string, unknown> = {};
  const roots = ids.filter((id) => !hasParent.has(id));
  const tree = await Promise.all(roots.map((id) => c.ok<{ nodes: unknown[] }>('spool/thread/tree', { threadId: id })));
  roots.forEach((id, i) => {
    if (tree[i]!.nodes.length > 1) trees[id] = tree[i];
  });
  return { list, reads, trees };
}

/**
 * Drops the two values an index holds that the files do not, for the threads they apply to:
 * `recencyAt` of a thread brought back from the archive (unarchiving touches the rollout but keeps
 * the thread's recency), and `archivedAt` of a thread archived here (the time of the move). Codex
 * keeps both in its state DB and loses them the same way when that DB is rebuilt: a rebuild takes
 * the rollout's mtime for both.
 */
export function withoutIndexOnly(v: IndexView, unarchived: ReadonlySet<string>, archived: ReadonlySet<string>): IndexView {
  const strip = (t: unknown): unknown => {
    const x = t as { id: string; recencyAt?: unknown; extra?: { spool?: Record<string, unknown> } };
    const drop = new Set([...(unarchived.has(x.id) ? ['recencyAt', 'recencyAtMs'] : []), ...(archived.has(x.id) ? ['archivedAt'] : [])]);
    if (drop.size === 0) return t;
    const rest = Object.fromEntries(Object.entries(x).filter(([k]) => !drop.has(k)));
    const spool = x.extra?.spool ? Object.fromEntries(Object.entries(x.extra.spool).filter(([k]) => !drop.has(k))) : undefined;
    return { ...rest, ...(spool ? { extra: { ...x.extra, spool } } : {}) };
  };
  return {
    list: v.list.map((l) => ({ archived: l.archived, rows: l.rows.map(strip) })),
    reads: Object.fromEntries(Object.entries(v.reads).map(([k, t]) => [k, strip(t)])),
    trees: v.trees,
  };
}

const stampOf = (t: Stamped): number | undefined => t.extra?.spool?.updatedAtMs ?? t.updatedAt;

interface Stamped {
  id: string;
  updatedAt?: number;
  extra?: { spool?: { updatedAtMs?: number } };
}
const msOf = (t: unknown): number | undefined => (t as Stamped).extra?.spool?.updatedAtMs;
const createdMsOf = (t: unknown): number | undefined => (t as { extra?: { spool?: { createdAtMs?: number } } }).extra?.spool?.createdAtMs;

/**
 * Rollouts with the same mtime to the millisecond get consecutive milliseconds as `updatedAt` (the
 * key must be unique), in the order an index meets them, and a live index keeps a value it moved
 * after the other thread has gone (codex's state DB does both the same way). So two indexes may
 * differ there by a few milliseconds; `b`'s `updatedAtMs` within 64 ms of `a`'s (and `recencyAt`,
 * which starts as it) is aligned to `a`'s. Anything else still differs.
 */
function alignCollisions(a: IndexView, b: IndexView): IndexView {
  const ams = new Map(Object.entries(a.reads).map(([id, t]) => [id, msOf(t)]));
  const bms = Object.entries(b.reads).map(([id, t]) => [id, msOf(t)] as const);
  const swap = new Map<string, number>();
  for (const [id, v] of bms) {
    const w = ams.get(id);
    if (v !== undefined && w !== undefined && v !== w && Math.abs(v - w) <= 64) swap.set(id, w);
  }
  // createdAt is allocated the same way (unique milliseconds in the order an index meets the
  // threads, docs/FORMAT.md §3.4): two threads created in the same millisecond may hold each
  // other's value, and so come in the other order among their siblings in a tree.
  const acr = new Map(Object.entries(a.reads).map(([id, t]) => [id, createdMsOf(t)]));
  const created = new Map<string, number>();
  for (const [id, t] of Object.entries(b.reads)) {
    const v = createdMsOf(t);
    const w = acr.get(id);
    if (v !== undefined && w !== undefined && v !== w && Math.abs(v - w) <= 64) created.set(id, w);
  }
  if (swap.size === 0 && created.size === 0) return b;
  const fix = (t: unknown): unknown => {
    if (Array.isArray(t)) return t.map(fix);
    if (typeof t !== 'object' || t === null) return t;
    const o = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, fix(v)])) as Record<string, unknown> & Stamped;
    const c = typeof o.id === 'string' ? created.get(o.id) : undefined;
    if (c !== undefined) {
      const wasC = createdMsOf(o) ?? (o['createdAtMs'] as number | undefined);
      if (typeof o['createdAt'] === 'number' && wasC !== undefined && o['createdAt'] === Math.floor(wasC / 1000))
        o['createdAt'] = Math.floor(c / 1000);
      if (wasC !== undefined && o['createdAtMs'] === wasC) o['createdAtMs'] = c; // a tree node's own field
      if (o.extra?.spool) o.extra = { ...o.extra, spool: { ...o.extra.spool, createdAtMs: c } as typeof o.extra.spool };
    }
    const w = typeof o.id === 'string' ? swap.get(o.id) : undefined;
    if (w === undefined) return o;
    // recencyAt starts as updatedAt: it moved with it.
    const was = o.extra?.spool?.updatedAtMs ?? (o['updatedAtMs'] as number | undefined);
    const align = (x: Record<string, unknown>, ms: string, sec: string): void => {
      if (x[ms] === was) x[ms] = w;
      if (typeof x[sec] === 'number' && was !== undefined && x[sec] === Math.floor(was / 1000)) x[sec] = Math.floor(w / 1000);
    };
    align(o, 'updatedAtMs', 'updatedAt');
    align(o, 'recencyAtMs', 'recencyAt');
    if (o.extra?.spool) {
      const sp = { ...o.extra.spool } as Record<string, unknown>;
      align(sp, 'updatedAtMs', '-');
      align(sp, 'recencyAtMs', '-');
      o.extra = { ...o.extra, spool: sp };
    }
    return o;
  };
  const fixed = fix(b) as IndexView;
  if (created.size === 0) return fixed;
  // Put such threads back in `a`'s order within each tree, when that is all that differs there.
  const trees = Object.fromEntries(
    Object.entries(fixed.trees).map(([root, tree]) => {
      const at = a.trees[root] as { nodes?: { id: string }[] } | undefined;
      const bt = tree as { nodes?: { id: string }[] };
      if (!at?.nodes || !bt.nodes || at.nodes.length !== bt.nodes.length) return [root, tree];
      const byId = new Map(bt.nodes.map((n) => [n.id, n]));
      const moved = at.nodes.filter((n, i) => n.id !== bt.nodes![i]!.id);
      if (moved.length === 0 || !moved.every((n) => created.has(n.id) && byId.has(n.id))) return [root, tree];
      return [root, { ...bt, nodes: at.nodes.map((n) => byId.get(n.id)!) }];
    }),
  );
  return { ...fixed, trees };
}

/** The first few differences between two views (empty when they agree). */
export function diffViews(a: IndexView, bRaw: IndexView, max = 5): string[] {
  const b = alignCollisions(a, bRaw);
  const out: string[] = [];
  for (const i of [0, 1]) {
    const ra = a.list[i]!.rows as Row[];
    const rb = b.list[i]!.rows as Row[];
    if (ra.length !== rb.length) out.push(`thread/list archived=${a.list[i]!.archived}: ${ra.length} vs ${rb.length} rows`);
    for (let k = 0; k < Math.min(ra.length, rb.length) && out.length < max; k++) {
      if (!isDeepStrictEqual(ra[k], rb[k])) out.push(`thread/list archived=${a.list[i]!.archived} row ${k}: ${firstDiff(ra[k], rb[k])}`);
    }
  }
  for (const id of new Set([...Object.keys(a.reads), ...Object.keys(b.reads)])) {
    if (out.length >= max) break;
    if (!isDeepStrictEqual(a.reads[id], b.reads[id])) out.push(`thread/read ${id}: ${firstDiff(a.reads[id], b.reads[id])}`);
  }
  for (const id of new Set([...Object.keys(a.trees), ...Object.keys(b.trees)])) {
    if (out.length >= max) break;
    if (!isDeepStrictEqual(a.trees[id], b.trees[id])) out.push(`spool/thread/tree ${id}: ${firstDiff(a.trees[id], b.trees[id])}`);
  }
  return out;
}

function firstDiff(x: unknown, y: unknown, at = ''): string {
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null)
    return `${at || '.'}: ${JSON.stringify(x)?.slice(0, 120)} vs ${JSON.stringify(y)?.slice(0, 120)}`;
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
    const vx = (x as Record<string, unknown>)[k];
    const vy = (y as Record<string, unknown>)[k];
    if (!isDeepStrictEqual(vx, vy)) return firstDiff(vx, vy, `${at}.${k}`);
  }
  return at;
}

/** A fresh index of the same home and journal (a new data folder holding a copy of the journal). */
export async function freshView(home: string, dataDir: string, workDir: string): Promise<IndexView> {
  const fresh = fs.mkdtempSync(path.join(workDir, 'fresh-'));
  const journal = path.join(dataDir, 'user-state.jsonl');
  if (fs.existsSync(journal)) fs.copyFileSync(journal, path.join(fresh, 'user-state.jsonl'));
  const c = await EngineChild.start({ home, dataDir: fresh, parseWorkers: 0 });
  try {
    await c.settle();
    return await indexView(c);
  } finally {
    await c.close();
    fs.rmSync(fresh, { recursive: true, force: true });
  }
}

/** Follows which threads were archived or unarchived here, across successive views of one index. */
export class IndexOnlyValues {
  readonly unarchived = new Set<string>();
  readonly archived = new Set<string>();
  observe(prev: IndexView, next: IndexView): void {
    const wasArchived = new Set((prev.list[1]!.rows as { id: string }[]).map((x) => x.id));
    for (const x of next.list[0]!.rows as { id: string }[]) if (wasArchived.has(x.id)) this.unarchived.add(x.id);
    for (const x of next.list[1]!.rows as { id: string }[]) if (!wasArchived.has(x.id)) this.archived.add(x.id);
    // An archived rollout written to since (a git edit appends to it) keeps the index's archivedAt,
    // while a rebuild takes the new mtime: from then on it is an index-only value too.
    const before = new Map((prev.list[1]!.rows as Stamped[]).map((x) => [x.id, stampOf(x)]));
    for (const x of next.list[1]!.rows as Stamped[]) if (before.has(x.id) && before.get(x.id) !== stampOf(x)) this.archived.add(x.id);
  }
  diff(mine: IndexView, fresh: IndexView): string[] {
    return diffViews(withoutIndexOnly(mine, this.unarchived, this.archived), withoutIndexOnly(fresh, this.unarchived, this.archived));
  }
}
