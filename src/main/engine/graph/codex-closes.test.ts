// Codex's own closes come from the rollouts: a parent's close_agent call (rollout/agent-closes.ts),
// found on first index and on append, in either order of parent and child, merged with the user's
// reopens by time (the latest fact wins).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import {
  agentId,
  agentRolloutLines,
  agentRolloutPath,
  writeAgentRollouts,
  type AgentSpec,
} from '../../../../test/support/agent-rollouts.ts';

describe('codex closes in the index', () => {
  const T0 = Date.parse('2026-04-01T08:00:00Z');
  const P = agentId(1);
  const A = agentId(2);
  const B = agentId(3);
  const C = agentId(4);
  const X = agentId(5);
  let home: string;
  let engine: Engine;
  const parent: AgentSpec = { id: P, createdMs: T0, closes: [{ child: A, atMs: T0 + 60_000, key: 'id' }] };
  const status = (id: string): unknown => engine.db.prepare('SELECT status FROM spawn_edges WHERE child_id = ?').get(id);
  const append = (spec: AgentSpec, lines: unknown[]): void => {
    const file = agentRolloutPath(home, spec);
    fs.appendFileSync(file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  };
  const closeLine = (child: string, ms: number): unknown => ({
    timestamp: new Date(ms).toISOString(),
    ordinal: 1000 + (ms % 1000),
    type: 'response_item',
    payload: {
      type: 'function_call',
      name: 'close_agent',
      namespace: 'multi_agent_v1',
      arguments: JSON.stringify({ target: child }),
      call_id: `c-${ms}`,
    },
  });

  beforeAll(async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-closes-'));
    home = path.join(root, 'home');
    writeAgentRollouts(home, [
      parent,
      { id: A, parent: P, nickname: 'Ada', createdMs: T0 + 1000 },
      { id: B, parent: P, nickname: 'Bo', createdMs: T0 + 2000 },
      // A thread that is not A's parent "closes" A: codex would not let it, Spool ignores it.
      { id: X, createdMs: T0 + 3000, closes: [{ child: B, atMs: T0 + 61_000 }] },
    ]);
    engine = Engine.open({ home, dataDir: path.join(root, 'data'), parseWorkers: 0 });
    await engine.sync();
  });
  afterAll(() => engine.close());

  it('closes the edge a parent closed, and only its own child’s', () => {
    expect(status(A)).toEqual({ status: 'closed' });
    expect(status(B)).toEqual({ status: 'open' });
  });

  it('finds a close appended to a rollout (an incremental parse)', async () => {
    append(parent, [closeLine(B, T0 + 120_000)]);
    const s = await engine.sync();
    expect(s.parsed).toBe(1);
    expect(status(B)).toEqual({ status: 'closed' });
  });

  it('applies a close that was indexed before its child was', async () => {
    append(parent, [closeLine(C, T0 + 130_000)]);
    await engine.sync();
    writeAgentRollouts(home, [{ id: C, parent: P, nickname: 'Cy', createdMs: T0 + 4000 }]);
    await engine.sync();
    expect(status(C)).toEqual({ status: 'closed' });
  });

  it('lets the latest fact win: the user’s reopen after codex’s close, then codex’s close after that', async () => {
    await engine.call('spool/thread/reopen', { threadId: A });
    expect(status(A)).toEqual({ status: 'open' });
    append(parent, [closeLine(A, Date.now() + 60_000)]);
    await engine.sync();
    expect(status(A)).toEqual({ status: 'closed' });
    const node = (await engine.call('spool/thread/tree', { threadId: A })).nodes.find((n) => n.id === A)!;
    expect(node.closedBy).toBe('codex');
  });

  it('forgets closes that a rewritten rollout no longer holds', async () => {
    const file = agentRolloutPath(home, parent);
    fs.writeFileSync(file, `${agentRolloutLines({ ...parent, closes: [] }).join('\n')}\n`);
    await engine.sync();
    expect(status(B)).toEqual({ status: 'open' });
    expect(status(C)).toEqual({ status: 'open' });
    // A's user record (open) is older than the close that just vanished: open.
    expect(status(A)).toEqual({ status: 'open' });
  });
});
