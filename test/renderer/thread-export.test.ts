// Exports and the git editor's model, on the real engine: a thread the real codex CLI wrote
// exports to JSON that is exactly what `thread/read includeTurns` answers, and to Markdown holding
// every message and command in order; a huge command output (cut in the view) is exported whole.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/main/engine/engine.ts';
import { sanitizeOriginUrl } from '../../src/main/engine/rollout/text.ts';
import type { Thread, ThreadListResult, ThreadReadResult, Turn } from '../../src/shared/protocol/index.ts';
import { collectThread, setAtPointer, type ExportClient } from '../../src/renderer/features/thread/export/collect.ts';
import { exportFileName, fence, jsonParts, markdownParts, userText } from '../../src/renderer/features/thread/export/formats.ts';
import { lastLines, preview, splitCut } from '../../src/renderer/features/thread/items/output-text.ts';
import {
  applyPatch,
  buildPatch,
  credentialNote,
  emptyDraft,
  fieldError,
  stripCredentials,
} from '../../src/renderer/features/thread/header/git-patch.ts';
import { copyHome, realHome, STANDARD_HOME } from '../support/real-home.ts';

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

describe('output previews', () => {
  it('keeps the first lines, counts what is hidden, and shows short texts whole', () => {
    const text = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    expect(preview(text)).toEqual({
      head: `${Array.from({ length: 12 }, (_, i) => `line ${i}`).join('\n')}\n`,
      hiddenLines: 28,
      hiddenChars: text.length - preview(text)!.head.length,
    });
    expect(preview('a\nb\n')).toBeNull();
    const oneLine = 'x'.repeat(10_000);
    expect(preview(oneLine)!.head).toHaveLength(3000);
    expect(lastLines(text)).toBe(Array.from({ length: 6 }, (_, i) => `line ${34 + i}`).join('\n'));
    expect(lastLines(oneLine)).toBe(`…${'x'.repeat(600)}`);
    expect(splitCut('no marker here')).toBeNull();
  });
});

describe('git editor model', () => {
  it('builds tri-state patches: unchanged fields are left out, cleared ones are null', () => {
    const d = emptyDraft();
    expect(buildPatch(d)).toEqual({ patch: {}, errors: {} });
    d.branch = { mode: 'set', value: '  feature/x  ' };
    d.sha = { mode: 'clear' };
    expect(buildPatch(d)).toEqual({ patch: { branch: 'feature/x', sha: null }, errors: {} });
    d.originUrl = { mode: 'set', value: 'https://bot:s3cr3t@github.com/acme/x.git' };
    expect(buildPatch(d).patch.originUrl).toBe('https://github.com/acme/x.git');
  });

  it('validates as the user types', () => {
    expect(fieldError('sha', 'abc123')).toMatch(/7 to 40/);
    expect(fieldError('sha', 'abc1234')).toBeNull();
    expect(fieldError('sha', 'g'.repeat(10))).not.toBeNull();
    expect(fieldError('sha', 'a'.repeat(41))).not.toBeNull();
    expect(fieldError('branch', '   ')).toMatch(/Enter a value/);
    expect(fieldError('branch', 'feature/login-page')).toBeNull();
    expect(fieldError('branch', 'has space')).not.toBeNull();
    expect(fieldError('originUrl', 'git@github.com:acme/x.git')).toBeNull();
    const d = emptyDraft();
    d.sha = { mode: 'set', value: 'xyz' };
    expect(Object.keys(buildPatch(d).errors)).toEqual(['sha']);
  });

  it('strips credentials exactly as the engine does, and says so', () => {
    for (const url of [
      'https://bot:tok@github.com/a/b.git',
      'https://tok@host/x',
      'ssh://git@host:22/x',
      'git@github.com:a/b.git',
      'https://github.com/a/b',
      'file:///srv/x',
      'http://u:p@h?x=@y',
    ]) {
      expect(stripCredentials(url).url, url).toBe(sanitizeOriginUrl(url));
    }
    expect(credentialNote('https://bot:tok@github.com/a/b.git')).toContain('https://github.com/a/b.git');
    expect(credentialNote('https://github.com/a/b.git')).toBeNull();
  });

  it('applies a patch for the optimistic view', () => {
    const cur = { sha: 'abcdef1', branch: 'main', originUrl: null };
    expect(applyPatch(cur, { branch: 'dev' })).toEqual({ sha: 'abcdef1', branch: 'dev', originUrl: null });
    expect(applyPatch(cur, { sha: null, branch: null })).toBeNull();
    expect(applyPatch(null, { originUrl: 'https://h/x' })).toEqual({ sha: null, branch: null, originUrl: 'https://h/x' });
  });
});
