// A live engine session (the worker, as hosts run it) whose first backfill is done.
import { EngineSession } from '../../src/main/host/engine-session.ts';

/** A live engine session on `home`, once its first backfill is done (every rollout indexed). */
export async function indexedSession(home: string, dataDir: string): Promise<EngineSession> {
  const session = await EngineSession.start({ home, dataDir, parseWorkers: 0, live: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const s = await session.call('spool/index/status', {});
    if ((s.phase === 'live' || s.phase === 'idle') && !s.scanning && s.filesDone === s.filesTotal && s.threads > 0) return session;
    if (Date.now() > deadline) throw new Error(`the index did not settle: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
