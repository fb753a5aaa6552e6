// A turn appended by the real codex CLI (`codex exec resume` against the loopback mock, slowed down
// so the turn stays open for a while): Spool shows it in progress while codex holds the thread, the
// backwards cursor of the page seen before fetches it again in place until it completes, and the
// finished turn is the one the real codex app-server reports.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import type { ThreadListResult, ThreadTurnsListResult } from '../../../shared/protocol/index.ts';
import { copyHome, realHome, STANDARD_HOME } from '../../../../test/support/real-home.ts';
import { codexBinary, pointHomeAtMock, startAppServer, startMock } from '../../../../test/support/codex-reference.ts';

describe('a turn appended by the real codex CLI', () => {
  it('is in progress while codex writes it, updates in place through backwardsCursor, and ends as codex reports it', async () => {
    const home = copyHome(realHome(...STANDARD_HOME).home);
    const engine = Engine.open({ home, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'spool-live-')), parseWorkers: 0 });
    const mock = await startMock({ delayMs: 3000 });
    pointHomeAtMock(home, mock.port);
    try {
      await engine.sync();
      const list = (await engine.call('thread/list', { sourceKinds: ['exec'], modelProviders: [], limit: 100 })) as ThreadListResult;
      const thread = list.data.find((t) => t.historyMode === 'paginated' && t.cliVersion === '0.169.0')!;
      const before = (await engine.call('thread/turns/list', { threadId: thread.id, limit: 1 })) as ThreadTurnsListResult;
      const newest = before.data[0]!.id;

      const { codex, env } = await codexBinary();
      const child = spawn(
        codex.bin,
        [
          'exec',
          'resume',
          '--json',
          '--skip-git-repo-check',
          '-m',
          thread.model ?? 'mock-model',
          thread.id,
          'Please continue with the next step',
        ],
        { cwd: thread.cwd, env: env(home), stdio: 'ignore' },
      );
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const catchUp = async (): Promise<ThreadTurnsListResult> => {
        await engine.sync();
        return (await engine.call('thread/turns/list', {
          threadId: thread.id,
          sortDirection: 'asc',
          cursor: before.backwardsCursor,
          itemsView: 'full',
        })) as ThreadTurnsListResult;
      };

      // While the mock holds the model's answer back, the new turn is open and codex holds the thread.
      let during: ThreadTurnsListResult | null = null;
      for (const end = Date.now() + 20_000; Date.now() < end;) {
        const page = await catchUp();
        if (page.data.length === 2 && page.data[1]!.items.some((i) => i.type === 'userMessage')) {
          during = page;
          break;
        }
        await new Promise((r) => setTimeout(r, 150));
      }
      expect(during, 'the new turn while codex runs it').not.toBeNull();
      expect(during!.data[0]!.id).toBe(newest);
      expect(during!.data[1]!.status).toBe('inProgress');
      const turnId = during!.data[1]!.id;

      expect(await exited).toBe(0);
      const after = await catchUp();
      expect(after.data.map((t) => t.id)).toEqual([newest, turnId]);
      expect(after.data[1]!.status).toBe('completed');
      expect(after.data[1]!.items.map((i) => i.type)).toEqual(['userMessage', 'agentMessage']);
      // Spool's addition: what the turn cost, from the token counts written while it ran.
      expect(after.data[1]!.spool?.tokensUsed).toBeGreaterThan(0);
      const first = (await engine.call('thread/turns/list', { threadId: thread.id, limit: 1, itemsView: 'full' })) as ThreadTurnsListResult;
      expect(first.data[0]!.id).toBe(turnId);

      // The real app-server, on the same home, reports the same turn.
      const app = await startAppServer(home);
      let codexTurns: unknown;
      try {
        await app.request('thread/resume', { threadId: thread.id });
        codexTurns = (await app.request('thread/turns/list', { threadId: thread.id, limit: 1, itemsView: 'full' })).result;
      } finally {
        await app.close();
      }
      await engine.sync();
      const mine = (await engine.call('thread/turns/list', { threadId: thread.id, limit: 1, itemsView: 'full' })) as ThreadTurnsListResult;
      const withoutExtras = { ...mine, data: mine.data.map(({ spool: _spool, ...t }) => t) };
      expect(isDeepStrictEqual(withoutExtras, codexTurns), `${JSON.stringify(withoutExtras)}\n${JSON.stringify(codexTurns)}`).toBe(true);
    } finally {
      await mock.close();
      await engine.close();
    }
  });
});
