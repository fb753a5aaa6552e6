// The user operations the fault suite interrupts, each aimed at a thread the current index says it
// applies to, with what it may add to the home (the rules findLosses checks).
//
// Which cases run does not depend on the seed: every write class runs every case of CASES each
// round, and every operation on one thread runs on every rollout shape (the seed only picks which
// thread of that shape, and when to strike). The mutation home holds each shape in both collections
// (test/support/rollout-shapes.ts writes the rare ones), so no shape is skipped by chance.
import fs from 'node:fs';
import type { LossRules } from './home-snapshot.ts';

export interface SpoolExtra {
  archived: boolean;
  format: 'bare' | 'legacy' | 'paginated';
  childCount: number;
  turnCount: number;
  spawnParentId: string | null;
  edgeStatus: 'open' | 'closed' | null;
}
export interface Row {
  id: string;
  path: string;
  extra: { spool: SpoolExtra };
}

export interface Op {
  kind: string;
  method: string;
  params: unknown;
  rules: LossRules;
}

export type Pick = <T>(xs: T[]) => T | undefined;

export const SHAPES = ['paginated', 'legacy', 'bare with messages', 'header-only', 'unfinished last line'] as const;
export type Shape = (typeof SHAPES)[number];

/** What kind of rollout a row's file is, read off the file itself (its last byte) and the index. */
export function shapeOf(row: Row): Shape {
  const s = row.extra.spool;
  if (!endsWithNewline(row.path)) return 'unfinished last line';
  if (s.format !== 'bare') return s.format;
  return s.turnCount > 0 ? 'bare with messages' : 'header-only';
}

function endsWithNewline(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return true;
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, size - 1);
    return b[0] === 0x0a;
  } finally {
    fs.closeSync(fd);
  }
}

/** Operations on one thread, each run on every shape. */
const PER_SHAPE = ['archive', 'unarchive', 'thread/name/set', 'git edit'] as const;
/** Operations on agent trees, and one bulk operation over a thread of every shape. */
const WHOLE_HOME = ['close cascade', 'reopen cascade', 'bulk archive/unarchive'] as const;
export type OpKind = (typeof PER_SHAPE)[number] | (typeof WHOLE_HOME)[number];

export interface Case {
  kind: OpKind;
  shape: Shape | null;
}

/** Every case a write class runs in one round, in order. */
export const CASES: Case[] = [
  ...PER_SHAPE.flatMap((kind) => SHAPES.map((shape) => ({ kind, shape }))),
  ...WHOLE_HOME.map((kind) => ({ kind, shape: null })),
];
export const OP_KINDS: OpKind[] = [...PER_SHAPE, ...WHOLE_HOME];
export const caseName = (c: Case): string => (c.shape ? `${c.kind} (${c.shape})` : c.kind);

/**
 * The operation for `c`, aimed at a thread the index says it applies to; null when the home holds
 * no such thread (a failure of the home, not a case to skip: the suite reports it).
 */
export function planCase(c: Case, rows: Row[], round: number, pick: Pick, r: () => number): Op | null {
  const shapes = new Map(rows.map((x) => [x.id, shapeOf(x)]));
  const shaped = c.shape ? rows.filter((x) => shapes.get(x.id) === c.shape) : rows;
  const active = shaped.filter((x) => !x.extra.spool.archived);
  const archived = shaped.filter((x) => x.extra.spool.archived);
  const withKids = (xs: Row[]): Row[] => xs.filter((x) => x.extra.spool.childCount > 0);
  // A family when the shape has one, so the cascade runs too.
  const target = (xs: Row[]): string | undefined => pick(withKids(xs).length > 0 ? withKids(xs) : xs)?.id;
  let id: string | undefined;
  switch (c.kind) {
    case 'archive':
      id = target(active);
      return id ? { kind: c.kind, method: 'thread/archive', params: { threadId: id }, rules: {} } : null;
    case 'unarchive':
      id = target(archived);
      return id ? { kind: c.kind, method: 'thread/unarchive', params: { threadId: id }, rules: {} } : null;
    case 'thread/name/set':
      id = pick(active)?.id;
      return id
        ? {
            kind: c.kind,
            method: 'thread/name/set',
            params: { threadId: id, name: `renamed ${Math.floor(r() * 1e6)}` },
            rules: { mayAppendIndex: true },
          }
        : null;
    case 'git edit': {
      const row = pick(shaped);
      // A legacy rollout gains a session_meta line, as codex appends one; the others keep the edit in the journal.
      const rules: LossRules = row?.extra.spool.format === 'legacy' ? { mayAppendMeta: new Set([row.id]) } : {};
      return row ? { kind: c.kind, method: 'thread/metadata/update', params: { threadId: row.id, gitInfo: gitPatch(r) }, rules } : null;
    }
    case 'close cascade':
      id = pick(withKids(active))?.id;
      return id ? { kind: c.kind, method: 'thread/close', params: { threadId: id }, rules: {} } : null;
    case 'reopen cascade':
      id = pick(active.filter((x) => x.extra.spool.edgeStatus === 'closed' || x.extra.spool.childCount > 0))?.id;
      return id ? { kind: c.kind, method: 'spool/thread/reopen', params: { threadId: id }, rules: {} } : null;
    case 'bulk archive/unarchive': {
      // Alternate, so that rounds leave each collection about as full as they found it.
      const archive = round % 2 === 0;
      const pool = archive ? active : archived;
      const ids = new Set<string>();
      for (const shape of SHAPES) {
        const one = pick(pool.filter((x) => shapes.get(x.id) === shape));
        if (one) ids.add(one.id);
      }
      for (const x of pool) if (ids.size < 40 && r() < 0.1) ids.add(x.id);
      return ids.size > 0
        ? {
            kind: c.kind,
            method: 'spool/threads/bulk',
            params: { action: archive ? 'archive' : 'unarchive', threadIds: [...ids] },
            rules: {},
          }
        : null;
    }
  }
}

function gitPatch(r: () => number): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (r() < 0.7) out['branch'] = `fault/${Math.floor(r() * 1e6)}`;
  if (r() < 0.5)
    out['sha'] = Math.floor(r() * 2 ** 48)
      .toString(16)
      .padStart(12, '0');
  if (r() < 0.3) out['originUrl'] = r() < 0.5 ? null : `https://example.com/repo-${Math.floor(r() * 100)}.git`;
  if (Object.keys(out).length === 0) out['branch'] = 'fault/x';
  return out;
}
