// A list that shows one collection drops the threads that left it and takes in the ones that
// joined it at their sorted place — checked on threads read from a real engine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/main/engine/engine.ts';
import { generateDemoHome } from '../../src/main/engine/demo/generate.ts';
import type { Thread, ThreadListParams } from '../../src/shared/protocol/index.ts';
import { applyMembership } from '../../src/renderer/features/threads/membership.ts';

let engine: Engine;
let all: Thread[];
const filters: ThreadListParams = { sortKey: 'updated_at', sortDirection: 'desc', modelProviders: [], sourceKinds: ['cli', 'vscode', 'exec', 'appServer', 'subAgent', 'unknown'], includeEmptyPreview: true, limit: 100 };

beforeAll(async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-membership-'));
  generateDemoHome({ home: path.join(root, 'home'), threads: 40, seed: 4, archivedFraction: 0 });
  engine = Engine.open({ home: path.join(root, 'home'), dataDir: path.join(root, 'data'), parseWorkers: 0 });
  await engine.sync();
  all = (await engine.call('thread/list', filters)).data;
});
afterAll(() => engine.close());

describe('applyMembership', () => {
  it('puts returning threads back exactly where the engine lists them', () => {
    const away = new Set([all[0]!.id, all[7]!.id, all[all.length - 1]!.id]);
    const without = all.filter((t) => !away.has(t.id));
    expect(applyMembership(all, away, [], filters, true)).toEqual(without);
    const back = applyMembership(without, new Set(), all.filter((t) => away.has(t.id)), filters, true);
    expect(back.map((t) => t.id)).toEqual(all.map((t) => t.id));
  });

  it('leaves a thread that sorts below the loaded rows to a later page', () => {
    const loaded = all.slice(0, 10);
    const below = all[20]!;
    const above = all[3]!;
    const r = applyMembership(loaded.filter((t) => t.id !== above.id), new Set(), [below, above], filters, false);
    expect(r.map((t) => t.id)).toEqual(loaded.map((t) => t.id));
  });
});
