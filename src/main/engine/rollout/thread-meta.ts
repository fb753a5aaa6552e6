// A thread's metadata as codex derives it from the rollout (docs/FORMAT.md §7.4, §2.7): who and
// what started the thread (session_meta, or the bare header of a pre-0.47 file), the model and
// sandbox of its latest turn context, its token total and its older in-rollout name. The parser
// hands each decoded line's payload here; turns, previews and search text are the tracker's.
import { isObj, num, str, parseTimestampMs, type Json } from './json-value.ts';
import type { GitMeta, ThreadMeta } from './parse-types.ts';

export function newThreadMeta(): ThreadMeta {
  return {
    id: null,
    sessionId: null,
    forkedFromId: null,
    createdAtMs: null,
    source: null,
    cwd: '',
    originator: null,
    cliVersion: '',
    modelProvider: null,
    model: null,
    reasoningEffort: null,
    agentNickname: null,
    agentRole: null,
    agentPath: null,
    metaParentId: null,
    threadSource: null,
    historyMode: 'legacy',
    memoryMode: null,
    git: null,
    firstUserMessage: '',
    preview: '',
    name: null,
    tokensUsed: 0,
    sandboxPolicy: null,
    approvalMode: null,
    lastEventMs: null,
  };
}

/**
 * A session_meta payload. The first one names the thread; later ones update what they carry only
 * when they are the same thread's (forks embed their source's meta). Returns true when this one
 * gave the thread its id.
 */
export function applySessionMeta(m: ThreadMeta, p: Json): boolean {
  const id = str(p['id'])?.toLowerCase() ?? null;
  let named = false;
  if (m.id === null) {
    // The first session_meta names the thread. A file whose name carries another id is still
    // that thread's file only if the meta agrees; forks embed their source's meta later on.
    if (id === null) return false;
    m.id = id;
    named = true;
    m.sessionId = str(p['session_id'])?.toLowerCase() ?? id;
    m.forkedFromId = str(p['forked_from_id'])?.toLowerCase() ?? null;
    m.createdAtMs = parseTimestampMs(p['timestamp']);
    m.source = p['source'] ?? null;
    m.originator = str(p['originator']);
    m.agentNickname = str(p['agent_nickname']);
    m.agentRole = str(p['agent_role']);
    m.agentPath = str(p['agent_path']);
    m.metaParentId = str(p['parent_thread_id'])?.toLowerCase() ?? null;
    m.threadSource = str(p['thread_source']);
    if (p['history_mode'] === 'paginated') m.historyMode = 'paginated';
  } else if (id !== m.id) {
    return false;
  }
  const provider = str(p['model_provider']);
  if (provider) m.modelProvider = provider;
  const cli = str(p['cli_version']);
  if (cli) m.cliVersion = cli;
  const cwd = str(p['cwd']);
  if (cwd) m.cwd = cwd;
  const mem = str(p['memory_mode']);
  if (mem) m.memoryMode = mem;
  if (p['history_mode'] === 'paginated') m.historyMode = 'paginated';
  if ('git' in p) m.git = gitFrom(p['git']);
  return named;
}

/** A turn_context payload: the latest one codex can read decides cwd, model, effort and policies. */
export function applyTurnContext(m: ThreadMeta, p: Json): void {
  if (!codexReadsTurnContext(p)) return;
  const cwd = str(p['cwd']);
  if (cwd) m.cwd = cwd;
  const model = str(p['model']);
  if (model) m.model = model;
  // The latest turn context decides, and one without an effort clears it (observed on a
  // 0.169 fork of an older thread: the copied contexts said "high", the new one nothing).
  m.reasoningEffort = str(p['effort']);
  const sandbox = p['sandbox_policy'];
  if (sandbox !== undefined && sandbox !== null) m.sandboxPolicy = JSON.stringify(sandbox);
  const approval = str(p['approval_policy']);
  if (approval) m.approvalMode = approval;
}

/** Metadata carried by events (an `event_msg` payload); turns and items are the tracker's. */
export function applyEventMeta(m: ThreadMeta, p: Json): void {
  switch (p['type']) {
    case 'token_count': {
      const info = p['info'];
      if (isObj(info) && isObj(info['total_token_usage'])) {
        const total = num(info['total_token_usage']['total_tokens']);
        if (total !== null) m.tokensUsed = Math.max(0, total);
      }
      return;
    }
    case 'thread_name_updated': {
      const name = str(p['thread_name'])?.trim();
      if (name) m.name = name;
      return;
    }
    default:
      return;
  }
}

/** The `{id, timestamp}` header of a bare (pre-0.47) rollout, which names the thread. */
export function applyBareHeader(m: ThreadMeta, id: string, v: Json): void {
  m.id = id.toLowerCase();
  m.sessionId = m.id;
  m.createdAtMs = parseTimestampMs(v['timestamp']);
  if ('git' in v) m.git = gitFrom(v['git']);
}

/**
 * Whether codex 0.169 can decode this turn_context for metadata. Codex 0.47–0.6x wrote
 * `sandbox_policy` as `{"mode": …}`; today's codex expects `{"type": …}`, fails to decode the
 * whole item and so takes no cwd, model or effort from it (observed: such threads have no model
 * in codex's state DB). Spool does the same so its metadata matches codex's.
 */
function codexReadsTurnContext(p: Json): boolean {
  const sandbox = p['sandbox_policy'];
  if (sandbox === undefined || sandbox === null) return true;
  return isObj(sandbox) && typeof sandbox['type'] === 'string';
}

function gitFrom(g: unknown): GitMeta | null {
  if (!isObj(g)) return null;
  const sha = str(g['commit_hash']);
  const branch = str(g['branch']);
  const originUrl = str(g['repository_url']);
  return { sha, branch, originUrl };
}
