// Turns as a rollout grows: an appended turn shows, an in-progress turn (its writer holding codex's
// lock) updates in place through the backwards cursor, a turn whose writer is gone is interrupted,
// and rolled-back turns are forgotten.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ThreadTurnsListResult } from '../../../shared/protocol/index.ts';
import { caller, openHandEngine } from '../../../../test/support/turn-engine.ts';

describe('incremental indexing', () => {
  let lock: ChildProcess | null = null;
  afterAll(() => {
    if (lock?.pid) process.kill(lock.pid);
  });

  it('shows an appended turn, updates an in-progress turn in place via backwardsCursor, and forgets rolled-back turns', async () => {
    const { engine, ids, home } = await openHandEngine([
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
