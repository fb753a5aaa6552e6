// Bare rollouts (written by codex before 0.47, which codex itself no longer reads): Spool shows their
// implicit turns with messages, reasoning and shell calls, with exact values.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import type { ThreadTurnsListResult } from '../../../shared/protocol/index.ts';
import { schemaErrors } from '../../../../test/support/codex-schema.ts';
import { tmp } from '../../../../test/support/turn-engine.ts';

describe('bare rollouts (codex before 0.47, which codex itself no longer reads)', () => {
  it('shows implicit turns with messages, reasoning and shell calls', async () => {
    const home = tmp('spool-bare-home-');
    const id = '5b0f7a3e-0c7d-4b8e-9a51-2f6f5a0c9d11';
    const lines = [
      { id, timestamp: '2025-05-01T10:00:00Z', instructions: null },
      { record_type: 'state' },
      {
        type: 'message',
        id: null,
        role: 'user',
        content: [{ type: 'input_text', text: '<environment_context>\n  <cwd>/w</cwd>\n</environment_context>' }],
      },
      { type: 'message', id: null, role: 'user', content: [{ type: 'input_text', text: 'List the files' }] },
      { type: 'reasoning', id: 'rs1', summary: [{ type: 'summary_text', text: 'Look first' }] },
      { type: 'function_call', name: 'shell', arguments: JSON.stringify({ command: ['bash', '-lc', 'ls -1'] }), call_id: 'call_1' },
      {
        type: 'function_call_output',
        call_id: 'call_1',
        output: JSON.stringify({ output: 'a.txt\nb.txt\n', metadata: { exit_code: 0, duration_seconds: 0.3 } }),
      },
      { type: 'message', id: 'msg_1', role: 'assistant', content: [{ type: 'output_text', text: 'Two files.' }] },
      { record_type: 'state' },
      { type: 'message', id: null, role: 'user', content: [{ type: 'input_text', text: 'Thanks' }] },
    ];
    fs.mkdirSync(path.join(home, 'sessions'), { recursive: true });
    fs.writeFileSync(
      path.join(home, 'sessions', `rollout-2025-05-01T10-00-00-${id}.jsonl`),
      `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`,
    );
    const engine = Engine.open({ home, dataDir: tmp('spool-bare-data-'), parseWorkers: 0 });
    try {
      await engine.sync();
      const r = (await engine.call('thread/turns/list', {
        threadId: id,
        itemsView: 'full',
        sortDirection: 'asc',
      })) as ThreadTurnsListResult;
      expect(schemaErrors('response', 'thread/turns/list', r)).toEqual([]);
      expect(r.data.map((t) => [t.id, t.status, t.items.map((i) => i.type)])).toEqual([
        ['rollout-3', 'completed', ['userMessage', 'reasoning', 'commandExecution', 'agentMessage']],
        ['rollout-9', 'completed', ['userMessage']],
      ]);
      expect(r.data[0]!.items[2]).toMatchObject({
        id: 'call_1',
        command: "bash -lc 'ls -1'",
        status: 'completed',
        aggregatedOutput: 'a.txt\nb.txt\n',
        exitCode: 0,
        durationMs: 300,
      });
      expect(r.data[0]!.items.map((i) => i.id)).toEqual(['item-1', 'item-2', 'call_1', 'item-3']);
    } finally {
      await engine.close();
    }
  });
});
