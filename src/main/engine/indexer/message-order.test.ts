// Full-text rows are numbered by recency, which is what spool/search means by "newest matches
// first": the lower the rowid, the newer the message. The first indexing walks the home newest
// first and numbers each thread's messages above those it indexed before; a rollout indexed later
// is numbered below them all.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { CodexHome } from '../home.ts';
import { walkHome } from './scan.ts';
import { Searcher } from '../search/search.ts';
import type { SearchResult } from '../../../shared/protocol/index.ts';
import { copyHome, realHome, STANDARD_HOME, type RealHome } from '../../../../test/support/real-home.ts';
import { tmpDir } from '../../../../test/support/tmp.ts';

let real: RealHome;
let home: string;
let engine: Engine;
let heldBack: { rel: string; id: string };

interface Row {
  rowid: number;
  threadId: string;
  turnSeq: number | null;
  relPath: string;
}

const ftsRows = (): Row[] =>
  engine.db
    .prepare(
      'SELECT r.rowid AS rowid, r.thread_id AS threadId, r.turn_seq AS turnSeq, t.rel_path AS relPath FROM fts_rows AS r JOIN threads AS t ON t.id = r.thread_id ORDER BY r.rowid',
    )
    .all() as Row[];

beforeAll(async () => {
  real = realHome(...STANDARD_HOME);
  home = copyHome(real.home);
  // One rollout is held back from the first indexing and arrives after it.
  const r = real.manifest.rollouts.find(
    (x) => x.file.startsWith('sessions/') && real.manifest.rollouts.filter((y) => y.id === x.id).length === 1,
  )!;
  heldBack = { rel: r.file, id: r.id };
  fs.renameSync(path.join(home, r.file), path.join(home, `${r.file}.held`));
  // Inline parsing writes results in the walk's order (workers may finish batches out of order).
  engine = Engine.open({ home, dataDir: tmpDir('spool-order-'), parseWorkers: 0 });
  await engine.sync();
});
afterAll(async () => {
  await engine?.close();
});

describe('the order of full-text rows', () => {
  it('numbers a backfill newest rollout first, each thread in one block in turn order', () => {
    const rows = ftsRows();
    expect(rows.length).toBeGreaterThan(50);
    const blocks: Row[][] = [];
    for (const r of rows) {
      const last = blocks[blocks.length - 1];
      if (last && last[0]!.threadId === r.threadId) last.push(r);
      else blocks.push([r]);
    }
    // One block per thread, in the order the indexer walks the home (newest day first, archived last).
    expect(new Set(blocks.map((b) => b[0]!.threadId)).size).toBe(blocks.length);
    const walked = [...walkHome(new CodexHome(home), [])].flatMap((c) => c.files.map((f) => f.relPath));
    const withMessages = new Set(blocks.map((b) => b[0]!.relPath));
    expect(blocks.map((b) => b[0]!.relPath)).toEqual(walked.filter((rel) => withMessages.has(rel)));
    // Within a thread, a later turn's message has the lower rowid.
    for (const b of blocks) {
      const seqs = b.map((r) => r.turnSeq ?? -1);
      expect(seqs).toEqual([...seqs].sort((x, y) => y - x));
    }
  });

  it('numbers a rollout indexed after the backfill below every other message', async () => {
    const newest = ftsRows()[0]!.rowid;
    fs.renameSync(path.join(home, `${heldBack.rel}.held`), path.join(home, heldBack.rel));
    await engine.sync();
    const rows = ftsRows();
    const added = rows.filter((r) => r.threadId === heldBack.id);
    expect(added.length).toBeGreaterThan(0);
    expect(rows.slice(0, added.length)).toEqual(added);
    expect(Math.max(...added.map((r) => r.rowid))).toBeLessThan(newest);
  });

  it('makes search rank the newest matches first', () => {
    const small = new Searcher(engine.ctx, { window: 10 });
    const first = small.search({ query: 'the', limit: 10 });
    expect(first.ranking).toBe('windowed');
    // The first window is the ten newest messages holding "the", whichever thread they are in.
    const newest = engine.db
      .prepare(`SELECT rowid FROM messages_fts WHERE messages_fts MATCH '"the"' ORDER BY rowid LIMIT 10`)
      .pluck()
      .all() as number[];
    expect(first.data.map((h) => h.messageId).sort()).toEqual([...newest].sort());
  });

  it("keeps every row's archived flag equal to its thread's, through archive and unarchive", async () => {
    const { threadId, text } = engine.db
      .prepare(
        `SELECT r.thread_id AS threadId, m.text AS text FROM fts_rows AS r JOIN messages_fts AS m ON m.rowid = r.rowid JOIN threads AS t ON t.id = r.thread_id
        WHERE t.archived = 0 AND length(m.text) > 40 ORDER BY r.rowid LIMIT 1`,
      )
      .get() as { threadId: string; text: string };
    const query = `"${text.split(/\s+/).slice(0, 6).join(' ').replace(/"/g, '')}"`;
    const flags = (): number[] =>
      engine.db.prepare('SELECT DISTINCT archived FROM fts_rows WHERE thread_id = ?').pluck().all(threadId) as number[];
    const found = async (archived: boolean): Promise<boolean> => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: SearchResult = await engine.call('spool/search', { query, archived, limit: 200, ...(cursor ? { cursor } : {}) });
        ids.push(...page.data.map((h) => h.threadId));
        cursor = page.nextCursor;
      } while (cursor);
      return ids.includes(threadId);
    };
    expect(flags()).toEqual([0]);
    expect(await found(false)).toBe(true);
    expect(await found(true)).toBe(false);

    await engine.call('thread/archive', { threadId });
    expect(flags()).toEqual([1]);
    expect(await found(false)).toBe(false);
    expect(await found(true)).toBe(true);

    await engine.call('thread/unarchive', { threadId });
    expect(flags()).toEqual([0]);
    expect(await found(false)).toBe(true);
    expect(await found(true)).toBe(false);
  });
});
