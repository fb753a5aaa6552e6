// Rollout payloads → Codex app-server v2 `ThreadItem`s, shaped as codex 0.169 emits them (field
// names, order and null defaults were read off the real `codex app-server`'s answers). Two sources:
// typed `TurnItem`s (the `item` of a paginated thread's `item_completed` events, snake_case on
// disk) and the legacy events that older rollouts carry (`user_message`, `mcp_tool_call_end`, …).
import type { ThreadItem } from '../../../../shared/protocol/index.ts';
import { shlexJoin } from './shlex.ts';

export type Json = Record<string, unknown>;
export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** `snake_case` (serde's rename for core enums) → `camelCase` (the v2 API's). */
export const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Keys renamed recursively (codex's core → v2 conversions of nested payloads). */
export function camelKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (!isObj(v)) return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) out[camel(k)] = camelKeys(x);
  return out;
}

/** A Rust `Duration` (`{secs, nanos}`) in whole milliseconds, as codex's `as_millis()`. */
export function durationMs(v: unknown): number | null {
  if (!isObj(v)) return null;
  const secs = num(v['secs']);
  const nanos = num(v['nanos']) ?? 0;
  if (secs === null) return null;
  return secs * 1000 + Math.floor(nanos / 1_000_000);
}

/** `file:///a%20b` → `/a b`: codex stores a command's cwd as a file URL and reports the path. */
export function pathFromFileUrl(v: unknown): string {
  const s = str(v) ?? '';
  if (!s.startsWith('file://')) return s;
  try {
    return decodeURIComponent(new URL(s).pathname);
  } catch {
    return s.slice('file://'.length);
  }
}

/** Codex's `CodexErrorInfo` in its v2 form: variant and field names camelCased. */
export function codexErrorInfo(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return camel(v);
  return camelKeys(v);
}

export interface TurnErrorJson {
  message: string;
  codexErrorInfo: unknown;
  additionalDetails: string | null;
  misalignment: unknown;
}

export function turnError(e: Json): TurnErrorJson {
  return {
    message: str(e['message']) ?? '',
    codexErrorInfo: codexErrorInfo(e['codex_error_info']),
    additionalDetails: str(e['additional_details']),
    misalignment: e['misalignment'] === undefined ? null : camelKeys(e['misalignment']),
  };
}

// ---------------------------------------------------------------------------------------------
// pieces shared by both sources

function textElements(v: unknown): unknown[] {
  return arr(v).map((e) => {
    if (!isObj(e)) return e;
    const range = isObj(e['byte_range']) ? e['byte_range'] : isObj(e['byteRange']) ? e['byteRange'] : {};
    return { byteRange: { start: num(range['start']) ?? 0, end: num(range['end']) ?? 0 }, placeholder: str(e['placeholder']) };
  });
}

function userInput(c: unknown): unknown {
  if (!isObj(c)) return c;
  const type = str(c['type']);
  switch (type) {
    case 'text':
      return { type: 'text', text: str(c['text']) ?? '', text_elements: textElements(c['text_elements']) };
    case 'image':
      return { type: 'image', url: str(c['image_url']) ?? str(c['url']) ?? '', detail: c['detail'] ?? null };
    case 'local_image':
    case 'localImage':
      return { type: 'localImage', detail: c['detail'] ?? null, path: str(c['path']) ?? '' };
    case 'audio':
      return { type: 'audio', url: str(c['audio_url']) ?? str(c['url']) ?? '' };
    case 'local_audio':
    case 'localAudio':
      return { type: 'localAudio', path: str(c['path']) ?? '' };
    case 'skill':
    case 'mention':
      return { type, name: str(c['name']) ?? '', path: str(c['path']) ?? '' };
    default:
      return camelKeys(c);
  }
}

function memoryCitation(v: unknown): unknown {
  if (!isObj(v)) return null;
  return {
    entries: arr(v['entries']).map((e) =>
      isObj(e)
        ? { path: str(e['path']) ?? '', lineStart: num(e['line_start']) ?? 0, lineEnd: num(e['line_end']) ?? 0, note: str(e['note']) ?? '' }
        : e,
    ),
    threadIds: arr(v['rollout_ids'] ?? v['thread_ids']).filter((x) => typeof x === 'string'),
  };
}

function agentMessage(id: string, text: string, p: Json): ThreadItem {
  return {
    type: 'agentMessage',
    moderation: p['moderation'] === undefined ? null : camelKeys(p['moderation']),
    id,
    text,
    phase: str(p['phase']),
    memoryCitation: memoryCitation(p['memory_citation']),
    delivery: str(p['delivery']),
    questions: p['questions'] === undefined || p['questions'] === null ? null : camelKeys(p['questions']),
  };
}

function commandAction(a: unknown): unknown {
  if (!isObj(a)) return a;
  const command = str(a['cmd']) ?? '';
  switch (a['type']) {
    case 'read':
      return { type: 'read', command, name: str(a['name']) ?? '', path: str(a['path']) ?? '' };
    case 'list_files':
      return { type: 'listFiles', command, path: str(a['path']) };
    case 'search':
      return { type: 'search', command, query: str(a['query']), path: str(a['path']) };
    default:
      return { type: 'unknown', command };
  }
}

function fileChanges(v: unknown): unknown[] {
  if (!isObj(v)) return [];
  const out = Object.entries(v).map(([path, ch]) => {
    const c = isObj(ch) ? ch : {};
    const type = str(c['type']);
    if (type === 'update') {
      const move = str(c['move_path']);
      const diff = str(c['unified_diff']) ?? '';
      return { path, kind: { type: 'update', move_path: move }, diff: move ? `${diff}\n\nMoved to: ${move}` : diff };
    }
    return { path, kind: { type: type === 'delete' ? 'delete' : 'add' }, diff: str(c['content']) ?? '' };
  });
  // Rust sorts PathBufs component-wise; for the absolute paths codex writes that is byte order.
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function webSearchAction(v: unknown): unknown {
  if (!isObj(v)) return null;
  switch (v['type']) {
    case 'search':
      return { type: 'search', query: str(v['query']), queries: Array.isArray(v['queries']) ? v['queries'] : null };
    case 'open_page':
      return { type: 'openPage', url: str(v['url']) };
    case 'find_in_page':
      return { type: 'findInPage', url: str(v['url']), pattern: str(v['pattern']) };
    default:
      return { type: 'other' };
  }
}

function collabAgentState(v: unknown): unknown {
  if (typeof v === 'string') return { status: camel(v), message: null };
  if (isObj(v)) {
    const [k, m] = Object.entries(v)[0] ?? ['notFound', null];
    return { status: camel(k), message: typeof m === 'string' ? m : null };
  }
  return { status: 'notFound', message: null };
}

function mcpResult(v: unknown): unknown {
  if (!isObj(v)) return null;
  return {
    content: arr(v['content']),
    structuredContent: v['structured_content'] ?? v['structuredContent'] ?? null,
    _meta: v['_meta'] ?? v['meta'] ?? null,
  };
}

function mcpToolCall(
  id: string,
  server: string,
  tool: string,
  status: string,
  args: unknown,
  result: unknown,
  error: unknown,
  duration: number | null,
  extra: Json,
): ThreadItem {
  return {
    type: 'mcpToolCall',
    id,
    server,
    tool,
    status,
    arguments: args,
    appContext: extra['app_context'] === undefined || extra['app_context'] === null ? null : camelKeys(extra['app_context']),
    mcpAppUi: extra['mcp_app_ui'] === undefined || extra['mcp_app_ui'] === null ? null : camelKeys(extra['mcp_app_ui']),
    pluginId: str(extra['plugin_id']),
    readOnlyHint: bool(extra['read_only_hint']),
    result,
    error,
    durationMs: duration,
  };
}

function imageGeneration(id: string, p: Json): ThreadItem {
  const item: ThreadItem = {
    type: 'imageGeneration',
    id,
    status: str(p['status']) ?? '',
    revisedPrompt: str(p['revised_prompt']),
    result: str(p['result']) ?? '',
    transparentBackground: bool(p['transparent_background']),
    failure: p['failure'] === undefined || p['failure'] === null ? null : camelKeys(p['failure']),
    generationId: str(p['generation_id']),
  };
  // Codex leaves savedPath out entirely when the image was not saved.
  if (typeof p['saved_path'] === 'string') item['savedPath'] = p['saved_path'];
  return item;
}

// ---------------------------------------------------------------------------------------------
// typed TurnItems (paginated threads)

/** The ThreadItem for a `TurnItem` as written in an `item_completed` event, or null if codex shows none. */
export function threadItemFromTurnItem(item: Json): ThreadItem | null {
  const id = str(item['id']);
  if (id === null) return null;
  switch (item['type']) {
    case 'UserMessage':
      return { type: 'userMessage', id, clientId: str(item['client_id']), content: arr(item['content']).map(userInput) };
    case 'AgentMessage': {
      const text = arr(item['content'])
        .map((c) => (isObj(c) && typeof c['text'] === 'string' ? c['text'] : ''))
        .join('');
      return agentMessage(id, text, item);
    }
    case 'Reasoning':
      return { type: 'reasoning', id, summary: arr(item['summary_text']), content: arr(item['raw_content']) };
    case 'Plan': {
      const text = str(item['text']) ?? '';
      return text === '' ? null : { type: 'plan', id, text };
    }
    case 'CommandExecution':
      return {
        type: 'commandExecution',
        id,
        pluginId: str(item['plugin_id']),
        scriptPath: str(item['script_path']),
        command: shlexJoin(arr(item['command']).map((w) => String(w))),
        cwd: pathFromFileUrl(item['cwd']),
        processId: str(item['process_id']),
        source: camel(str(item['source']) ?? 'agent'),
        status: camel(str(item['status']) ?? 'completed'),
        commandActions: arr(item['parsed_cmd']).map(commandAction),
        aggregatedOutput: str(item['aggregated_output']),
        exitCode: num(item['exit_code']),
        durationMs: durationMs(item['duration']),
      };
    case 'FileChange':
      return { type: 'fileChange', id, changes: fileChanges(item['changes']), status: camel(str(item['status']) ?? 'completed') };
    case 'McpToolCall':
      return mcpToolCall(
        id,
        str(item['server']) ?? '',
        str(item['tool']) ?? '',
        camel(str(item['status']) ?? 'completed'),
        item['arguments'] ?? null,
        mcpResult(item['result']),
        isObj(item['error']) ? { message: str(item['error']['message']) ?? '' } : null,
        durationMs(item['duration']),
        item,
      );
    case 'DynamicToolCall':
      return {
        type: 'dynamicToolCall',
        id,
        namespace: str(item['namespace']),
        tool: str(item['tool']) ?? '',
        arguments: item['arguments'] ?? null,
        status: camel(str(item['status']) ?? 'completed'),
        contentItems: Array.isArray(item['content_items']) ? camelKeys(item['content_items']) : null,
        success: bool(item['success']),
        durationMs: durationMs(item['duration']),
      };
    case 'CollabAgentToolCall': {
      const states: Json = {};
      if (isObj(item['agents_states'])) for (const [k, v] of Object.entries(item['agents_states'])) states[k] = collabAgentState(v);
      return {
        type: 'collabAgentToolCall',
        id,
        tool: camel(str(item['tool']) ?? ''),
        status: camel(str(item['status']) ?? 'completed'),
        senderThreadId: str(item['sender_thread_id']) ?? '',
        receiverThreadIds: arr(item['receiver_thread_ids']),
        prompt: str(item['prompt']),
        model: str(item['model']),
        reasoningEffort: str(item['reasoning_effort']),
        agentsStates: states,
      };
    }
    case 'SubAgentActivity':
      return {
        type: 'subAgentActivity',
        model: str(item['model']),
        reasoningEffort: str(item['reasoning_effort']),
        id,
        kind: camel(str(item['kind']) ?? 'started'),
        agentThreadId: str(item['agent_thread_id']) ?? '',
        agentPath: str(item['agent_path']) ?? '',
      };
    case 'WebSearch':
      return {
        type: 'webSearch',
        id,
        query: str(item['query']) ?? '',
        action: webSearchAction(item['action']),
        results: item['results'] ?? null,
      };
    case 'ImageGeneration':
      return imageGeneration(id, item);
    case 'ContextCompaction':
      return { type: 'contextCompaction', id };
    case 'FunctionCallOutput':
      return {
        type: 'functionCallOutput',
        id,
        name: str(item['name']) ?? '',
        namespace: str(item['namespace']),
        output: item['output'] ?? null,
      };
    case 'EnteredReviewMode':
      return { type: 'enteredReviewMode', id, review: str(item['review']) ?? '' };
    case 'ExitedReviewMode':
      return { type: 'exitedReviewMode', id, review: str(item['review']) ?? '' };
    case 'ImageView':
      return { type: 'imageView', id, path: str(item['path']) ?? '' };
    case 'Sleep':
      return { type: 'sleep', id, durationMs: num(item['duration_ms']) ?? 0 };
    case 'HookPrompt':
      return {
        type: 'hookPrompt',
        id,
        fragments: arr(item['fragments']).map((f) =>
          isObj(f) ? { text: str(f['text']) ?? '', hookRunId: str(f['hook_run_id']) ?? '' } : f,
        ),
      };
    default:
      return null;
  }
}

/** The v2 item type a TurnItem becomes (for the index's item table), without converting it. */
export function threadItemType(turnItemType: string): string {
  return turnItemType.length > 0 ? turnItemType[0]!.toLowerCase() + turnItemType.slice(1) : turnItemType;
}

// ---------------------------------------------------------------------------------------------
// legacy events

export function userMessageFromEvent(id: string, p: Json): ThreadItem {
  const content: unknown[] = [];
  const message = str(p['message']) ?? '';
  if (message.trim() !== '') content.push({ type: 'text', text: message, text_elements: textElements(p['text_elements']) });
  const details = arr(p['image_details']);
  arr(p['images']).forEach((url, i) => content.push({ type: 'image', url: String(url), detail: details[i] ?? null }));
  const localDetails = arr(p['local_image_details']);
  arr(p['local_images']).forEach((path, i) => content.push({ type: 'localImage', detail: localDetails[i] ?? null, path: String(path) }));
  return { type: 'userMessage', id, clientId: str(p['client_id']), content };
}

export const agentMessageFromEvent = (id: string, p: Json): ThreadItem => agentMessage(id, str(p['message']) ?? '', p);

export const reasoningItem = (id: string, summary: string[], content: string[]): ThreadItem => ({
  type: 'reasoning',
  id,
  summary,
  content,
});

export const contextCompactionItem = (id: string): ThreadItem => ({ type: 'contextCompaction', id });

export const REVIEW_REQUESTED = 'Review requested.';
export const REVIEW_FALLBACK = 'Reviewer failed to output a response.';

export function exitedReviewText(p: Json): string {
  const out = p['review_output'];
  if (!isObj(out)) return REVIEW_FALLBACK;
  const explanation = (str(out['overall_explanation']) ?? '').trim();
  return explanation === '' ? REVIEW_FALLBACK : explanation;
}

export function mcpToolCallFromEvent(p: Json): ThreadItem | null {
  const id = str(p['call_id']);
  if (id === null) return null;
  const inv = isObj(p['invocation']) ? p['invocation'] : {};
  const res = p['result'];
  let result: unknown = null;
  let error: unknown = null;
  let ok = false;
  if (isObj(res) && 'Ok' in res) {
    result = mcpResult(res['Ok']);
    ok = !(isObj(res['Ok']) && res['Ok']['isError'] === true);
  } else if (isObj(res) && 'Err' in res) error = { message: String(res['Err']) };
  return mcpToolCall(
    id,
    str(inv['server']) ?? '',
    str(inv['tool']) ?? '',
    ok ? 'completed' : 'failed',
    inv['arguments'] ?? null,
    result,
    error,
    durationMs(p['duration']),
    p,
  );
}

export function webSearchFromEvent(p: Json): ThreadItem | null {
  const id = str(p['call_id']);
  if (id === null) return null;
  return { type: 'webSearch', id, query: str(p['query']) ?? '', action: webSearchAction(p['action']), results: p['results'] ?? null };
}

export function imageGenerationFromEvent(p: Json): ThreadItem | null {
  const id = str(p['call_id']);
  return id === null ? null : imageGeneration(id, p);
}

export function fileChangeFromEvent(p: Json): ThreadItem | null {
  const id = str(p['call_id']);
  if (id === null) return null;
  const status = str(p['status']) ?? (p['success'] === false ? 'failed' : 'completed');
  return { type: 'fileChange', id, changes: fileChanges(p['changes']), status: camel(status) };
}

/** Adds the item lifecycle times codex 0.169 appends to every item (null for legacy events). */
export function withTimes(item: ThreadItem, startedAtMs: number | null, completedAtMs: number | null): ThreadItem {
  return { ...item, startedAtMs, completedAtMs };
}
