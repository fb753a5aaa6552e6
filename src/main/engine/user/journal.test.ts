import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, INDEX_FILE } from '../engine.ts';
import { generateDemoHome } from '../demo/generate.ts';
import { COMPACT_MIN_RECORDS, UserJournal } from './journal.ts';
import { nowIso, type JournalRecord } from './records.ts';

function demo(): { home: string; dataDir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-journal-'));
  const home = path.join(root, 'home');
  generateDemoHome({ home, threads: 60, seed: 11, treeFraction: 0.5 });
  return { home, dataDir: path.join(root, 'data') };
}

describe('user journal', () => {
  it('survives deleting the index: closed edges and git edits come back after a rebuild', async () => {
    const { home, dataDir } = demo();
    let e = Engine.open({ home, dataDir, parseWorkers: 0 });
    await e.sync();
    const edge = e.db.prepare('SELECT child_id, parent_id FROM spawn_edges LIMIT 1').get() as { child_id: string; parent_id: string };
    const thread = e.db.prepare('SELECT id FROM threads WHERE spawn_parent_id IS NULL LIMIT 1').get() as { id: string };
    e.overlay.record([
      { v: 1, at: nowIso(), type: 'edge', childId: edge.child_id, parentId: edge.parent_id, status: 'closed' },
      { v: 1, at: nowIso(), type: 'git', threadId: thread.id, branch: 'spool-edit', sha: null },
    ]);
    const check = (eng: Engine): void => {
      expect(eng.db.prepare('SELECT status FROM spawn_edges WHERE child_id = ?').get(edge.child_id)).toEqual({ status: 'closed' });
      expect(eng.db.prepare('SELECT git_branch, git_sha FROM threads WHERE id = ?').get(thread.id)).toEqual({
        git_branch: 'spool-edit',
        git_sha: null,
      });
    };
    check(e);
    await e.close();

    for (const f of fs.readdirSync(dataDir)) if (f.startsWith(INDEX_FILE)) fs.rmSync(path.join(dataDir, f));
    e = Engine.open({ home, dataDir, parseWorkers: 0 });
    await e.sync();
    check(e);
    // A re-parse of the child's rollout must not reopen the edge either.
    const childPath = e.db.prepare('SELECT rel_path FROM threads WHERE id = ?').get(edge.child_id) as { rel_path: string };
    fs.appendFileSync(
      path.join(home, childPath.rel_path),
      `${JSON.stringify({ timestamp: new Date().toISOString(), type: 'event_msg', payload: { type: 'token_count', info: null } })}\n`,
    );
    await e.sync();
    check(e);
    await e.close();
  });

  it('skips a torn last line after a crash and keeps every whole record', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-journal-'));
    const j = new UserJournal(dir);
    const id = '01a1fcc3-3c76-7230-bef5-4d79ec905c57';
    j.append([{ v: 1, at: nowIso(), type: 'git', threadId: id, branch: 'a' }]);
    fs.appendFileSync(j.file, '{"v":1,"at":"x","type":"git","thr');
    j.append([{ v: 1, at: nowIso(), type: 'git', threadId: id, sha: null }]);
    const { records, badLines } = j.load();
    expect(badLines).toBe(1);
    expect(records.map((r) => r.type === 'git' && [r.branch, r.sha])).toEqual([
      ['a', undefined],
      [undefined, null],
    ]);
    j.compact();
    const after = j.load();
    expect(after.badLines).toBe(0);
    expect(after.records).toHaveLength(1);
    expect(after.records[0]).toMatchObject({ threadId: id, branch: 'a', sha: null });
  });

  it('is compacted at start when most records are superseded, and the state it describes is unchanged', async () => {
    const { home, dataDir } = demo();
    const j = new UserJournal(dataDir);
    fs.mkdirSync(dataDir, { recursive: true });
    const child = '01a1fcc3-3c76-7230-bef5-4d79ec905c57';
    const parent = '01a1fcc3-3c76-7230-bef5-4d79ec905c58';
    const thread = '01a1fcc3-3c76-7230-bef5-4d79ec905c59';
    const toggles: JournalRecord[] = [];
    for (let i = 0; i < COMPACT_MIN_RECORDS; i++)
      toggles.push({ v: 1, at: nowIso(), type: 'edge', childId: child, parentId: parent, status: i % 2 === 0 ? 'closed' : 'open' });
    toggles.push(
      { v: 1, at: nowIso(), type: 'git', threadId: thread, branch: 'a' },
      { v: 1, at: nowIso(), type: 'git', threadId: thread, sha: null },
    );
    j.append(toggles);
    const e = Engine.open({ home, dataDir, parseWorkers: 0 });
    const after = j.load();
    expect(after.records).toHaveLength(2);
    expect(after.records).toEqual([
      expect.objectContaining({ type: 'edge', childId: child, status: 'open' }),
      expect.objectContaining({ type: 'git', threadId: thread, branch: 'a', sha: null }),
    ]);
    expect(e.db.prepare('SELECT status FROM user_edge_status WHERE child_id = ?').get(child)).toEqual({ status: 'open' });
    await e.close();
  });

  it('is not compacted while a line cannot be read (it may be a newer Spool\u2019s record)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-journal-'));
    const j = new UserJournal(dir);
    const id = '01a1fcc3-3c76-7230-bef5-4d79ec905c57';
    j.append(
      Array.from({ length: COMPACT_MIN_RECORDS * 2 }, (_, i): JournalRecord => ({
        v: 1,
        at: nowIso(),
        type: 'git',
        threadId: id,
        branch: `b${i}`,
      })),
    );
    fs.appendFileSync(j.file, `${JSON.stringify({ v: 2, at: nowIso(), type: 'label', threadId: id, label: 'x' })}\n`);
    const before = fs.readFileSync(j.file, 'utf8');
    expect(j.compactIfWorthwhile(j.load()).records).toHaveLength(COMPACT_MIN_RECORDS * 2);
    expect(fs.readFileSync(j.file, 'utf8')).toBe(before);
  });
});
