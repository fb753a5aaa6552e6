// thread/list's searchTerm gives the same threads, in the same order, whichever way it is found
// (walking in key order, or from the trigram index), and the same as testing every thread by hand;
// the trigram index follows renames and removals.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { generateDemoHome } from '../demo/generate.ts';
import { ALL_SOURCE_KINDS, type Thread, type ThreadListParams, type ThreadListResult } from '../../../shared/protocol/index.ts';
import { buildListSql } from './list-sql.ts';
import { toListQuery } from './list.ts';
import { planPhrase, planSearch, trigrams } from './search-plan.ts';
import type { ThreadRow } from './thread-row.ts';
import { listAll as listEveryPage } from '../../../../test/support/list-all.ts';

let engine: Engine;
let everyone: Thread[];
const ALL = { sourceKinds: [...ALL_SOURCE_KINDS], modelProviders: [], includeEmptyPreview: true } satisfies ThreadListParams;

beforeAll(async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-search-'));
  generateDemoHome({ home: path.join(root, 'home'), threads: 600, seed: 4, namedFraction: 0.3, turnPaddingBytes: 0, maxTurns: 2 });
  engine = Engine.open({ home: path.join(root, 'home'), dataDir: path.join(root, 'data'), parseWorkers: 0 });
  await engine.sync();
  everyone = await listEveryPage(engine, ALL);
});
afterAll(() => engine.close());

/** Codex's rule, by hand: a case-sensitive substring of the name, the title (Spool: the preview) or the preview. */
const byHand = (term: string): string[] =>
  everyone.filter((t) => (t.name ?? '').includes(term) || t.preview.includes(term)).map((t) => t.id);

function run(term: string, forced: 'walk' | 'index'): string[] {
  const q = { ...toListQuery({ ...ALL, searchTerm: term }, () => 'openai')!, limit: 1_000_000 };
  if (forced === 'index') {
    const plan = planSearch(engine.db, term, Number.MAX_SAFE_INTEGER);
    if (plan.kind === 'none') return [];
    q.search = plan.kind === 'index' ? plan : { kind: 'walk' };
  }
  const { sql, args } = buildListSql(q);
  return (engine.db.prepare(sql).all(...args) as ThreadRow[]).map((r) => r.id);
}

async function pagedIds(params: ThreadListParams): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  do {
    const page: ThreadListResult = await engine.call('thread/list', { ...params, ...(cursor ? { cursor } : {}) });
    out.push(...page.data.map((t) => t.id));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

function terms(): string[] {
  // NUL cannot be written in an FTS5 MATCH expression (it is read as a C string): found by the WebSocket fuzz.
  const out = new Set<string>([
    '',
    'a',
    'ab',
    'no thread says this',
    'NOTHING',
    '"',
    '""x',
    'é',
    '🙂 x',
    'the',
    'The',
    '\u202e\u0000../',
    'a\u0000b',
    '\u0000\u0000\u0000',
    'the\u0000',
  ]);
  for (const [i, t] of everyone.entries()) {
    if (i % 37 !== 0) continue;
    const text = i % 2 === 0 ? t.preview : (t.name ?? t.preview);
    for (const len of [3, 5, 9, 20]) {
      const at = (i * 7) % Math.max(1, text.length - len);
      out.add(text.slice(at, at + len));
    }
    out.add(text.toUpperCase().slice(0, 6));
  }
  return [...out];
}

describe('searchTerm', () => {
  it('finds the same threads in the same order walking, from the index, and by hand', async () => {
    let index = 0;
    for (const term of terms()) {
      const expected = byHand(term);
      expect(run(term, 'walk'), JSON.stringify(term)).toEqual(expected);
      expect(run(term, 'index'), JSON.stringify(term)).toEqual(expected);
      expect(await pagedIds({ ...ALL, searchTerm: term, limit: 100 }), JSON.stringify(term)).toEqual(expected);
      if (trigrams(term).length > 0 && planSearch(engine.db, term).kind === 'index') index++;
    }
    // Rare terms take the index path on their own.
    expect(index).toBeGreaterThan(5);
  });

  it('pages a rare term through the index with the same cursors as a walk', async () => {
    const term = everyone.find((t) => t.name)!.name!.slice(0, 8);
    expect(planSearch(engine.db, term).kind).toBe('index');
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ThreadListResult = await engine.call('thread/list', {
        ...ALL,
        searchTerm: term,
        limit: 2,
        sortKey: 'updated_at',
        ...(cursor ? { cursor } : {}),
      });
      pages.push(...page.data.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    const ordered = everyone
      .filter((t) => pages.includes(t.id))
      .sort((a, b) => b.extra!.spool.updatedAtMs - a.extra!.spool.updatedAtMs || (a.id < b.id ? 1 : -1));
    expect(pages).toEqual(ordered.map((t) => t.id));
    expect(new Set(pages)).toEqual(new Set(byHand(term)));
  });

  it('starts from the index for a phrase that few threads hold even when each of its trigrams is common', () => {
    // With at most 3 candidates, a trigram in more than 12 threads counts as common here.
    const max = 3;
    const threadsWith = (gram: string): number => everyone.filter((t) => (t.name ?? '').includes(gram) || t.preview.includes(gram)).length;
    let phrase: string | null = null;
    for (const t of everyone) {
      for (let at = 0; at + 12 <= t.preview.length && !phrase; at++) {
        const candidate = t.preview.slice(at, at + 12);
        const hits = byHand(candidate).length;
        if (hits > 0 && hits <= max && trigrams(candidate).every((g) => threadsWith(g) > 4 * max)) phrase = candidate;
      }
      if (phrase) break;
    }
    expect(phrase, 'the demo home has such a phrase').not.toBeNull();
    expect(planSearch(engine.db, phrase!, max).kind, JSON.stringify(phrase)).toBe('walk');
    const plan = planPhrase(engine.db, phrase!, max);
    expect(plan.kind, JSON.stringify(phrase)).toBe('index');
    expect(run(phrase!, 'index')).toEqual(byHand(phrase!));
  });

  it('a walk cut short after a few threads returns the first matches exactly, whenever it fills the page', () => {
    let full = 0;
    for (const term of terms().filter((t) => t.length <= 5)) {
      for (const direction of ['desc', 'asc'] as const) {
        for (const scanBound of [5, 40, 200]) {
          const q = { ...toListQuery({ ...ALL, searchTerm: term, sortDirection: direction }, () => 'openai')!, limit: 3, scanBound };
          q.search = { kind: 'walk' };
          const { sql, args } = buildListSql(q);
          const rows = (engine.db.prepare(sql).all(...args) as ThreadRow[]).map((r) => r.id);
          const expected = direction === 'desc' ? byHand(term) : [...byHand(term)].reverse();
          // Cut short, it may miss matches past the bound; but a full page is the true first page.
          if (rows.length > q.limit) {
            full++;
            expect(rows, `${JSON.stringify(term)} ${direction} ${scanBound}`).toEqual(expected.slice(0, q.limit + 1));
          } else expect(expected.slice(0, rows.length)).toEqual(rows);
        }
      }
    }
    expect(full).toBeGreaterThan(10);
  });

  it('follows renames and removals', async () => {
    const t = everyone.find((x) => x.preview !== '')!;
    await engine.call('thread/name/set', { threadId: t.id, name: 'Zyxw-unique Q7' });
    expect(planSearch(engine.db, 'Zyxw-unique').kind).toBe('index');
    expect((await engine.call('thread/list', { ...ALL, searchTerm: 'Zyxw-unique' })).data.map((x) => x.id)).toEqual([t.id]);
    await engine.call('thread/name/set', { threadId: t.id, name: 'Another name' });
    expect((await engine.call('thread/list', { ...ALL, searchTerm: 'Zyxw-unique' })).data).toEqual([]);
    expect(planSearch(engine.db, 'Zyxw-unique').kind).toBe('none');
    fs.rmSync(t.path!);
    await engine.sync();
    expect((await engine.call('thread/list', { ...ALL, searchTerm: 'Another name' })).data).toEqual([]);
    expect(engine.db.prepare('SELECT count(*) AS n FROM thread_search_ids WHERE id = ?').get(t.id)).toEqual({ n: 0 });
  });
});
