// Finding `close_agent` in a rollout. A multi-agent v1 agent closes one of its sub-agents with this
// tool call; codex then persists the child's spawn edge as closed (docs/FORMAT.md §5.2). The call
// is a `function_call` response item, the same in every version that has the tool:
//   0.98 / 0.113  close_agent {"id": "<child>"}
//   0.124         close_agent {"target": "<child>"}
//   0.142+        close_agent {"target": "<child>"}, namespace "multi_agent_v1"
// Multi-agent v2 has no close tool: its edges stay open, in codex as in Spool.

const NEEDLE = Buffer.from('"close_agent"');
/** How far into a line the tool name can sit: it precedes the arguments in every version. */
const NAME_WINDOW = 512;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * Cheap pre-check on a raw line: could it be a close_agent call? Response items are most of a
 * rollout's bytes and are otherwise never decoded, so only the head of the line is searched.
 */
export function mayCloseAgent(buf: Uint8Array, start: number, end: number): boolean {
  const head = Buffer.from(buf.buffer, buf.byteOffset + start, Math.min(end - start, NAME_WINDOW));
  return head.indexOf(NEEDLE) >= 0;
}

/** The child a response item closes, or null when it is not a close_agent call naming a thread id. */
export function closedAgentOf(payload: Record<string, unknown>): string | null {
  if (payload['type'] !== 'function_call' || payload['name'] !== 'close_agent') return null;
  const raw = payload['arguments'];
  let args: unknown = raw;
  if (typeof raw === 'string') {
    try {
      args = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (typeof args !== 'object' || args === null) return null;
  const a = args as Record<string, unknown>;
  const target = typeof a['target'] === 'string' ? a['target'] : typeof a['id'] === 'string' ? a['id'] : null;
  return target !== null && UUID.test(target) ? target.toLowerCase() : null;
}
