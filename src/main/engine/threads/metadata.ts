// thread/metadata/update (docs/FORMAT.md §6.1): a tri-state patch of a thread's git info — a field
// left out is unchanged, null clears it, a string (trimmed, non-empty) replaces it; an origin URL
// loses any credentials. The edit is stored in the user journal, which the index overlays on
// whatever the rollout says, so it survives a rebuild and outranks rollout values. For a legacy
// thread, codex also appends a whole session_meta line carrying the merged git info, so that codex
// (which replays the rollout) sees the edit too; Spool does the same.
import fs from 'node:fs';
import type { EngineContext } from '../context.ts';
import { appendLines } from '../fsx/atomic.ts';
import { nowIso, type GitRecord } from '../user/records.ts';
import { sanitizeOriginUrl } from '../rollout/text.ts';
import { invalidRequest, type RpcError } from '../../../shared/jsonrpc.ts';
import { formatRfc3339Millis, type ThreadMetadataUpdateParams, type ThreadMetadataUpdateResult } from '../../../shared/protocol/index.ts';
import { notifyAfterResponse } from './notify.ts';
import { parseThreadId } from './thread-id.ts';
import { writableOrRefuse } from './writable.ts';
import { getThreadRow, rowToThread, type ThreadRow } from './thread-row.ts';
import { readSessionMeta } from './session-meta.ts';

/** A validated patch: a key is present only when the request set or cleared it. */
export interface GitPatch {
  sha?: string | null;
  branch?: string | null;
  originUrl?: string | null;
}

/** Codex's checks and messages, in codex's order. */
export function validateGitPatch(gitInfo: ThreadMetadataUpdateParams['gitInfo']): GitPatch {
  if (gitInfo == null) throw invalidRequest('thread metadata update must include at least one field');
  const patch: GitPatch = {};
  for (const field of ['sha', 'branch', 'originUrl'] as const) {
    const v = gitInfo[field];
    if (v === undefined) continue;
    if (v === null) {
      patch[field] = null;
      continue;
    }
    const trimmed = v.trim();
    if (trimmed === '') throw invalidRequest(`gitInfo.${field} must not be empty`);
    patch[field] = field === 'originUrl' ? sanitizeOriginUrl(trimmed) : trimmed;
  }
  if (Object.keys(patch).length === 0) throw invalidRequest('gitInfo must include at least one field');
  return patch;
}

interface MergedGit {
  sha: string | null;
  branch: string | null;
  originUrl: string | null;
}

const merge = (row: ThreadRow, p: GitPatch): MergedGit => ({
  sha: p.sha !== undefined ? p.sha : row.git_sha,
  branch: p.branch !== undefined ? p.branch : row.git_branch,
  originUrl: p.originUrl !== undefined ? p.originUrl : row.git_origin_url,
});

/**
 * SessionMeta fields in the order codex 0.169 writes them (read off its rollouts and its appended
 * lines). Codex re-serializes the meta it parsed: fields it no longer knows (e.g. 0.47's
 * `instructions`) are dropped, `model_provider` and `base_instructions` are written even when null,
 * the others only when set.
 */
const META_ORDER = [
  'account_scoped',
  'session_id',
  'id',
  'forked_from_id',
  'forked_from_ordinal_exclusive',
  'parent_thread_id',
  'timestamp',
  'cwd',
  'runtime_workspace_roots',
  'originator',
  'cli_version',
  'source',
  'thread_source',
  'agent_nickname',
  'agent_role',
  'agent_path',
  'model_provider',
  'base_instructions',
  'dynamic_tools',
  'memory_mode',
  'history_mode',
  'history_base',
  'subagent_history_start_ordinal',
  'multi_agent_version',
  'context_window',
  'git',
] as const;
const ALWAYS_WRITTEN = new Set<string>(['model_provider', 'base_instructions']);

/** The session_meta line codex appends to a legacy rollout: its meta, the current modes, the merged git. */
export function sessionMetaLine(
  meta: Record<string, unknown>,
  id: string,
  memoryMode: string | null,
  git: MergedGit,
  atMs: number,
): string {
  const gitJson: Record<string, string> = {};
  if (git.sha !== null) gitJson['commit_hash'] = git.sha;
  if (git.branch !== null) gitJson['branch'] = git.branch;
  if (git.originUrl !== null) gitJson['repository_url'] = git.originUrl;
  const values: Record<string, unknown> = {
    ...meta,
    session_id: typeof meta['session_id'] === 'string' ? meta['session_id'] : id,
    memory_mode: memoryMode ?? 'enabled',
    history_mode: 'legacy',
    git: gitJson,
  };
  const payload: Record<string, unknown> = {};
  for (const key of META_ORDER) {
    const v = values[key];
    if (v !== undefined && v !== null) payload[key] = v;
    else if (ALWAYS_WRITTEN.has(key)) payload[key] = null;
  }
  return JSON.stringify({ timestamp: formatRfc3339Millis(atMs), type: 'session_meta', payload });
}

const noRollout = (id: string): RpcError => invalidRequest(`no rollout found for thread id ${id}`);

export async function updateThreadMetadata(ctx: EngineContext, params: ThreadMetadataUpdateParams): Promise<ThreadMetadataUpdateResult> {
  const id = parseThreadId(params.threadId);
  const patch = validateGitPatch(params.gitInfo);
  const before = getThreadRow(ctx.db, id);
  if (!before) throw noRollout(id);
  // Repair before patching: bring the index up to date with this rollout first.
  await ctx.indexer.syncPaths([before.rel_path]);

  const appendedTo = await ctx.indexer.exclusive(() => {
    const row = getThreadRow(ctx.db, id);
    if (!row) throw noRollout(id);
    const file = ctx.home.abs(row.rel_path);
    if (!fs.existsSync(file)) throw noRollout(id);
    let appended: string | null = null;
    // A legacy rollout without a session_meta of its own (message-less, or its header lost) has
    // nothing to re-serialize: like a bare rollout, its edit lives in the journal only.
    const meta = row.format === 'legacy' ? readSessionMeta(file, id) : null;
    if (meta) {
      // Rollout first: if we die before the journal is written, the rollout already says what the
      // user asked for, and the index (re-reading it) agrees.
      appendLines(writableOrRefuse(ctx, row.rel_path), [sessionMetaLine(meta, id, row.memory_mode, merge(row, patch), Date.now())]);
      appended = row.rel_path;
    }
    const record: GitRecord = { v: 1, at: nowIso(), type: 'git', threadId: id, ...patch };
    ctx.overlay.record([record]);
    return appended;
  });
  // The appended line changed the file: let the index read it now, so the answer is current.
  if (appendedTo) await ctx.indexer.syncPaths([appendedTo]);
  const row = getThreadRow(ctx.db, id);
  if (!row) throw noRollout(id);
  notifyAfterResponse(ctx.events, [{ method: 'spool/index/changed', params: { threadIds: [id], removedIds: [], reason: 'metadata' } }]);
  return { thread: rowToThread(row, ctx.home) };
}
