// Finding codex's close_agent calls in rollout lines, in every shape codex versions have written
// (the index-level behaviour, closes merged with the user's reopens, is graph/codex-closes.test.ts).
import { describe, expect, it } from 'vitest';
import { closedAgentOf, mayCloseAgent } from './agent-closes.ts';

const CHILD = '01a1fcce-fb75-7651-9610-cde9b087ef25';

describe('closedAgentOf', () => {
  it('reads close_agent as 0.98 / 0.113 ({id}), 0.124 ({target}) and 0.142+ (namespaced) write it', () => {
    expect(closedAgentOf({ type: 'function_call', name: 'close_agent', arguments: JSON.stringify({ id: CHILD }), call_id: 'c' })).toBe(
      CHILD,
    );
    expect(closedAgentOf({ type: 'function_call', name: 'close_agent', arguments: JSON.stringify({ target: CHILD }), call_id: 'c' })).toBe(
      CHILD,
    );
    expect(
      closedAgentOf({
        type: 'function_call',
        name: 'close_agent',
        namespace: 'multi_agent_v1',
        arguments: `{"target":"${CHILD.toUpperCase()}"}`,
      }),
    ).toBe(CHILD);
  });
  it('ignores other tools, targets that are not thread ids, and broken arguments', () => {
    expect(closedAgentOf({ type: 'function_call', name: 'wait_agent', arguments: JSON.stringify({ targets: [CHILD] }) })).toBeNull();
    expect(closedAgentOf({ type: 'function_call', name: 'close_agent', arguments: JSON.stringify({ target: '/root/worker' }) })).toBeNull();
    expect(closedAgentOf({ type: 'function_call', name: 'close_agent', arguments: '{"target": ' })).toBeNull();
    expect(closedAgentOf({ type: 'function_call_output', call_id: 'c', output: 'close_agent' })).toBeNull();
    expect(closedAgentOf({ type: 'message', role: 'user', content: [{ type: 'input_text', text: '"name":"close_agent"' }] })).toBeNull();
  });
  it('pre-checks only the head of a line, where the tool name sits', () => {
    const call = Buffer.from(
      JSON.stringify({ timestamp: 't', type: 'response_item', payload: { type: 'function_call', name: 'close_agent', arguments: '{}' } }),
    );
    expect(mayCloseAgent(call, 0, call.length)).toBe(true);
    const late = Buffer.from(
      JSON.stringify({
        timestamp: 't',
        type: 'response_item',
        payload: { type: 'message', content: [{ text: `${'x'.repeat(4000)} "close_agent"` }] },
      }),
    );
    expect(mayCloseAgent(late, 0, late.length)).toBe(false);
  });
});
