// Every thread thread/list lists under these params, page after page (the tests' ground truth).
import type { Engine } from '../../src/main/engine/engine.ts';
import type { Thread, ThreadListParams, ThreadListResult } from '../../src/shared/protocol/index.ts';

export async function listAll(engine: Pick<Engine, 'call'>, params: ThreadListParams, pageSize = 100): Promise<Thread[]> {
  const out: Thread[] = [];
  let cursor: string | null = null;
  do {
    const page: ThreadListResult = await engine.call('thread/list', { ...params, limit: pageSize, ...(cursor ? { cursor } : {}) });
    out.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}
