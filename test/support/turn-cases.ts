// Hand-written rollouts for the turn reconstruction rules (docs/FORMAT.md §2.5, §8.3): each is one
// rule of codex's history builder or projection. The unit tests assert Spool's answers for the key
// ones; the differential test runs all of them through the real `codex app-server` too.
import type { HandRollout } from './codex-reference.ts';

const ev = (payload: Record<string, unknown>): Record<string, unknown> => ({ type: 'event_msg', payload });
const um = (message: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  ev({ type: 'user_message', message, ...extra });
const am = (message: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  ev({ type: 'agent_message', message, ...extra });
const started = (turn_id: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  ev({ type: 'task_started', turn_id, ...extra });
const complete = (turn_id: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  ev({ type: 'task_complete', turn_id, ...extra });
const tc = (payload: Record<string, unknown>): Record<string, unknown> => ({
  type: 'turn_context',
  payload: { cwd: '/x', approval_policy: 'never', model: 'm', summary: 'auto', ...payload },
});
const item = (turn_id: string, it: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  ev({ type: 'item_completed', thread_id: '$THREAD', turn_id, item: it, ...extra });
const userItem = (id: string, text: string): Record<string, unknown> => ({
  type: 'UserMessage',
  id,
  content: [{ type: 'text', text, text_elements: [] }],
});
const agentItem = (id: string, text: string): Record<string, unknown> => ({ type: 'AgentMessage', id, content: [{ type: 'Text', text }] });

/** The legacy sample of docs/FORMAT.md §8.3: turns [t-5, t-4, t-3, rollout-4, rollout-2] newest first. */
export const LEGACY_SAMPLE: HandRollout = {
  lines: [
    { type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'first' }] } },
    um('first'),
    am('reply one'),
    um('second'),
    am('reply two'),
    started('t-3', { started_at: 1743501605 }),
    um('third'),
    complete('t-3', { completed_at: 1743501607, duration_ms: 2000 }),
    started('t-4'),
    um('fourth'),
    ev({ type: 'turn_aborted', turn_id: 't-4', reason: 'interrupted' }),
    started('t-5'),
    um('fifth'),
  ],
};

export const LEGACY_CASES: Record<string, HandRollout> = {
  'legacy sample': LEGACY_SAMPLE,
  'reasoning merges into a trailing reasoning item; empty messages are dropped': {
    lines: [
      um('a'),
      ev({ type: 'agent_reasoning', text: 'r1' }),
      ev({ type: 'agent_reasoning_raw_content', text: 'raw' }),
      ev({ type: 'agent_reasoning', text: 'r2' }),
      am(''),
      am('x'),
      ev({ type: 'agent_reasoning', text: 'r3' }),
    ],
  },
  'compaction keeps a turn; context_compacted is an item': {
    lines: [um('a'), { type: 'compacted', payload: { message: 'summary' } }, ev({ type: 'context_compacted' }), um('b')],
  },
  'a compaction-only turn takes the next user message': { lines: [{ type: 'compacted', payload: { message: 'summary' } }, um('b')] },
  'context_compacted alone opens a turn': { lines: [ev({ type: 'context_compacted' }), um('b')] },
  'images and local images; a blank message has no text part': {
    lines: [
      um('  ', {
        images: ['data:image/png;base64,AAA'],
        local_images: ['/tmp/a.png'],
        text_elements: [{ byte_range: { start: 0, end: 1 }, placeholder: '[Image #1]' }],
      }),
    ],
  },
  'text elements keep their byte ranges': {
    lines: [um('see [Image #1]', { text_elements: [{ byte_range: { start: 4, end: 14 }, placeholder: '[Image #1]' }] })],
  },
  'review mode items': {
    lines: [
      started('t1'),
      ev({ type: 'entered_review_mode', target: { type: 'uncommittedChanges' }, user_facing_hint: 'current changes' }),
      ev({
        type: 'exited_review_mode',
        review_output: { findings: [], overall_correctness: 'ok', overall_explanation: ' all good ', overall_confidence_score: 0.5 },
      }),
      ev({ type: 'exited_review_mode', review_output: null }),
      complete('t1'),
    ],
  },
  'a late task_complete completes the earlier turn': {
    lines: [started('t1'), um('a'), started('t2'), um('b'), complete('t1', { completed_at: 100, duration_ms: 5 })],
  },
  'an abort for an unknown turn falls back to the open one': {
    lines: [
      started('t1', { started_at: 5 }),
      um('a'),
      ev({ type: 'turn_aborted', turn_id: 'zzz', reason: 'interrupted', completed_at: 7, duration_ms: 3 }),
    ],
  },
  'an abort without id, with times': {
    lines: [um('a'), ev({ type: 'turn_aborted', reason: 'replaced', completed_at: 7, duration_ms: 3 }), um('b')],
  },
  'rollback drops turns and renumbers items': {
    lines: [um('a'), am('b'), um('c'), am('d'), ev({ type: 'thread_rolled_back', num_turns: 1 }), um('e')],
  },
  'task_complete with an error fails the turn': {
    lines: [started('t1'), um('a'), complete('t1', { error: { message: 'boom', codex_error_info: 'bad_request' } })],
  },
  'error details are camelCased': {
    lines: [
      started('t1'),
      um('a'),
      complete('t1', { error: { message: 'bad', codex_error_info: { http_connection_failed: { http_status_code: 500 } } } }),
    ],
  },
  'error events change nothing and are not counted': {
    lines: [um('a'), am('b'), ev({ type: 'error', message: 'boom', codex_error_info: 'other' }), um('c')],
  },
  'root turn ids': { lines: [started('t1', { root_turn_id: 'r0' }), um('a'), complete('t1', { root_turn_id: 'r9' })] },
  'task_started twice with one id gives two turns': { lines: [started('t1'), started('t1'), um('a')] },
  'an empty explicit turn is kept': { lines: [started('t1'), complete('t1'), um('a')] },
  'turn_context is ignored (no id adoption, no new turn)': {
    lines: [
      um('a'),
      am('b'),
      tc({ turn_id: 'T2', sandbox_policy: { type: 'read-only' } }),
      am('c'),
      tc({ turn_id: 'T3', sandbox_policy: { type: 'read-only' } }),
      um('d'),
    ],
  },
  'a pre-0.63 turn_context is not a rollout item': { lines: [um('a'), am('b'), tc({ sandbox_policy: { mode: 'read-only' } }), um('c')] },
  'Plan items are the only typed items of legacy rollouts': {
    lines: [
      started('t1'),
      um('a'),
      item('t1', { type: 'Plan', id: 'p1', text: 'the plan' }),
      item('t1', userItem('u1', 'ignored')),
      item('t1', { type: 'Plan', id: 'p2', text: '' }),
      complete('t1'),
      item('zz', { type: 'Plan', id: 'p3', text: 'no such turn' }),
      um('b'),
    ],
  },
  'a typed item line for an unknown turn is not counted': { lines: [um('a'), am('b'), item('zz', agentItem('a1', 'yo')), um('c')] },
  'tool results: mcp, web search, image generation, file changes': {
    lines: [
      started('t1'),
      um('a'),
      ev({
        type: 'mcp_tool_call_end',
        call_id: 'm1',
        invocation: { server: 'srv', tool: 't', arguments: { a: 1 } },
        duration: { secs: 0, nanos: 2000000 },
        result: { Ok: { content: [{ type: 'text', text: 'out' }], isError: false } },
      }),
      ev({
        type: 'mcp_tool_call_end',
        call_id: 'm2',
        invocation: { server: 'srv', tool: 't' },
        duration: { secs: 1, nanos: 0 },
        result: { Err: 'nope' },
      }),
      ev({ type: 'web_search_end', call_id: 'w1', query: 'q', action: { type: 'search', query: 'q' } }),
      ev({ type: 'web_search_end', call_id: 'w2', query: 'q2', action: { type: 'open_page', url: 'https://x' } }),
      ev({ type: 'web_search_end', call_id: 'w3', query: 'q3', action: { type: 'find_in_page', url: 'https://x', pattern: 'p' } }),
      ev({ type: 'image_generation_end', call_id: 'g1', status: 'completed', revised_prompt: 'a cat', result: 'BASE64' }),
      ev({
        type: 'patch_apply_end',
        call_id: 'p1',
        turn_id: 't1',
        stdout: 'ok',
        stderr: '',
        success: true,
        changes: {
          '/a/b.txt': { type: 'add', content: 'hello\n' },
          '/a/c.txt': { type: 'update', unified_diff: '@@ -1 +1 @@\n-a\n+b\n', move_path: '/a/d.txt' },
          '/a/a.txt': { type: 'delete', content: 'bye' },
        },
        status: 'completed',
      }),
      ev({
        type: 'mcp_tool_call_end',
        call_id: 'm1',
        invocation: { server: 'srv', tool: 't', arguments: { a: 2 } },
        duration: { secs: 0, nanos: 0 },
        result: { Ok: { content: [], isError: true } },
      }),
      complete('t1'),
    ],
  },
  'unreadable and unknown lines are skipped and not counted': {
    lines: [
      um('a'),
      am('b'),
      '{not json',
      '',
      { type: 'mystery', payload: {} },
      ev({ type: 'zzz_event' }),
      ev({ type: 'thread_name_updated', thread_id: '$THREAD', thread_name: 'n' }),
      ev({ type: 'undo_completed', success: true }),
      um('c'),
    ],
  },
  'injected context is a user message to the history builder': {
    lines: [
      um('a', { kind: 'plain' }),
      um('<environment_context>x</environment_context>', { kind: 'environment_context' }),
      um('## My request for Codex:\nb'),
    ],
  },
  'many implicit turns': { lines: Array.from({ length: 12 }, (_, i) => [um(`q${i}`), am(`a${i}`)]).flat() },
};

export const PAGINATED_CASES: Record<string, HandRollout> = {
  'items, their times and their order': {
    paginated: true,
    lines: [
      started('t1', { root_turn_id: 't1', started_at: 100 }),
      item(
        't1',
        {
          type: 'UserMessage',
          id: 'u1',
          content: [
            { type: 'text', text: 'hi', text_elements: [] },
            { type: 'image', image_url: 'data:x' },
            { type: 'local_image', path: '/a.png' },
          ],
        },
        { started_at_ms: 1000, completed_at_ms: 1001 },
      ),
      ev({ type: 'item_started', thread_id: '$THREAD', turn_id: 't1', item: agentItem('a1', 'par'), started_at_ms: 1002 }),
      item(
        't1',
        { type: 'Reasoning', id: 'r1', summary_text: ['s1', 's2'], raw_content: ['c1'] },
        { started_at_ms: 1003, completed_at_ms: 1004 },
      ),
      item(
        't1',
        {
          type: 'AgentMessage',
          id: 'a1',
          content: [
            { type: 'Text', text: 'part1 ' },
            { type: 'Text', text: 'part2' },
          ],
          phase: 'final_answer',
        },
        { started_at_ms: 1005, completed_at_ms: 1006 },
      ),
      complete('t1', { started_at: 100, completed_at: 102, duration_ms: 2000 }),
    ],
  },
  'typed items of every kind codex shows': {
    paginated: true,
    lines: [
      started('t1'),
      item('t1', { type: 'Plan', id: 'p1', text: 'plan text' }, { completed_at_ms: 1 }),
      item('t1', { type: 'WebSearch', id: 'w1', query: 'q', action: { type: 'search', query: 'q' } }, { completed_at_ms: 2 }),
      item('t1', { type: 'ContextCompaction', id: 'cc1' }, { completed_at_ms: 4 }),
      item(
        't1',
        {
          type: 'FileChange',
          id: 'f1',
          changes: {
            '/a/b.txt': { type: 'add', content: 'hello\n' },
            '/a/c.txt': { type: 'update', unified_diff: '@@ -1 +1 @@\n-a\n+b\n', move_path: null },
          },
          status: 'completed',
        },
        { completed_at_ms: 5 },
      ),
      item(
        't1',
        {
          type: 'McpToolCall',
          id: 'm1',
          server: 's',
          tool: 't',
          arguments: { a: 1 },
          status: 'completed',
          result: { content: [], structured_content: null },
          duration: { secs: 0, nanos: 5000000 },
        },
        { completed_at_ms: 6 },
      ),
      item('t1', { type: 'ImageGeneration', id: 'g1', status: 'completed', revised_prompt: 'cat', result: 'B64' }, { completed_at_ms: 7 }),
      item(
        't1',
        {
          type: 'DynamicToolCall',
          id: 'd1',
          tool: 'dt',
          arguments: { x: 1 },
          status: 'completed',
          content_items: [{ type: 'inputText', text: 'ok' }],
          success: true,
          duration: { secs: 1, nanos: 0 },
        },
        { completed_at_ms: 8 },
      ),
      item('t1', { type: 'FunctionCallOutput', id: 'fo1', name: 'fn', output: 'out' }, { completed_at_ms: 12 }),
      item('t1', {
        type: 'CommandExecution',
        id: 'c1',
        process_id: '42',
        command: ['/bin/bash', '-lc', "echo 'hi there' && ls $HOME"],
        cwd: 'file:///tmp/my%20dir',
        parsed_cmd: [
          { type: 'read', cmd: 'cat a.txt', name: 'a.txt', path: '/tmp/a.txt' },
          { type: 'list_files', cmd: 'ls', path: null },
          { type: 'search', cmd: 'rg x', query: 'x', path: 'src' },
          { type: 'unknown', cmd: 'echo' },
        ],
        source: 'unified_exec_startup',
        status: 'completed',
        aggregated_output: 'hi there\n',
        exit_code: 0,
        duration: { secs: 1, nanos: 500000000 },
      }),
      item('t1', {
        type: 'CollabAgentToolCall',
        id: 'col1',
        tool: 'spawn_agent',
        status: 'completed',
        sender_thread_id: '$THREAD',
        receiver_thread_ids: ['01a1fcd4-f089-79c1-bef3-09bf7165c8b8'],
        receiver_agents: [{ thread_id: '01a1fcd4-f089-79c1-bef3-09bf7165c8b8', agent_nickname: 'Hooke' }],
        prompt: 'p',
        model: 'm',
        reasoning_effort: 'low',
        agents_states: { '01a1fcd4-f089-79c1-bef3-09bf7165c8b8': 'pending_init' },
      }),
      item('t1', {
        type: 'SubAgentActivity',
        model: null,
        reasoning_effort: null,
        id: 'sa1',
        kind: 'completed',
        agent_thread_id: '01a1fcd4-f089-79c1-bef3-09bf7165c8b8',
        agent_path: '/root/x',
      }),
      complete('t1'),
    ],
  },
  'legacy events do not make items in a paginated rollout': {
    paginated: true,
    lines: [
      started('t1'),
      um('legacy user'),
      am('legacy agent'),
      ev({ type: 'agent_reasoning', text: 'think' }),
      ev({ type: 'context_compacted' }),
      { type: 'compacted', payload: { message: 'sum' } },
      complete('t1'),
      um('outside'),
    ],
  },
  'late items land in their turn; items of unknown turns only in items/list': {
    paginated: true,
    lines: [
      started('t1'),
      item('t1', userItem('u1', 'one'), { completed_at_ms: 1 }),
      complete('t1'),
      started('t2'),
      item('t1', agentItem('late', 'late'), { completed_at_ms: 2 }),
      item('zz', agentItem('orphan', 'orphan'), { completed_at_ms: 3 }),
      item('t2', userItem('u2', 'two'), { completed_at_ms: 4 }),
      complete('t2', { error: { message: 'bad', codex_error_info: { http_connection_failed: { http_status_code: 500 } } } }),
    ],
  },
  'an unfinished turn is interrupted': {
    paginated: true,
    lines: [
      started('t1', { started_at: 9 }),
      item('t1', userItem('u1', 'one'), { completed_at_ms: 1 }),
      started('t2'),
      item('t2', userItem('u2', 'two')),
      ev({ type: 'turn_aborted', turn_id: 't2', reason: 'interrupted', completed_at: 12, duration_ms: 40 }),
    ],
  },
  'many turns for paging': {
    paginated: true,
    lines: Array.from({ length: 7 }, (_, i) => [
      started(`t${i}`),
      item(`t${i}`, userItem(`u${i}`, `q${i}`), { completed_at_ms: i }),
      item(`t${i}`, agentItem(`a${i}`, `r${i}`), { completed_at_ms: i }),
      complete(`t${i}`),
    ]).flat(),
  },
};

/** Rolled-back turns of a paginated thread: codex 0.169 still lists them; Spool drops them (docs/CODEX-COMPAT.md). */
export const PAGINATED_ROLLBACK: HandRollout = {
  paginated: true,
  lines: [
    started('t1'),
    item('t1', userItem('u1', 'one')),
    complete('t1'),
    started('t2'),
    item('t2', userItem('u2', 'two')),
    complete('t2'),
    ev({ type: 'thread_rolled_back', num_turns: 1 }),
    started('t3'),
    item('t3', userItem('u3', 'three')),
  ],
};
