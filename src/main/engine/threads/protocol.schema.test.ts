// The mutation methods' answers and every thread notification Spool sends validate against the JSON
// schema the pinned codex generates — for real answers and notifications, and for every shape the
// protocol's own notification schemas accept.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { notifications, type AnyNotification } from '../../../shared/protocol/index.ts';
import { copyHome, realHome } from '../../../../test/support/real-home.ts';
import { MIXED_HOME } from '../../../../test/support/appserver.ts';
import { NOTIFICATION_SCHEMAS, schemaErrors } from '../../../../test/support/codex-schema.ts';

let engine: Engine;
const seen: AnyNotification[] = [];
beforeAll(async () => {
  const home = copyHome(realHome(...MIXED_HOME).home);
  engine = Engine.open({ home, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'spool-pschema-')), parseWorkers: 0 });
  await engine.sync();
  engine.events.on((n) => seen.push(n));
});
afterAll(() => engine.close());

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 10));

describe('mutation answers and notifications validate against codex’s generated JSON schema', () => {
  it('for every format of thread (legacy, paginated, pre-0.47)', async () => {
    const rows = engine.db
      .prepare('SELECT id, format FROM threads WHERE archived = 0 AND id NOT IN (SELECT child_id FROM spawn_edges) ORDER BY format, id')
      .all() as { id: string; format: string }[];
    expect(new Set(rows.map((r) => r.format))).toEqual(new Set(['bare', 'legacy', 'paginated']));
    for (const { id } of rows) {
      expect(schemaErrors('response', 'thread/name/set', await engine.call('thread/name/set', { threadId: id, name: `n ${id}` }))).toEqual(
        [],
      );
      for (const gitInfo of [
        { branch: 'b', sha: 'abc', originUrl: 'https://u:p@h/r.git' },
        { branch: null },
        { sha: null, branch: null, originUrl: null },
      ]) {
        expect(
          schemaErrors('response', 'thread/metadata/update', await engine.call('thread/metadata/update', { threadId: id, gitInfo })),
        ).toEqual([]);
      }
      expect(schemaErrors('response', 'thread/archive', await engine.call('thread/archive', { threadId: id }))).toEqual([]);
      expect(schemaErrors('response', 'thread/unarchive', await engine.call('thread/unarchive', { threadId: id }))).toEqual([]);
    }
    await tick();
    const codexNamed = seen.filter((n) => n.method in NOTIFICATION_SCHEMAS);
    expect(new Set(codexNamed.map((n) => n.method))).toEqual(new Set(['thread/name/updated', 'thread/archived', 'thread/unarchived']));
    for (const n of codexNamed) expect(schemaErrors('notification', n.method, n.params), n.method).toEqual([]);
  });

  it('for every shape the protocol lets Spool send (thread/status/changed, thread/closed included)', () => {
    const threadId = '01a1fccf-0894-77a2-a6ff-3eb67cb4bee2';
    const samples: AnyNotification[] = [
      { method: 'thread/archived', params: { threadId } },
      { method: 'thread/unarchived', params: { threadId } },
      { method: 'thread/name/updated', params: { threadId, threadName: 'x' } },
      { method: 'thread/name/updated', params: { threadId, threadName: null } },
      { method: 'thread/name/updated', params: { threadId } },
      { method: 'thread/closed', params: { threadId } },
      { method: 'thread/status/changed', params: { threadId, status: { type: 'notLoaded' } } },
      { method: 'thread/status/changed', params: { threadId, status: { type: 'idle' } } },
      { method: 'thread/status/changed', params: { threadId, status: { type: 'systemError' } } },
      { method: 'thread/status/changed', params: { threadId, status: { type: 'active', activeFlags: [] } } },
      {
        method: 'thread/status/changed',
        params: { threadId, status: { type: 'active', activeFlags: ['waitingOnApproval', 'waitingOnUserInput'] } },
      },
    ];
    for (const n of samples) {
      // Accepted by Spool's own schema, and by codex's.
      expect(notifications[n.method].safeParse(n.params).success, JSON.stringify(n)).toBe(true);
      expect(schemaErrors('notification', n.method, n.params), JSON.stringify(n)).toEqual([]);
    }
    // Every codex-named notification in the protocol table has a sample here.
    expect(new Set(samples.map((n) => n.method))).toEqual(new Set(Object.keys(NOTIFICATION_SCHEMAS)));
  });
});
