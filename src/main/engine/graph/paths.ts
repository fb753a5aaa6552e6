// spool/agent/resolve: agent paths, absolute (`/root/worker/reviewer`) or relative to a thread
// (`../sibling`, `child`, `./child/grandchild`). Codex names multi-agent v2 agents by canonical
// paths rooted at `/root` and looks them up exactly within one root's descendants
// (`find_thread_spawn_descendant_by_path`); more than one match is its error "multiple agents found
// for canonical path". Spool does the same, then, for multi-agent v1 agents (which have no path),
// walks the tree segment by segment, matching a segment against a child's nickname.
import type { Db } from '../db/database.ts';
import { invalidRequest } from '../../../shared/jsonrpc.ts';
import type { AgentResolveParams, AgentResolveResult } from '../../../shared/protocol/index.ts';
import { loadFamily, type Family, type FamilyNode } from './family.ts';
import { parseThreadId } from '../threads/thread-id.ts';
import { threadsAtAgentPath } from './graph-sql.ts';

export const ROOT_PATH = '/root';
const MAX_SEGMENTS = 256;
/** Threads an ambiguous path's error lists at most. */
const MATCHES_LISTED = 50;

interface ParsedPath {
  absolute: boolean;
  /** Segments after `/root` for an absolute path; all segments for a relative one. */
  segments: string[];
}

export function parseAgentPath(raw: string): ParsedPath {
  const text = raw.trim();
  if (text === '') throw invalidRequest('agent path must not be empty');
  const absolute = text.startsWith('/');
  const parts = text.split('/');
  if (absolute) parts.shift();
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop(); // a trailing slash
  if (parts.length > MAX_SEGMENTS) throw invalidRequest(`agent path has more than ${MAX_SEGMENTS} segments`);
  for (const p of parts) {
    if (p === '') throw invalidRequest(`invalid agent path: ${raw} (empty segment)`);
    if (/\s/.test(p)) throw invalidRequest(`invalid agent path: ${raw} (whitespace in a segment)`);
  }
  if (absolute) {
    if (parts[0] !== 'root') throw invalidRequest(`invalid agent path: ${raw} (absolute paths start at ${ROOT_PATH})`);
    parts.shift();
  }
  return { absolute, segments: parts };
}

/** The canonical path of a node: `/root` for a family's root, its agent_path otherwise (null for v1 agents). */
export function canonicalPathOf(fam: Family, n: FamilyNode): string | null {
  return n === fam.root ? ROOT_PATH : n.agentPath;
}

/** Joins segments onto a canonical path lexically; null when `..` climbs above /root. */
function joinPath(base: string, segments: string[]): string | null {
  const parts = base.split('/').filter(Boolean);
  for (const s of segments) {
    if (s === '.') continue;
    if (s === '..') {
      if (parts.length <= 1) return null;
      parts.pop();
    } else parts.push(s);
  }
  return `/${parts.join('/')}`;
}

const lastSegment = (p: string | null): string | null => (p === null ? null : (p.split('/').filter(Boolean).pop() ?? null));

/** Walks the tree segment by segment (for paths through v1 agents, which have no agent_path). */
function walk(fam: Family, from: FamilyNode, segments: string[], shown: string): FamilyNode {
  let cur = from;
  for (const s of segments) {
    if (s === '.') continue;
    if (s === '..') {
      if (cur.parentId === null) throw invalidRequest(`agent path ${shown} goes above ${ROOT_PATH}`);
      cur = fam.byId.get(cur.parentId)!;
      continue;
    }
    const byPath = cur.children.filter((c) => lastSegment(c.agentPath) === s);
    const matches =
      byPath.length > 0
        ? byPath
        : cur.children.filter((c) => c.agentPath === null && c.agentNickname !== null && c.agentNickname.toLowerCase() === s.toLowerCase());
    if (matches.length > 1)
      throw invalidRequest(`multiple agents found for canonical path ${shown}`, { threadIds: matches.map((m) => m.id) });
    if (matches.length === 0) throw invalidRequest(`no agent found for path ${shown}`);
    cur = matches[0]!;
  }
  return cur;
}

function resolveInFamily(fam: Family, base: FamilyNode, parsed: ParsedPath, raw: string): FamilyNode {
  const basePath = canonicalPathOf(fam, base);
  if (basePath !== null) {
    const target = joinPath(basePath, parsed.segments);
    if (target === null) throw invalidRequest(`agent path ${raw} goes above ${ROOT_PATH}`);
    if (target === ROOT_PATH) return fam.root;
    // Codex's lookup: the descendants of the root whose canonical path is exactly the target.
    const exact = fam.order.filter((n) => n !== fam.root && n.agentPath === target);
    if (exact.length > 1) throw invalidRequest(`multiple agents found for canonical path ${target}`, { threadIds: exact.map((m) => m.id) });
    if (exact.length === 1) return exact[0]!;
    return walk(fam, base, parsed.segments, target);
  }
  return walk(fam, base, parsed.segments, raw);
}

export function resolveAgentPath(db: Db, params: AgentResolveParams): AgentResolveResult {
  const parsed = parseAgentPath(params.path);
  let node: FamilyNode;
  let fam: Family;
  if (params.threadId != null) {
    fam = loadFamily(db, params.threadId);
    const base = parsed.absolute ? fam.root : fam.byId.get(parseThreadId(params.threadId))!;
    node = resolveInFamily(fam, base, parsed, params.path);
  } else {
    if (!parsed.absolute) throw invalidRequest('a relative agent path needs a threadId to start from');
    if (parsed.segments.length === 0) throw invalidRequest(`${ROOT_PATH} names the root of every tree: pass a threadId`);
    // No tree given: the path must name one agent across every tree in the index.
    const target = joinPath(ROOT_PATH, parsed.segments);
    if (target === null) throw invalidRequest(`agent path ${params.path} goes above ${ROOT_PATH}`);
    const ids = threadsAtAgentPath(db, target, MATCHES_LISTED);
    if (ids.length > 1) throw invalidRequest(`multiple agents found for canonical path ${target}`, { threadIds: ids });
    if (ids.length === 0) throw invalidRequest(`no agent found for path ${target}`);
    fam = loadFamily(db, ids[0]!);
    node = fam.byId.get(ids[0]!)!;
  }
  return { threadId: node.id, agentPath: canonicalPathOf(fam, node), rootId: fam.root.id };
}
