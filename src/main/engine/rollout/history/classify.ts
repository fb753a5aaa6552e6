// Which lines of a legacy rollout codex 0.169 reads back as rollout items. Implicit turns are named
// after the index of their first item among the items codex could read (`rollout-<n>`), so every
// line it skips shifts the ids of all later implicit turns. These rules were measured against the
// real `codex app-server` (a probe rollout per line shape: meta, candidate line, user message) over
// every line shape the reference homes of codex 0.47–0.169 contain, plus hand-written ones:
//
// - blank lines, invalid JSON, unknown envelope types and unknown response-item types: skipped;
// - `turn_context` lines in the pre-0.63 shape (`sandbox_policy: {mode: …}`): skipped;
// - events codex's history reader does not take back (`error`, `thread_name_updated`,
//   `undo_completed`, `exec_command_end`, …) and `item_completed` events other than Plan: skipped.
import { isObj, type Json } from '../json-value.ts';
import { RESPONSE_ITEM_TYPES, ROLLOUT_ITEM_ENVELOPES } from '../item-types.ts';

/** Event types a 0.169 legacy replay reads back (and so counts). */
const COUNTED_EVENTS = new Set([
  'user_message',
  'agent_message',
  'agent_reasoning',
  'agent_reasoning_raw_content',
  'token_count',
  'task_started',
  'task_complete',
  'turn_aborted',
  'context_compacted',
  'thread_rolled_back',
  'entered_review_mode',
  'exited_review_mode',
  'mcp_tool_call_end',
  'web_search_end',
  'image_generation_end',
  'patch_apply_end',
  'thread_settings_applied',
]);

/** For a decoded envelope line: does codex count it as a rollout item? */
export function countsAsRolloutItem(type: string, payload: unknown): boolean {
  if (!ROLLOUT_ITEM_ENVELOPES.has(type) || !isObj(payload)) return false;
  switch (type) {
    case 'turn_context': {
      const sp = payload['sandbox_policy'];
      return !(isObj(sp) && !('type' in sp) && 'mode' in sp);
    }
    case 'response_item':
      return typeof payload['type'] === 'string' && RESPONSE_ITEM_TYPES.has(payload['type']);
    case 'event_msg':
      return countsAsEvent(payload);
    default:
      return true;
  }
}

function countsAsEvent(p: Json): boolean {
  const t = p['type'];
  if (typeof t !== 'string') return false;
  if (t === 'item_completed' || t === 'item_started') return isObj(p['item']) && p['item']['type'] === 'Plan';
  if (!COUNTED_EVENTS.has(t)) return false;
  if (t === 'token_count') return p['info'] === null || p['info'] === undefined || isObj(p['info']);
  if (t === 'thread_settings_applied') return isObj(p['thread_settings']) && Object.keys(p['thread_settings']).length > 0;
  return true;
}

/** For a line the parser did not decode (it knows only the envelope type): does codex count it? */
export function countsUndecoded(type: string, responseItemType: string | null): boolean {
  if (!ROLLOUT_ITEM_ENVELOPES.has(type)) return false;
  if (type === 'response_item') return responseItemType !== null && RESPONSE_ITEM_TYPES.has(responseItemType);
  return type !== 'event_msg' && type !== 'turn_context';
}

const PAYLOAD_TYPE = Buffer.from('"payload":{"type":"');

/** The `payload.type` of a `response_item` line, read from its first bytes without decoding it. */
export function peekPayloadType(buf: Buffer, start: number, end: number): string | null {
  const head = buf.subarray(start, Math.min(end, start + 240));
  const at = head.indexOf(PAYLOAD_TYPE);
  if (at < 0) return null;
  const from = at + PAYLOAD_TYPE.length;
  const close = head.indexOf(0x22, from);
  return close < 0 ? null : head.toString('latin1', from, close);
}
