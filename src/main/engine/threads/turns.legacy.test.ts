// thread/turns/list and thread/read includeTurns on hand-written legacy rollouts: the reconstruction
// rules of docs/FORMAT.md §2.5 / §8.3 with exact values — turn ids, cursors, summaries, rollbacks,
// failed turns, tool items, codex's errors and limits. (turns.codex.test.ts checks the same
// rollouts against the real codex.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine.ts';
import type { ThreadTurnsListResult, Turn } from '../../../shared/protocol/index.ts';
import { LEGACY_CASES } from '../../../../test/support/turn-cases.ts';
import { schemaErrors } from '../../../../test/support/codex-schema.ts';
import { allPages, caller, openHandEngine, rpcError, type Call } from '../../../../test/support/turn-engine.ts';

describe('legacy threads', () => {
  let engine: Engine;
  let call: Call;
  let sample: string;
  let ids: Record<string, string>;
  beforeAll(async () => {
    const names = Object.keys(LEGACY_CASES);
    const o = await openHandEngine(names.map((n) => LEGACY_CASES[n]!));
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
