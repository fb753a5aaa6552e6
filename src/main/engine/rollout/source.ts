// session_meta.source: the disk encoding (lower-case), Spool's stored form, the API form
// (camelCase) and the kind used by `sourceKinds` filters (docs/FORMAT.md §2.3).
import type { SessionSource, ThreadSourceKind, ThreadSpawnSource } from '../../../shared/protocol/index.ts';
import { isObj, str } from './json-value.ts';

/** The kinds Spool stores; `custom` and `subAgentMemory` match no Codex kind but `subAgent` (memory). */
export type StoredSourceKind =
  | 'cli'
  | 'vscode'
  | 'exec'
  | 'appServer'
  | 'unknown'
  | 'custom'
  | 'subAgentReview'
  | 'subAgentCompact'
  | 'subAgentMemory'
  | 'subAgentThreadSpawn'
  | 'subAgentOther';

export interface DecodedSource {
  /** What Spool stores in threads.source: a bare string or compact JSON, as codex's state DB does. */
  stored: string;
  kind: StoredSourceKind;
  api: SessionSource;
  spawn: ThreadSpawnSource | null;
}

function decodeSpawn(v: unknown): ThreadSpawnSource | null {
  if (!isObj(v) || typeof v['parent_thread_id'] !== 'string') return null;
  return {
    parent_thread_id: v['parent_thread_id'].toLowerCase(),
    depth: typeof v['depth'] === 'number' ? Math.trunc(v['depth']) : 1,
    agent_path: str(v['agent_path']),
    agent_nickname: str(v['agent_nickname']),
    agent_role: str(v['agent_role']),
  };
}

const UNKNOWN: DecodedSource = { stored: 'unknown', kind: 'unknown', api: 'unknown', spawn: null };

/** Decodes `session_meta.source` as found on disk (or a stored value parsed back from JSON). */
export function decodeSource(raw: unknown): DecodedSource {
  if (typeof raw === 'string') {
    switch (raw) {
      case 'cli':
      case 'vscode':
      case 'exec':
        return { stored: raw, kind: raw, api: raw, spawn: null };
      case 'mcp':
        return { stored: 'mcp', kind: 'appServer', api: 'appServer', spawn: null };
      default:
        return UNKNOWN;
    }
  }
  if (!isObj(raw)) return UNKNOWN;
  if (typeof raw['custom'] === 'string') {
    return { stored: JSON.stringify({ custom: raw['custom'] }), kind: 'custom', api: { custom: raw['custom'] }, spawn: null };
  }
  const sub = raw['subagent'];
  if (sub === undefined) return UNKNOWN;
  const stored = JSON.stringify({ subagent: sub });
  if (sub === 'review') return { stored, kind: 'subAgentReview', api: { subAgent: 'review' }, spawn: null };
  if (sub === 'compact') return { stored, kind: 'subAgentCompact', api: { subAgent: 'compact' }, spawn: null };
  if (sub === 'memory_consolidation') return { stored, kind: 'subAgentMemory', api: { subAgent: 'memory_consolidation' }, spawn: null };
  if (isObj(sub)) {
    if ('thread_spawn' in sub) {
      const spawn = decodeSpawn(sub['thread_spawn']);
      if (spawn) {
        return {
          stored: JSON.stringify({ subagent: { thread_spawn: spawn } }),
          kind: 'subAgentThreadSpawn',
          api: { subAgent: { thread_spawn: spawn } },
          spawn,
        };
      }
    }
    if (typeof sub['other'] === 'string') return { stored, kind: 'subAgentOther', api: { subAgent: { other: sub['other'] } }, spawn: null };
  }
  return UNKNOWN;
}

/** Reads back a stored source (bare string or JSON) — codex's "try JSON, else bare string". */
export function decodeStoredSource(stored: string): DecodedSource {
  if (stored.startsWith('{')) {
    try {
      return decodeSource(JSON.parse(stored));
    } catch {
      return UNKNOWN;
    }
  }
  return decodeSource(stored);
}

/** The stored kinds that a Codex `ThreadSourceKind` filter selects. */
export function storedKindsFor(kind: ThreadSourceKind): StoredSourceKind[] {
  switch (kind) {
    case 'subAgent':
      return ['subAgentReview', 'subAgentCompact', 'subAgentMemory', 'subAgentThreadSpawn', 'subAgentOther'];
    case 'cli':
    case 'vscode':
    case 'exec':
    case 'appServer':
    case 'unknown':
    case 'subAgentReview':
    case 'subAgentCompact':
    case 'subAgentThreadSpawn':
    case 'subAgentOther':
      return [kind];
  }
}

/** The Codex kind a stored kind is reported under in facets (custom and memory fold into neighbours). */
export function apiKindOf(kind: StoredSourceKind): ThreadSourceKind {
  if (kind === 'custom') return 'unknown';
  if (kind === 'subAgentMemory') return 'subAgent';
  return kind;
}
