// Rollouts without a conversation, or whose last line has no newline: a header an old codex left
// and nothing else, a session_meta alone, events without a session_meta, a line torn by a crash.
// Each is indexed as what it is, and every mutation on it works or says why in an invalid-request
// error, never an internal one; the rollout is left as it was or grown by whole lines.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { RpcError } from '../../../shared/jsonrpc.ts';
import { copyHome, realHome, STANDARD_HOME } from '../../../../test/support/real-home.ts';
import { writeCraftedShapes, type CraftedShape } from '../../../../test/support/rollout-shapes.ts';
import { tmpDir } from '../../../../test/support/tmp.ts';

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

const FORMAT: Record<CraftedShape, 'bare' | 'legacy' | 'paginated'> = {
  bare: 'bare',
  legacy: 'legacy',
  paginated: 'paginated',
  'header-only': 'bare',
  'header-only, unfinished': 'bare',
  'bare, unfinished': 'bare',
  'legacy meta only, unfinished': 'legacy',
  'legacy without session_meta': 'legacy',
  'legacy, torn last line': 'legacy',
  'paginated meta only, unfinished': 'paginated',
};

async function setup(): Promise<{ e: Engine; crafted: ReturnType<typeof writeCraftedShapes> }> {
  const home = copyHome(realHome(...STANDARD_HOME).home, tmpDir('spool-shapes-home-'));
  const crafted = writeCraftedShapes(home);
  const e = Engine.open({ home, dataDir: tmpDir('spool-shapes-data-'), parseWorkers: 0 });
  engines.push(e);
  await e.sync();
  return { e, crafted };
}

/** The call's error code, or null when it succeeded. */
async function codeOf(p: Promise<unknown>): Promise<number | null> {
  try {
    await p;
    return null;
  } catch (err) {
    if (err instanceof RpcError) return err.code;
    throw err;
  }
}

describe('rollouts without a conversation or a final newline', () => {
  it('are indexed as the shape they are: an unfinished header is bare, not legacy', async () => {
    const { e, crafted } = await setup();
    for (const c of crafted) {
      const row = e.db.prepare('SELECT format FROM threads WHERE id = ?').get(c.id) as { format: string } | undefined;
      expect({ shape: c.shape, format: row?.format }).toEqual({ shape: c.shape, format: FORMAT[c.shape] });
      const { thread } = await e.call('thread/read', { threadId: c.id });
      expect(thread.id).toBe(c.id);
    }
  });

  it('take every mutation: git edits through the journal or an appended session_meta, never an internal error', async () => {
    const { e, crafted } = await setup();
    const relOf = (id: string): string =>
      (e.db.prepare('SELECT rel_path FROM threads WHERE id = ?').get(id) as { rel_path: string }).rel_path;
    const failures: string[] = [];
    const grew: CraftedShape[] = [];
    for (const c of crafted) {
      const before = fs.readFileSync(e.home.abs(relOf(c.id)));
      const calls: [string, () => Promise<unknown>][] = [
        ['git edit', () => e.call('thread/metadata/update', { threadId: c.id, gitInfo: { branch: 'shapes', sha: 'cafe1234' } })],
        ['rename', () => e.call('thread/name/set', { threadId: c.id, name: `named ${c.shape}` })],
        ['close', () => e.call('thread/close', { threadId: c.id })],
        ['reopen', () => e.call('spool/thread/reopen', { threadId: c.id })],
        ['archive', () => e.call('thread/archive', { threadId: c.id })],
        ['unarchive', () => e.call('thread/unarchive', { threadId: c.id })],
        ['bulk archive', () => e.call('spool/threads/bulk', { action: 'archive', threadIds: [c.id] })],
        ['bulk unarchive', () => e.call('spool/threads/bulk', { action: 'unarchive', threadIds: [c.id] })],
      ];
      for (const [what, call] of calls) {
        const code = await codeOf(call());
        if (code !== null) failures.push(`${c.shape}: ${what} answered ${code}`);
      }
      const { thread } = await e.call('thread/read', { threadId: c.id });
      expect({ shape: c.shape, git: thread.gitInfo, name: thread.name }).toEqual({
        shape: c.shape,
        git: { sha: 'cafe1234', branch: 'shapes', originUrl: null },
        name: `named ${c.shape}`,
      });
      // The rollout is where it was, holding what it held, grown by whole session_meta lines at most.
      const after = fs.readFileSync(e.home.abs(relOf(c.id)));
      expect(after.subarray(0, before.length).equals(before)).toBe(true);
      const added = after.subarray(before.length).toString('utf8');
      if (added === '') continue;
      grew.push(c.shape);
      expect(added.endsWith('\n')).toBe(true);
      for (const line of added.split('\n').filter(Boolean))
        expect(JSON.parse(line)).toMatchObject({ type: 'session_meta', payload: { id: c.id, git: { branch: 'shapes' } } });
    }
    expect(failures).toEqual([]);
    // Only a legacy rollout with a session_meta of its own gains one, as codex appends it.
    expect(grew).toEqual(['legacy', 'legacy meta only, unfinished', 'legacy, torn last line']);
  });
});
