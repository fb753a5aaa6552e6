// thread/turns/list, thread/items/list, thread/read includeTurns and spool/item/text on
// hand-written rollouts: the reconstruction rules of codex-format.md §2.5 / §8.3 with exact values.
// (turns.codex.test.ts checks the same rollouts, and real homes, against the real codex.)
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import type { ThreadTurnsListResult, Turn } from '../../../shared/protocol/index.ts';
import { writeHandRollouts, type HandRollout } from '../../../../test/support/codex-reference.ts';
import { LEGACY_CASES, PAGINATED_CASES, PAGINATED_ROLLBACK } from '../../../../test/support/turn-cases.ts';
import { schemaErrors } from '../../../../test/support/codex-schema.ts';

const CONFIG = 'model_provider = "mock"\n';
const tmp = (p: string): string => fs.mkdtempSync(path.join(os.tmpdir(), p));

async function open(rollouts: HandRollout[]): Promise<{ engine: Engine; ids: string[]; home: string }> {
  const home = tmp('spool-turns-home-');
  const ids = writeHandRollouts(home, rollouts, CONFIG);
  const engine = Engine.open({ home, dataDir: tmp('spool-turns-data-'), parseWorkers: 0 });
  await engine.sync();
  return { engine, ids, home };
}

type Call = (method: string, params: Record<string, unknown>) => Promise<unknown>;
const caller =
  (engine: Engine): Call =>
  (method, params) =>
    engine.call(method as never, params as never) as Promise<unknown>;

async function rpcError(p: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { code: number; message: string };
    return { code: err.code, message: err.message };
  }
  throw new Error('expected an error');
}

/** Every page of thread/turns/list, following nextCursor; each response checked against codex's schema. */
async function allPages(call: Call, params: Record<string, unknown>): Promise<ThreadTurnsListResult[]> {
  const pages: ThreadTurnsListResult[] = [];
  let cursor: string | null = null;
  do {
    const page = (await call('thread/turns/list', { ...params, ...(cursor ? { cursor } : {}) })) as ThreadTurnsListResult;
    expect(schemaErrors('response', 'thread/turns/list', page)).toEqual([]);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 1000);
  return pages;
}

describe('legacy threads', () => {
  let engine: Engine;
  let call: Call;
  let sample: string;
  let ids: Record<string, string>;
  beforeAll(async () => {
    const names = Object.keys(LEGACY_CASES);
    const o = await open(names.map((n) => LEGACY_CASES[n]!));
    engine = o.engine;
    call = caller(engine);
    ids = Object.fromEntries(names.map((n, i) => [n, o.ids[i]!]));
    sample = ids['legacy sample']!;
  });
  afterAll(() => engine.close());

  it('names turns as codex does: explicit ids, rollout-<item index> for implicit ones (the §8.3 sample)', async () => {
    const r = (await call('thread/turns/list', { threadId: sample, itemsView: 'full' })) as ThreadTurnsListResult;
    expect(r.data.map((t) => t.id)).toEqual(['t-5', 't-4', 't-3', 'rollout-4', 'rollout-2']);
    expect(r.data.map((t) => t.status)).toEqual(['interrupted', 'interrupted', 'completed', 'completed', 'completed']);
    const t3 = r.data[2]!;
    expect([t3.startedAt, t3.completedAt, t3.durationMs]).toEqual([1743501605, 1743501607, 2000]);
    // Implicit turns have no times; items are item-N in thread order.
    expect(r.data[4]).toMatchObject({ startedAt: null, completedAt: null, durationMs: null, rootTurnId: null, itemsView: 'full' });
    expect(r.data.flatMap((t) => t.items.map((i) => i.id))).toEqual(['item-7', 'item-6', 'item-5', 'item-3', 'item-4', 'item-1', 'item-2']);
    expect(r.data[4]!.items[0]).toEqual({
      type: 'userMessage',
      id: 'item-1',
      clientId: null,
      content: [{ type: 'text', text: 'first', text_elements: [] }],
      startedAtMs: null,
      completedAtMs: null,
    });
    expect(r.data[4]!.items[1]).toEqual({
      type: 'agentMessage',
      moderation: null,
      id: 'item-2',
      text: 'reply one',
      phase: null,
      memoryCitation: null,
      delivery: null,
      questions: null,
      startedAtMs: null,
      completedAtMs: null,
    });
    expect(r.nextCursor).toBeNull();
  });

  it('writes codex’s cursor strings: next exclusive of the last turn, backwards inclusive of the first', async () => {
    const p1 = (await call('thread/turns/list', { threadId: sample, limit: 2, itemsView: 'notLoaded' })) as ThreadTurnsListResult;
    expect(p1.data.map((t) => t.id)).toEqual(['t-5', 't-4']);
    expect(p1.nextCursor).toBe('{"turnId":"t-4","includeAnchor":false}');
    expect(p1.backwardsCursor).toBe('{"turnId":"t-5","includeAnchor":true}');
    const p2 = (await call('thread/turns/list', {
      threadId: sample,
      limit: 2,
      itemsView: 'notLoaded',
      cursor: p1.nextCursor,
    })) as ThreadTurnsListResult;
    expect(p2.data.map((t) => t.id)).toEqual(['t-3', 'rollout-4']);
    const p3 = (await call('thread/turns/list', {
      threadId: sample,
      limit: 2,
      itemsView: 'notLoaded',
      cursor: p2.nextCursor,
    })) as ThreadTurnsListResult;
    expect(p3.data.map((t) => t.id)).toEqual(['rollout-2']);
    expect(p3.nextCursor).toBeNull();
    // The backwards cursor of a page, in the other direction, starts at that page's first turn.
    const back = (await call('thread/turns/list', {
      threadId: sample,
      limit: 3,
      sortDirection: 'asc',
      itemsView: 'notLoaded',
      cursor: p2.backwardsCursor,
    })) as ThreadTurnsListResult;
    expect(back.data.map((t) => t.id)).toEqual(['t-3', 't-4', 't-5']);
    expect(back.backwardsCursor).toBe('{"turnId":"t-3","includeAnchor":true}');
    const asc = await allPages(call, { threadId: sample, limit: 2, sortDirection: 'asc', itemsView: 'notLoaded' });
    expect(asc.flatMap((p) => p.data.map((t) => t.id))).toEqual(['rollout-2', 'rollout-4', 't-3', 't-4', 't-5']);
  });

  it('summarises a turn as its first user message and last agent message; notLoaded has no items', async () => {
    const r = (await call('thread/turns/list', { threadId: ids['legacy sample'], limit: 100 })) as ThreadTurnsListResult;
    expect(r.data[3]!.itemsView).toBe('summary');
    expect(r.data[3]!.items.map((i) => i.id)).toEqual(['item-3', 'item-4']);
    const merge = (await call('thread/turns/list', {
      threadId: ids['reasoning merges into a trailing reasoning item; empty messages are dropped'],
      itemsView: 'summary',
    })) as ThreadTurnsListResult;
    expect(merge.data[0]!.items.map((i) => i.type)).toEqual(['userMessage', 'agentMessage']);
    const none = (await call('thread/turns/list', { threadId: sample, itemsView: 'notLoaded' })) as ThreadTurnsListResult;
    expect(none.data.every((t) => t.items.length === 0 && t.itemsView === 'notLoaded')).toBe(true);
  });

  it('merges reasoning, keeps compaction turns, renumbers after a rollback', async () => {
    const full = async (name: string): Promise<Turn[]> =>
      ((await call('thread/turns/list', { threadId: ids[name], itemsView: 'full', sortDirection: 'asc' })) as ThreadTurnsListResult).data;
    const merge = await full('reasoning merges into a trailing reasoning item; empty messages are dropped');
    expect(merge[0]!.items.map((i) => [i.type, i.id])).toEqual([
      ['userMessage', 'item-1'],
      ['reasoning', 'item-2'],
      ['agentMessage', 'item-3'],
      ['reasoning', 'item-4'],
    ]);
    expect(merge[0]!.items[1]).toMatchObject({ summary: ['r1', 'r2'], content: ['raw'] });
    const compaction = await full('compaction keeps a turn; context_compacted is an item');
    expect(compaction.map((t) => [t.id, t.items.map((i) => i.type)])).toEqual([
      ['rollout-1', ['userMessage', 'contextCompaction']],
      ['rollout-4', ['userMessage']],
    ]);
    expect((await full('a compaction-only turn takes the next user message')).map((t) => t.id)).toEqual(['rollout-1']);
    const rollback = await full('rollback drops turns and renumbers items');
    expect(rollback.map((t) => [t.id, t.items.map((i) => i.id)])).toEqual([
      ['rollout-1', ['item-1', 'item-2']],
      ['rollout-6', ['item-3']],
    ]);
    const ignored = await full('turn_context is ignored (no id adoption, no new turn)');
    expect(ignored.map((t) => [t.id, t.items.length])).toEqual([
      ['rollout-1', 3],
      ['rollout-6', 1],
    ]);
    expect((await full('a pre-0.63 turn_context is not a rollout item')).map((t) => t.id)).toEqual(['rollout-1', 'rollout-3']);
    expect((await full('unreadable and unknown lines are skipped and not counted')).map((t) => t.id)).toEqual(['rollout-1', 'rollout-3']);
  });

  it('fails turns from task_complete errors with codex’s error shape, and completes late turns', async () => {
    const failed = ((await call('thread/turns/list', { threadId: ids['error details are camelCased'] })) as ThreadTurnsListResult).data[0]!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual({
      message: 'bad',
      codexErrorInfo: { httpConnectionFailed: { httpStatusCode: 500 } },
      additionalDetails: null,
      misalignment: null,
    });
    const late = (
      (await call('thread/turns/list', { threadId: ids['a late task_complete completes the earlier turn'] })) as ThreadTurnsListResult
    ).data;
    expect(late.map((t) => [t.id, t.status, t.completedAt, t.durationMs])).toEqual([
      ['t2', 'interrupted', null, null],
      ['t1', 'completed', 100, 5],
    ]);
  });

  it('builds tool items as codex does (mcp, web search, image generation, file changes)', async () => {
    const t = (
      (await call('thread/turns/list', {
        threadId: ids['tool results: mcp, web search, image generation, file changes'],
        itemsView: 'full',
      })) as ThreadTurnsListResult
    ).data[0]!;
    expect(t.items.map((i) => [i.type, i.id])).toEqual([
      ['userMessage', 'item-1'],
      ['mcpToolCall', 'm1'],
      ['mcpToolCall', 'm2'],
      ['webSearch', 'w1'],
      ['webSearch', 'w2'],
      ['webSearch', 'w3'],
      ['imageGeneration', 'g1'],
      ['fileChange', 'p1'],
    ]);
    expect(t.items[1]).toMatchObject({
      status: 'failed',
      arguments: { a: 2 },
      result: { content: [], structuredContent: null, _meta: null },
      durationMs: 0,
    });
    expect(t.items[2]).toMatchObject({ status: 'failed', arguments: null, result: null, error: { message: 'nope' }, durationMs: 1000 });
    expect(t.items[7]).toMatchObject({
      changes: [
        { path: '/a/a.txt', kind: { type: 'delete' }, diff: 'bye' },
        { path: '/a/b.txt', kind: { type: 'add' }, diff: 'hello\n' },
        { path: '/a/c.txt', kind: { type: 'update', move_path: '/a/d.txt' }, diff: '@@ -1 +1 @@\n-a\n+b\n\n\nMoved to: /a/d.txt' },
      ],
      status: 'completed',
    });
  });

  it('answers with codex’s errors', async () => {
    expect(await rpcError(call('thread/turns/list', { threadId: sample, cursor: 'garbage' }))).toEqual({
      code: -32600,
      message: 'invalid cursor: garbage',
    });
    expect(await rpcError(call('thread/turns/list', { threadId: sample, cursor: '{"turnId":"gone","includeAnchor":false}' }))).toEqual({
      code: -32600,
      message: 'invalid cursor: anchor turn is no longer present',
    });
    const paginatedShape = `{"requestedThreadId":"${sample}","rolloutOrdinal":1,"includeAnchor":false,"scope":{"kind":"turns"}}`;
    expect(await rpcError(call('thread/turns/list', { threadId: sample, cursor: paginatedShape }))).toEqual({
      code: -32600,
      message: `invalid cursor: ${paginatedShape}`,
    });
    expect(await rpcError(call('thread/turns/list', { threadId: '01a1fcd4-0000-7000-8000-000000000000' }))).toEqual({
      code: -32600,
      message: 'thread not loaded: 01a1fcd4-0000-7000-8000-000000000000',
    });
    expect(await rpcError(call('thread/turns/list', { threadId: 'x' }))).toEqual({
      code: -32600,
      message: 'invalid thread id: invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `x` at 1',
    });
    expect(await rpcError(call('thread/items/list', { threadId: sample }))).toEqual({
      code: -32601,
      message: 'thread/items/list is not supported yet',
    });
  });

  it('clamps limits like codex (default 25, 1..100) and accepts any UUID form', async () => {
    const many = ids['many implicit turns']!;
    const d = (await call('thread/turns/list', { threadId: many, itemsView: 'notLoaded' })) as ThreadTurnsListResult;
    expect(d.data).toHaveLength(12);
    expect(((await call('thread/turns/list', { threadId: many, limit: 0 })) as ThreadTurnsListResult).data).toHaveLength(1);
    const upper = (await call('thread/turns/list', { threadId: `{${many.toUpperCase()}}`, limit: 1 })) as ThreadTurnsListResult;
    expect(upper.data[0]!.id).toBe(d.data[0]!.id);
  });

  it('thread/read includeTurns gives every turn with all items, oldest first', async () => {
    const r = (await call('thread/read', { threadId: sample, includeTurns: true })) as { thread: { turns: Turn[] } };
    expect(schemaErrors('response', 'thread/read', r)).toEqual([]);
    expect(r.thread.turns.map((t) => [t.id, t.itemsView, t.items.length])).toEqual([
      ['rollout-2', 'full', 2],
      ['rollout-4', 'full', 2],
      ['t-3', 'full', 1],
      ['t-4', 'full', 1],
      ['t-5', 'full', 1],
    ]);
    const plain = (await call('thread/read', { threadId: sample })) as { thread: { turns: Turn[] } };
    expect(plain.thread.turns).toEqual([]);
  });
});

describe('paginated threads', () => {
  let engine: Engine;
  let call: Call;
  let ids: Record<string, string>;
  beforeAll(async () => {
    const names = [...Object.keys(PAGINATED_CASES), 'rollback'];
    const o = await open([...Object.values(PAGINATED_CASES), PAGINATED_ROLLBACK]);
    engine = o.engine;
    call = caller(engine);
    ids = Object.fromEntries(names.map((n, i) => [n, o.ids[i]!]));
  });
  afterAll(() => engine.close());

  it('serves items from item_completed lines with their times, in first-seen order', async () => {
    const t = (
      (await call('thread/turns/list', { threadId: ids['items, their times and their order'], itemsView: 'full' })) as ThreadTurnsListResult
    ).data[0]!;
    expect(t).toMatchObject({ id: 't1', rootTurnId: 't1', status: 'completed', startedAt: 100, completedAt: 102, durationMs: 2000 });
    expect(t.items.map((i) => [i.type, i.id, i['startedAtMs'], i['completedAtMs']])).toEqual([
      ['userMessage', 'u1', 1000, 1001],
      ['reasoning', 'r1', 1003, 1004],
      ['agentMessage', 'a1', 1005, 1006],
    ]);
    expect(t.items[0]!['content']).toEqual([
      { type: 'text', text: 'hi', text_elements: [] },
      { type: 'image', url: 'data:x', detail: null },
      { type: 'localImage', detail: null, path: '/a.png' },
    ]);
    expect(t.items[2]).toMatchObject({ text: 'part1 part2', phase: 'final_answer' });
  });

  it('converts every kind of typed item', async () => {
    const t = (
      (await call('thread/turns/list', {
        threadId: ids['typed items of every kind codex shows'],
        itemsView: 'full',
      })) as ThreadTurnsListResult
    ).data[0]!;
    const cmd = t.items.find((i) => i.type === 'commandExecution')!;
    expect(cmd).toEqual({
      type: 'commandExecution',
      id: 'c1',
      pluginId: null,
      scriptPath: null,
      // shlex: a double-quoted chunk up to the `$`, then a single-quoted one.
      command: `/bin/bash -lc "echo 'hi there' && ls "'$HOME'`,
      cwd: '/tmp/my dir',
      processId: '42',
      source: 'unifiedExecStartup',
      status: 'completed',
      commandActions: [
        { type: 'read', command: 'cat a.txt', name: 'a.txt', path: '/tmp/a.txt' },
        { type: 'listFiles', command: 'ls', path: null },
        { type: 'search', command: 'rg x', query: 'x', path: 'src' },
        { type: 'unknown', command: 'echo' },
      ],
      aggregatedOutput: 'hi there\n',
      exitCode: 0,
      durationMs: 1500,
      startedAtMs: null,
      completedAtMs: null,
    });
    expect(t.items.find((i) => i.type === 'collabAgentToolCall')).toMatchObject({
      tool: 'spawnAgent',
      agentsStates: { '01a1fcd4-f089-79c1-bef3-09bf7165c8b8': { status: 'pendingInit', message: null } },
    });
  });

  it('pages turns by rollout ordinal with codex’s cursor shape', async () => {
    const id = ids['many turns for paging']!;
    const p1 = (await call('thread/turns/list', { threadId: id, limit: 3, itemsView: 'notLoaded' })) as ThreadTurnsListResult;
    expect(p1.data.map((t) => t.id)).toEqual(['t6', 't5', 't4']);
    // Ordinals: meta 0, then 4 lines per turn: t4 opens at 17.
    expect(p1.nextCursor).toBe(`{"requestedThreadId":"${id}","rolloutOrdinal":17,"includeAnchor":false,"scope":{"kind":"turns"}}`);
    expect(p1.backwardsCursor).toBe(`{"requestedThreadId":"${id}","rolloutOrdinal":25,"includeAnchor":true,"scope":{"kind":"turns"}}`);
    const desc = await allPages(call, { threadId: id, limit: 3, itemsView: 'notLoaded' });
    expect(desc.flatMap((p) => p.data.map((t) => t.id))).toEqual(['t6', 't5', 't4', 't3', 't2', 't1', 't0']);
    const back = (await call('thread/turns/list', {
      threadId: id,
      limit: 10,
      sortDirection: 'asc',
      itemsView: 'notLoaded',
      cursor: desc[1]!.backwardsCursor,
    })) as ThreadTurnsListResult;
    expect(back.data.map((t) => t.id)).toEqual(['t3', 't4', 't5', 't6']);
    // A legacy-shaped cursor, or one for another thread or scope, is not a cursor here.
    for (const bad of [
      '{"turnId":"t1","includeAnchor":false}',
      `{"requestedThreadId":"${ids['rollback']}","rolloutOrdinal":1,"includeAnchor":false,"scope":{"kind":"turns"}}`,
      `{"requestedThreadId":"${id}","rolloutOrdinal":1,"includeAnchor":false,"scope":{"kind":"itemsByCreatedAtOrdinal"}}`,
    ]) {
      expect(await rpcError(call('thread/turns/list', { threadId: id, cursor: bad }))).toEqual({
        code: -32600,
        message: `invalid cursor: ${bad}`,
      });
    }
  });

  it('lists items across turns and within one, both ways, with item anchors', async () => {
    const id = ids['many turns for paging']!;
    const p1 = (await call('thread/items/list', { threadId: id, limit: 3 })) as {
      data: { turnId: string; item: { id: string } }[];
      nextCursor: string | null;
      backwardsCursor: string | null;
    };
    expect(schemaErrors('response', 'thread/items/list', p1)).toEqual([]);
    expect(p1.data.map((e) => [e.turnId, e.item.id])).toEqual([
      ['t0', 'u0'],
      ['t0', 'a0'],
      ['t1', 'u1'],
    ]);
    expect(p1.nextCursor).toBe(
      `{"requestedThreadId":"${id}","rolloutOrdinal":6,"includeAnchor":false,"scope":{"kind":"itemsByCreatedAtOrdinal"}}`,
    );
    expect(p1.backwardsCursor).toBe(
      `{"requestedThreadId":"${id}","rolloutOrdinal":2,"includeAnchor":true,"scope":{"kind":"itemsByCreatedAtOrdinal"}}`,
    );
    const desc = (await call('thread/items/list', { threadId: id, limit: 2, sortDirection: 'desc' })) as typeof p1;
    expect(desc.data.map((e) => e.item.id)).toEqual(['a6', 'u6']);
    const inTurn = (await call('thread/items/list', { threadId: id, turnId: 't3', cursor: { type: 'item', itemId: 'u3' } })) as typeof p1;
    expect(inTurn.data.map((e) => e.item.id)).toEqual(['a3']);
    expect(await rpcError(call('thread/items/list', { threadId: id, cursor: { type: 'item', itemId: 'u3' } }))).toEqual({
      code: -32602,
      message: 'turnId is required when cursor is an item anchor',
    });
    expect(await rpcError(call('thread/items/list', { threadId: id, turnId: 't3', cursor: { type: 'item', itemId: 'nope' } }))).toEqual({
      code: -32602,
      message: 'cursor.itemId does not identify an item in the requested history scope',
    });
    expect(((await call('thread/items/list', { threadId: id, turnId: 'nope' })) as typeof p1).data).toEqual([]);
  });

  it('keeps late items in their turn and lists orphan items only in items/list', async () => {
    const id = ids['late items land in their turn; items of unknown turns only in items/list']!;
    const turns = ((await call('thread/turns/list', { threadId: id, itemsView: 'full' })) as ThreadTurnsListResult).data;
    expect(turns.map((t) => [t.id, t.status, t.items.map((i) => i.id)])).toEqual([
      ['t2', 'failed', ['u2']],
      ['t1', 'completed', ['u1', 'late']],
    ]);
    const items = (await call('thread/items/list', { threadId: id })) as { data: { turnId: string; item: { id: string } }[] };
    expect(items.data.map((e) => [e.turnId, e.item.id])).toEqual([
      ['t1', 'u1'],
      ['t1', 'late'],
      ['zz', 'orphan'],
      ['t2', 'u2'],
    ]);
  });

  it('drops turns a thread_rolled_back removed (a deliberate difference from codex 0.169)', async () => {
    const turns = ((await call('thread/turns/list', { threadId: ids['rollback'], sortDirection: 'asc' })) as ThreadTurnsListResult).data;
    expect(turns.map((t) => t.id)).toEqual(['t1', 't3']);
    const items = (await call('thread/items/list', { threadId: ids['rollback'] })) as { data: { item: { id: string } }[] };
    expect(items.data.map((e) => e.item.id)).toEqual(['u1', 'u3']);
  });
});

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

describe('incremental indexing', () => {
  let lock: ChildProcess | null = null;
  afterAll(() => {
    if (lock?.pid) process.kill(lock.pid);
  });

  it('shows an appended turn, updates an in-progress turn in place via backwardsCursor, and forgets rolled-back turns', async () => {
    const { engine, ids, home } = await open([
      {
        lines: [
          { type: 'event_msg', payload: { type: 'task_started', turn_id: 't1' } },
          { type: 'event_msg', payload: { type: 'user_message', message: 'one' } },
          { type: 'event_msg', payload: { type: 'task_complete', turn_id: 't1' } },
        ],
      },
    ]);
    const id = ids[0]!;
    const file = path.join(home, 'sessions/2025/01/02', fs.readdirSync(path.join(home, 'sessions/2025/01/02'))[0]!);
    const append = (...payloads: Record<string, unknown>[]): void =>
      fs.appendFileSync(
        file,
        payloads.map((p) => `${JSON.stringify({ timestamp: '2025-01-02T13:00:00Z', type: 'event_msg', payload: p })}\n`).join(''),
      );
    const call = caller(engine);
    try {
      const first = (await call('thread/turns/list', { threadId: id, limit: 1 })) as ThreadTurnsListResult;
      expect(first.data.map((t) => t.id)).toEqual(['t1']);

      // Codex starts a turn and holds its writer lock (as codex does while a thread is loaded).
      fs.mkdirSync(path.join(home, 'thread-writer-locks'), { recursive: true });
      const lockFile = path.join(home, 'thread-writer-locks', `${id}.lock`);
      fs.writeFileSync(lockFile, '');
      lock = spawn('flock', [lockFile, 'sleep', '60'], { stdio: 'ignore' });
      await waitFor(() => fs.readFileSync('/proc/locks', 'utf8').includes(`:${fs.statSync(lockFile).ino} `));
      append({ type: 'task_started', turn_id: 't2', started_at: 1000 }, { type: 'user_message', message: 'two' });
      await engine.sync();
      const catchUp = (): Promise<ThreadTurnsListResult> =>
        call('thread/turns/list', {
          threadId: id,
          sortDirection: 'asc',
          cursor: first.backwardsCursor,
          itemsView: 'full',
        }) as Promise<ThreadTurnsListResult>;
      const during = await catchUp();
      expect(during.data.map((t) => [t.id, t.status, t.items.length])).toEqual([
        ['t1', 'completed', 1],
        ['t2', 'inProgress', 1],
      ]);

      append({ type: 'agent_message', message: 'done' }, { type: 'task_complete', turn_id: 't2', completed_at: 1002, duration_ms: 2000 });
      await engine.sync();
      const after = await catchUp();
      expect(after.data.map((t) => [t.id, t.status, t.items.length, t.completedAt])).toEqual([
        ['t1', 'completed', 1, null],
        ['t2', 'completed', 2, 1002],
      ]);

      // A turn left unfinished by a writer that is gone is interrupted.
      append({ type: 'task_started', turn_id: 't3' }, { type: 'user_message', message: 'three' });
      process.kill(lock.pid!);
      lock = null;
      fs.rmSync(lockFile);
      await engine.sync();
      expect(((await call('thread/turns/list', { threadId: id, limit: 1 })) as ThreadTurnsListResult).data[0]).toMatchObject({
        id: 't3',
        status: 'interrupted',
      });

      append({ type: 'thread_rolled_back', num_turns: 2 });
      await engine.sync();
      expect(((await call('thread/turns/list', { threadId: id })) as ThreadTurnsListResult).data.map((t) => t.id)).toEqual(['t1']);
    } finally {
      await engine.close();
    }
  });
});

async function waitFor(pred: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
