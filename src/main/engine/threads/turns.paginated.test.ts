// thread/turns/list and thread/items/list on hand-written paginated rollouts, with exact values:
// items from item_completed lines with their times, every typed item, paging by rollout ordinal,
// item anchors, late and orphan items, and rolled-back turns. (turns.codex.test.ts checks the same
// rollouts against the real codex.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine.ts';
import type { ThreadTurnsListResult } from '../../../shared/protocol/index.ts';
import { PAGINATED_CASES, PAGINATED_ROLLBACK } from '../../../../test/support/turn-cases.ts';
import { schemaErrors } from '../../../../test/support/codex-schema.ts';
import { allPages, caller, openHandEngine, rpcError, type Call } from '../../../../test/support/turn-engine.ts';

describe('paginated threads', () => {
  let engine: Engine;
  let call: Call;
  let ids: Record<string, string>;
  beforeAll(async () => {
    const names = [...Object.keys(PAGINATED_CASES), 'rollback'];
    const o = await openHandEngine([...Object.values(PAGINATED_CASES), PAGINATED_ROLLBACK]);
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
