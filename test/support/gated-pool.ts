// The real inline parse pool, with a gate: while held, batches are parsed but their results are not
// delivered, so a test can make something happen between a parse and its write.
import { setTimeout as sleep } from 'node:timers/promises';
import { createInlinePool, type ParsePool } from '../../src/main/engine/indexer/parse-pool.ts';

export interface GatedPool extends ParsePool {
  hold(): void;
  release(): void;
  /** Batches parsed and waiting at the gate. */
  waiting(): number;
}

export function gatedPool(opts: { held?: boolean } = {}): GatedPool {
  const inner = createInlinePool();
  let held = opts.held === true;
  let waiting = 0;
  return {
    size: 1,
    async parseBatch(jobs) {
      const results = await inner.parseBatch(jobs);
      waiting++;
      while (held) await sleep(5);
      waiting--;
      return results;
    },
    hold: () => void (held = true),
    release: () => void (held = false),
    waiting: () => waiting,
    close: () => inner.close(),
  };
}
