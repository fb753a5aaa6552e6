// Exports on the real engine: a thread the real codex CLI wrote, collected (collect.ts), exports to
// JSON that is exactly what `thread/read includeTurns` answers, and to Markdown holding every
// message and command in order; a huge command output (cut in the view) is exported whole.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../../main/engine/engine.ts';
import type { Thread, ThreadListResult, ThreadReadResult, Turn } from '../../../../shared/protocol/index.ts';
import { collectThread, setAtPointer, type ExportClient } from './collect.ts';
import { exportFileName, fence, jsonParts, markdownParts, userText } from './formats.ts';
import { splitCut } from '../items/output-text.ts';
import { copyHome, realHome, STANDARD_HOME } from '../../../../../test/support/real-home.ts';

let engine: Engine;
let root: string;
let hugeId: string;
const HUGE = 'error: something failed at step X — détails 🚀 "quoted" \\ back\n'.repeat(40_000);
const client = (): ExportClient => ({
  read: (p) => engine.call('thread/read', p),
  turns: (p) => engine.call('thread/turns/list', p),
  text: (p) => engine.call('spool/item/text', p),
});

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-export-'));
  const home = copyHome(realHome(...STANDARD_HOME).home, path.join(root, 'home'));
  // A thread whose one command printed a few megabytes on one line.
  hugeId = '22222222-3333-4444-8555-666666666666';
  const dir = path.join(home, 'sessions', '2026', '01', '09');
  fs.mkdirSync(dir, { recursive: true });
  const ts = '2026-01-09T10:00:00.000Z';
  let ordinal = 0;
  const line = (type: string, payload: unknown): string => JSON.stringify({ timestamp: ts, ordinal: ordinal++, type, payload });
  fs.writeFileSync(
    path.join(dir, `rollout-2026-01-09T10-00-00-${hugeId}.jsonl`),
    [
      line('session_meta', {
        id: hugeId,
        session_id: hugeId,
        timestamp: ts,
        cwd: '/tmp',
        originator: 'codex_exec',
        cli_version: '0.169.0',
        source: 'exec',
        model_provider: 'mock',
        history_mode: 'paginated',
      }),
      line('event_msg', { type: 'task_started', turn_id: 't1', started_at: 1767952800 }),
      line('event_msg', {
        type: 'item_completed',
        thread_id: hugeId,
        turn_id: 't1',
        item: { type: 'UserMessage', id: 'u1', content: [{ type: 'text', text: 'Build it', text_elements: [] }] },
      }),
      line('event_msg', {
        type: 'item_completed',
        thread_id: hugeId,
        turn_id: 't1',
        item: {
          type: 'CommandExecution',
          id: 'c1',
          command: ['make'],
          cwd: 'file:///tmp',
          parsed_cmd: [],
          source: 'agent',
          status: 'completed',
          exit_code: 2,
          duration: { secs: 3, nanos: 0 },
          aggregated_output: HUGE,
        },
      }),
      line('event_msg', { type: 'task_complete', turn_id: 't1' }),
    ].join('\n') + '\n',
  );
  engine = Engine.open({ home, dataDir: path.join(root, 'data'), parseWorkers: 0 });
  await engine.sync();
});
afterAll(async () => {
  await engine.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function multiTurnThread(): Promise<Thread> {
  const list = (await engine.call('thread/list', {
    limit: 100,
    sourceKinds: ['exec', 'vscode', 'cli'],
    modelProviders: [],
  })) as ThreadListResult;
  const withShell = [];
  for (const t of list.data) {
    const r = (await engine.call('thread/read', { threadId: t.id, includeTurns: true })) as ThreadReadResult;
    if (r.thread.turns.length >= 2 && r.thread.turns.some((u) => u.items.some((i) => i.type === 'commandExecution'))) withShell.push(t);
  }
  expect(withShell.length).toBeGreaterThan(0);
  return withShell[0]!;
}

describe('export', () => {
  it('writes JSON that is the thread as thread/read includeTurns answers it', async () => {
    const t = await multiTurnThread();
    const collected = await collectThread(client(), t.id);
    const json = JSON.parse(jsonParts(collected, '2026-01-10T00:00:00Z', 'spool 0.1.0').join('')) as {
      thread: Thread;
      exportedAt: string;
      formatVersion: number;
    };
    const read = (await engine.call('thread/read', { threadId: t.id, includeTurns: true })) as ThreadReadResult;
    expect(json.thread).toEqual(read.thread);
    expect(json.exportedAt).toBe('2026-01-10T00:00:00Z');
    expect(json.formatVersion).toBe(1);
  });

  it('writes Markdown with every turn, message and command in order', async () => {
    const t = await multiTurnThread();
    const collected = await collectThread(client(), t.id);
    const md = markdownParts(collected, '2026-01-10T00:00:00Z').join('');
    let at = 0;
    collected.turns.forEach((turn: Turn, n: number) => {
      at = md.indexOf(`## Turn ${n + 1} · ${turn.status}`, at);
      expect(at, `turn ${n + 1}`).toBeGreaterThan(0);
      for (const item of turn.items) {
        const text =
          item.type === 'userMessage'
            ? userText(item)
            : item.type === 'agentMessage'
              ? String(item['text'])
              : item.type === 'commandExecution'
                ? `$ ${String(item['command'])}`
                : null;
        if (text === null) continue;
        const found = md.indexOf(text, at);
        expect(found, `${item.type} of turn ${n + 1}`).toBeGreaterThanOrEqual(at);
        at = found;
      }
    });
    expect(md.startsWith(`# ${collected.thread.name ?? collected.thread.preview.split('\n')[0]}`)).toBe(true);
    expect(md).toContain(`\`${t.id}\``);
  });

  it('restores cut outputs whole', async () => {
    const cut = (await engine.call('thread/turns/list', { threadId: hugeId, itemsView: 'full' })) as { data: Turn[] };
    const shown = cut.data[0]!.items[1]!;
    expect(String(shown['aggregatedOutput']).length).toBeLessThan(HUGE.length / 10);
    expect(shown['spool']).toBeDefined();
    // The view finds the engine's cut marker: a preview of the head, the last lines of the tail.
    const split = splitCut(String(shown['aggregatedOutput']))!;
    expect(split).not.toBeNull();
    expect(split.head.split('\n')).toHaveLength(13);
    expect(HUGE.startsWith(split.head)).toBe(true);
    expect(HUGE.endsWith(split.tail)).toBe(true);
    expect(split.tail.split('\n').filter(Boolean)).toHaveLength(6);
    let progress = 0;
    const collected = await collectThread(client(), hugeId, (p) => (progress = p.textBytes));
    const item = collected.turns[0]!.items[1]!;
    expect(item['aggregatedOutput']).toBe(HUGE);
    expect(item['spool']).toBeUndefined();
    expect(progress).toBeGreaterThan(HUGE.length);
    const json = JSON.parse(jsonParts(collected, 'x', 'y').join('')) as { thread: Thread };
    expect(json.thread.turns[0]!.items[1]!['aggregatedOutput']).toBe(HUGE);
    const md = markdownParts(collected, 'x').join('');
    expect(md).toContain(HUGE);
    expect(md).toContain('exit 2');
  });

  it('fences code longer than any backtick run inside, and names files from titles', () => {
    expect(fence('a ``` b ````` c')).toBe('``````\na ``` b ````` c\n``````');
    expect(setAtPointer({ a: [{ 'b/c': 'x' }] }, '/a/0/b~1c', 'y')).toEqual({ a: [{ 'b/c': 'y' }] });
    expect(exportFileName({ id: '01a1fcce-fa3b', name: 'Auth refactor 🔐 / v2', preview: '' } as Thread, 'md')).toBe(
      'auth-refactor-v2-01a1fcce.md',
    );
  });
});
