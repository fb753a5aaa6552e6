// What codex writes on a rollout line: the envelope types of `{"timestamp","type","payload"}` lines
// and the response item types. The parser (which decides what a line is) and the history reader
// (which decides what codex 0.169 reads back, history/classify.ts) use these lists; each list is
// written once, and where the two readers differ the difference is spelled out here.

/** Envelope types codex 0.169 reads back (its RolloutItem tag table). */
export const ROLLOUT_ITEM_ENVELOPES: ReadonlySet<string> = new Set([
  'session_meta',
  'dynamic_tools_updated',
  'response_item',
  'inter_agent_communication',
  'inter_agent_communication_metadata',
  'compacted',
  'turn_context',
  'token_usage_record',
  'world_state',
  'security_risk_score',
  'event_msg',
  'realtime_item',
]);

/**
 * Every envelope type the parser recognises: codex's, plus `retained_context`, which it knows as
 * an envelope (not an unknown type) although codex's replay does not count it as a rollout item.
 */
export const ENVELOPE_TYPES: ReadonlySet<string> = new Set([...ROLLOUT_ITEM_ENVELOPES, 'retained_context']);

/** Response item types that stand bare on a line in rollouts written before codex 0.47. */
const BARE_ITEMS = [
  'message',
  'reasoning',
  'function_call',
  'function_call_output',
  'custom_tool_call',
  'custom_tool_call_output',
  'local_shell_call',
  'web_search_call',
  'image_generation_call',
  'tool_search_call',
  'tool_search_output',
  'compaction',
  'ghost_snapshot',
];

export const BARE_ITEM_TYPES: ReadonlySet<string> = new Set(BARE_ITEMS);

/** Response item types codex 0.169 deserializes: the bare ones and those later versions added. */
export const RESPONSE_ITEM_TYPES: ReadonlySet<string> = new Set([
  ...BARE_ITEMS,
  'additional_tools',
  'agent_message',
  'configuration_update',
  'compaction_trigger',
  'context_compaction',
]);
