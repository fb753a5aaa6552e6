// Every response the engine gives today validates against the schema the pinned codex generates.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { ALL_SOURCE_KINDS, type ThreadListResult } from '../../../shared/protocol/index.ts';
import { copyHome, realHome, STANDARD_HOME } from '../../../../test/support/real-home.ts';
import { schemaErrors } from '../../../../test/support/codex-schema.ts';

let engine: Engine;
beforeAll(async () => {
  const home = copyHome(realHome(...STANDARD_HOME).home);
  engine = Engine.open({ home, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'spool-schema-')), parseWorkers: 0 });
  await engine.sync();
});
afterAll(() => engine.close());

describe('responses validate against codex’s generated JSON schema', () => {
  it('initialize', async () => {
    expect(schemaErrors('response', 'initialize', await engine.call('initialize', { clientInfo: { name: 't' } }))).toEqual([]);
  });
  it('thread/list pages and thread/read of every thread', async () => {
    for (const archived of [false, true]) {
      let cursor: string | null = null;
      do {
        const page: ThreadListResult = await engine.call('thread/list', {
          archived,
          limit: 5,
          modelProviders: [],
          sourceKinds: [...ALL_SOURCE_KINDS],
          includeEmptyPreview: true,
          ...(cursor ? { cursor } : {}),
        });
        expect(schemaErrors('response', 'thread/list', page)).toEqual([]);
        for (const t of page.data)
          expect(schemaErrors('response', 'thread/read', await engine.call('thread/read', { threadId: t.id }))).toEqual([]);
        cursor = page.nextCursor;
      } while (cursor);
    }
  });
  it('catches a shape codex would reject', () => {
    expect(schemaErrors('response', 'thread/list', { data: [{ id: 1 }] }).length).toBeGreaterThan(0);
  });
});
