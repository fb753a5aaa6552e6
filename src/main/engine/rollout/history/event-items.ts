// Legacy events → Codex app-server v2 `ThreadItem`s: the items codex 0.169 builds from the events
// of non-paginated rollouts (`user_message`, `mcp_tool_call_end`, `patch_apply_end`, …) when it
// replays them (history/legacy.ts), shaped as the real `codex app-server` answers.
import type { ThreadItem } from '../../../../shared/protocol/index.ts';
import { arr, isObj, str, type Json } from '../json-value.ts';
import {
  agentMessage,
  camel,
  durationMs,
  fileChanges,
  imageGeneration,
  mcpResult,
  mcpToolCall,
  textElements,
  webSearchAction,
} from './item-shapes.ts';

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
