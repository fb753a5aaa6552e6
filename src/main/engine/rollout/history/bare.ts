// Bare rollouts (codex before 0.47): a `{id, timestamp}` header, then plain response items and
// `{"record_type":"state"}` lines. Codex 0.169 cannot read them back at all; Spool shows them as
// implicit turns, each opened by a user message, with the same item shapes the thread view knows:
// messages, reasoning, and tool calls as command executions (shell) or dynamic tool calls.
import type { ThreadItem } from '../../../../shared/protocol/index.ts';
import { isInjectedUserText } from '../injected-text.ts';
import { isObj, str, type Json } from '../json-value.ts';
import type { LegacyReducer } from './legacy.ts';
import { shlexJoin } from './shlex.ts';

/** The text of a message's content: a plain string, or its text parts joined by newlines. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const c of content) if (isObj(c) && typeof c['text'] === 'string') parts.push(c['text']);
  return parts.join('\n');
}

function contentImages(content: unknown): string[] {
  if (!Array.isArray(content)) return [];
  return content
    .filter((c) => isObj(c) && (c['type'] === 'input_image' || c['type'] === 'image'))
    .map((c) => String((c as Json)['image_url'] ?? ''));
}

function parseJson(s: unknown): unknown {
  if (typeof s !== 'string') return s;
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

const SHELL_TOOLS = new Set(['shell', 'container.exec', 'local_shell', 'exec_command']);

/** What a bare tool call looks like before its output arrives. */
function toolCall(v: Json, callId: string): ThreadItem {
  const name = str(v['name']) ?? (v['type'] === 'local_shell_call' ? 'local_shell' : 'tool');
  const args = v['type'] === 'local_shell_call' ? (isObj(v['action']) ? v['action'] : {}) : (parseJson(v['arguments'] ?? v['input']) ?? {});
  const a = isObj(args) ? args : {};
  if (SHELL_TOOLS.has(name) && Array.isArray(a['command'])) {
    return {
      type: 'commandExecution',
      id: callId,
      pluginId: null,
      scriptPath: null,
      command: shlexJoin(a['command'].map((w) => String(w))),
      cwd: str(a['workdir']) ?? str(a['working_directory']) ?? '',
      processId: null,
      source: 'agent',
      status: 'inProgress',
      commandActions: [],
      aggregatedOutput: null,
      exitCode: null,
      durationMs: null,
    };
  }
  return {
    type: 'dynamicToolCall',
    id: callId,
    namespace: null,
    tool: name,
    arguments: args,
    status: 'inProgress',
    contentItems: null,
    success: null,
    durationMs: null,
  };
}

/** The call's item once its output is known. */
function withOutput(prev: ThreadItem | undefined, v: Json, callId: string): ThreadItem {
  const base = prev ?? {
    type: 'dynamicToolCall',
    id: callId,
    namespace: null,
    tool: 'tool',
    arguments: null,
    status: 'inProgress',
    contentItems: null,
    success: null,
    durationMs: null,
  };
  const raw = v['output'];
  const parsed = parseJson(raw);
  const text = isObj(parsed) && typeof parsed['output'] === 'string' ? parsed['output'] : typeof raw === 'string' ? raw : contentText(raw);
  const meta = isObj(parsed) && isObj(parsed['metadata']) ? parsed['metadata'] : {};
  const exit = typeof meta['exit_code'] === 'number' ? meta['exit_code'] : null;
  const secs = typeof meta['duration_seconds'] === 'number' ? meta['duration_seconds'] : null;
  const durationMs = secs === null ? null : Math.round(secs * 1000);
  if (base.type === 'commandExecution') {
    return { ...base, status: exit === null || exit === 0 ? 'completed' : 'failed', aggregatedOutput: text, exitCode: exit, durationMs };
  }
  return {
    ...base,
    status: exit !== null && exit !== 0 ? 'failed' : 'completed',
    contentItems: [{ type: 'inputText', text }],
    success: exit === null || exit === 0,
    durationMs,
  };
}

export interface BareNote {
  role: 'user' | 'agent';
  text: string;
  images: number;
}

/** Feeds one bare line to the reducer; returns the message it carried, for previews and search. */
export function bareLine<I>(reducer: LegacyReducer<I>, v: Json): BareNote | null {
  if ('record_type' in v) return null;
  const type = v['type'];
  if (type === 'message') {
    const text = contentText(v['content']);
    if (v['role'] === 'user') {
      if (isInjectedUserText(text)) return null;
      const images = contentImages(v['content']);
      reducer.event({ type: 'user_message', message: text, images });
      return { role: 'user', text, images: images.length };
    }
    if (v['role'] === 'assistant') {
      if (text === '') return null;
      reducer.event({ type: 'agent_message', message: text });
      return { role: 'agent', text, images: 0 };
    }
    return null;
  }
  if (type === 'reasoning') {
    const summary = Array.isArray(v['summary']) ? v['summary'] : [];
    for (const s of summary) if (isObj(s) && typeof s['text'] === 'string') reducer.event({ type: 'agent_reasoning', text: s['text'] });
    return null;
  }
  if (type === 'function_call' || type === 'custom_tool_call' || type === 'local_shell_call') {
    const callId = str(v['call_id']) ?? str(v['id']);
    if (callId !== null) reducer.upsertCurrentItem('tool', callId, () => toolCall(v, callId));
    return null;
  }
  if (type === 'function_call_output' || type === 'custom_tool_call_output') {
    const callId = str(v['call_id']);
    if (callId !== null) reducer.upsertCurrentItem('tool', callId, (prev) => withOutput(prev as ThreadItem | undefined, v, callId));
    return null;
  }
  return null;
}
