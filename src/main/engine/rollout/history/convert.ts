// Rollout payloads → Codex app-server v2 `ThreadItem`s, shaped as codex 0.169 emits them (field
// names, order and null defaults were read off the real `codex app-server`'s answers). This module
// converts typed `TurnItem`s (the `item` of a paginated thread's `item_completed` events, snake_case
// on disk); the legacy events that older rollouts carry (`user_message`, `mcp_tool_call_end`, …) are
// event-items.ts's, and the parts both build are item-shapes.ts's.
import type { ThreadItem } from '../../../../shared/protocol/index.ts';
import { arr, bool, isObj, num, str, type Json } from '../json-value.ts';
import {
  agentMessage,
  camel,
  camelKeys,
  durationMs,
  fileChanges,
  imageGeneration,
  mcpResult,
  mcpToolCall,
  pathFromFileUrl,
  textElements,
  webSearchAction,
} from './item-shapes.ts';
import { shlexJoin } from './shlex.ts';

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

function collabAgentState(v: unknown): unknown {
  if (typeof v === 'string') return { status: camel(v), message: null };
  if (isObj(v)) {
    const [k, m] = Object.entries(v)[0] ?? ['notFound', null];
    return { status: camel(k), message: typeof m === 'string' ? m : null };
  }
  return { status: 'notFound', message: null };
}

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

/** Adds the item lifecycle times codex 0.169 appends to every item (null for legacy events). */
export function withTimes(item: ThreadItem, startedAtMs: number | null, completedAtMs: number | null): ThreadItem {
  return { ...item, startedAtMs, completedAtMs };
}
