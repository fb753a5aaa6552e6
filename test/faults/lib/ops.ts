// The user operations the fault suite interrupts, each aimed at a thread the current index says it
// applies to, with what it may add to the home (the rules findLosses checks).
import type { LossRules } from './home-snapshot.ts';

export interface SpoolExtra {
  archived: boolean;
  format: 'bare' | 'legacy' | 'paginated';
  childCount: number;
  spawnParentId: string | null;
  edgeStatus: 'open' | 'closed' | null;
}
export interface Row {
  id: string;
  extra: { spool: SpoolExtra };
}

export interface Op {
  kind: string;
  method: string;
  params: unknown;
  rules: LossRules;
}

export type Pick = <T>(xs: T[]) => T | undefined;

/** The operations a user can run, each aimed at a thread the current index says it applies to. */
export function planOp(kind: string, rows: Row[], pick: Pick, r: () => number): Op | null {
  const active = rows.filter((x) => !x.extra.spool.archived);
  const archived = rows.filter((x) => x.extra.spool.archived);
  const withKids = (xs: Row[]): Row[] => xs.filter((x) => x.extra.spool.childCount > 0);
  const target = (xs: Row[]): string | undefined => pick(xs)?.id;
  let id: string | undefined;
  switch (kind) {
    case 'archive cascade':
      id = target(withKids(active).length > 0 ? withKids(active) : active);
      return id ? { kind, method: 'thread/archive', params: { threadId: id }, rules: {} } : null;
    case 'unarchive cascade':
      id = target(withKids(archived).length > 0 ? withKids(archived) : archived);
      return id ? { kind, method: 'thread/unarchive', params: { threadId: id }, rules: {} } : null;
    case 'thread/name/set':
      id = target(active);
      return id ? { kind, method: 'thread/name/set', params: { threadId: id, name: `renamed ${Math.floor(r() * 1e6)}` }, rules: { mayAppendIndex: true } } : null;
    case 'git edit (legacy)': {
      id = target(rows.filter((x) => x.extra.spool.format === 'legacy'));
      return id ? { kind, method: 'thread/metadata/update', params: { threadId: id, gitInfo: gitPatch(r) }, rules: { mayAppendMeta: new Set([id]) } } : null;
    }
    case 'git edit (paginated)':
      id = target(rows.filter((x) => x.extra.spool.format === 'paginated'));
      return id ? { kind, method: 'thread/metadata/update', params: { threadId: id, gitInfo: gitPatch(r) }, rules: {} } : null;
    case 'close cascade':
      id = target(withKids(active));
      return id ? { kind, method: 'thread/close', params: { threadId: id }, rules: {} } : null;
    case 'reopen cascade':
      id = target(active.filter((x) => x.extra.spool.edgeStatus === 'closed' || x.extra.spool.childCount > 0));
      return id ? { kind, method: 'spool/thread/reopen', params: { threadId: id }, rules: {} } : null;
    case 'bulk archive/unarchive': {
      const archive = r() < 0.5 ? active.length > 20 : archived.length < 20;
      const pool = archive ? active : archived;
      const ids = pool.filter(() => r() < 0.5).slice(0, 60).map((x) => x.id);
      return ids.length > 0 ? { kind, method: 'spool/threads/bulk', params: { action: archive ? 'archive' : 'unarchive', threadIds: ids }, rules: {} } : null;
    }
  }
  return null;
}

function gitPatch(r: () => number): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (r() < 0.7) out['branch'] = `fault/${Math.floor(r() * 1e6)}`;
  if (r() < 0.5) out['sha'] = Math.floor(r() * 2 ** 48).toString(16).padStart(12, '0');
  if (r() < 0.3) out['originUrl'] = r() < 0.5 ? null : `https://example.com/repo-${Math.floor(r() * 100)}.git`;
  if (Object.keys(out).length === 0) out['branch'] = 'fault/x';
  return out;
}

export const OPS = ['archive cascade', 'unarchive cascade', 'thread/name/set', 'git edit (legacy)', 'git edit (paginated)', 'close cascade', 'reopen cascade', 'bulk archive/unarchive'];

