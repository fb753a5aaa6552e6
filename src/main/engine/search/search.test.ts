// spool/search and spool/facets on a home written by the real codex CLI: hits point at the turn
// codex recorded the message in, pages visit every match once, filters and facets agree with
// thread/list.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { RpcError } from '../../../shared/jsonrpc.ts';
import { ALL_SOURCE_KINDS, type SearchHit, type SearchParams, type SearchResult, type Thread } from '../../../shared/protocol/index.ts';
import { copyHome, realHome, STANDARD_HOME, type RealHome } from '../../../../test/support/real-home.ts';
import { Searcher } from './search.ts';
import { fold, toFtsQuery, words } from './fts-query.ts';
import { listAll as listEveryPage } from '../../../../test/support/list-all.ts';

let real: RealHome;
let home: string;
let engine: Engine;

beforeAll(async () => {
  real = realHome(...STANDARD_HOME);
  home = copyHome(real.home);
  engine = Engine.open({ home, dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'spool-search-')), parseWorkers: 2 });
  await engine.sync();
});
afterAll(async () => {
  await engine.close();
});

/** Every rollout file of the home, by thread id. */
function rolloutOf(threadId: string): string {
  for (const dir of ['sessions', 'archived_sessions']) {
    const found = fs.readdirSync(path.join(home, dir), { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith(`${threadId}.jsonl`));
    if (found) return path.join(home, dir, found);
  }
  throw new Error(`no rollout for ${threadId}`);
}

/** The turn codex wrote a user message in, read straight from the rollout (item_completed carries it). */
function turnOfUserMessage(threadId: string, text: string): string {
  for (const line of fs.readFileSync(rolloutOf(threadId), 'utf8').split('\n')) {
    if (!line.includes('"UserMessage"')) continue;
    const v = JSON.parse(line) as { payload: { type: string; turn_id: string; item: { type: string; content: { text?: string }[] } } };
    if (
      v.payload.type === 'item_completed' &&
      v.payload.item.type === 'UserMessage' &&
      v.payload.item.content.some((c) => c.text?.includes(text))
    )
      return v.payload.turn_id;
  }
  throw new Error(`"${text}" is not a user message of ${threadId}`);
}

async function allHits(params: SearchParams, searcher?: Searcher): Promise<SearchHit[]> {
  const out: SearchHit[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 1000; i++) {
    const p: SearchParams = { ...params, ...(cursor ? { cursor } : {}) };
    const page: SearchResult = searcher ? searcher.search(p) : await engine.call('spool/search', p);
    out.push(...page.data);
    cursor = page.nextCursor;
    if (!cursor) return out;
  }
  throw new Error('search did not end');
}

const listAll = (archived: boolean): Promise<Thread[]> =>
  listEveryPage(engine, { archived, modelProviders: [], sourceKinds: [...ALL_SOURCE_KINDS], includeEmptyPreview: true });

const marked = (s: string): string[] => [...s.matchAll(/\uE000([^\uE001]*)\uE001/g)].map((m) => m[1]!);

describe('spool/search on a real codex home', () => {
  it('finds a message from the middle of a multi-turn thread and names the turn codex recorded it in', async () => {
    const session = real.manifest.plan.find(
      (p) =>
        p.prompts.length >= 3 &&
        p.threadId &&
        !real.manifest.rollouts.some((r) => r.id === p.threadId && r.file.startsWith('archived_sessions/')),
    )!;
    const prompt = session.prompts[1]!;
    const { data } = await engine.call('spool/search', { query: prompt, archived: false });
    const hit = data.find((h) => h.threadId === session.threadId && h.role === 'user');
    expect(hit, `no user hit in ${session.threadId} for "${prompt}"`).toBeDefined();
    expect(hit!.turnId).toBe(turnOfUserMessage(session.threadId!, prompt));
    expect(hit!.turnIndex).toBe(1);
    expect(hit!.thread.id).toBe(session.threadId);
  });

  it('highlights the words searched for, and only them', async () => {
    const { data } = await engine.call('spool/search', { query: 'pagination endpoint' });
    expect(data.length).toBeGreaterThan(0);
    for (const h of data) {
      const m = marked(h.snippet).map(fold);
      expect(m.length).toBeGreaterThan(0);
      for (const w of m) expect(w === 'pagination' || w.startsWith('endpoint')).toBe(true);
    }
  });

  it('pages through every match exactly once, best first, also when ranking a window at a time', async () => {
    const query = 'the';
    const exact = await allHits({ query, limit: 4 });
    const expected = engine.db
      .prepare('SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?')
      .pluck()
      .get(toFtsQuery(query).match) as number;
    expect(exact.length).toBe(expected);
    expect(new Set(exact.map((h) => h.messageId)).size).toBe(expected);
    for (let i = 1; i < exact.length; i++) expect(exact[i]!.rank).toBeGreaterThanOrEqual(exact[i - 1]!.rank);
    expect((await engine.call('spool/search', { query })).ranking).toBe('relevance');

    const small = new Searcher(engine.ctx, { window: 5 });
    expect(small.search({ query, limit: 3 }).ranking).toBe('windowed');
    const windowed = await allHits({ query, limit: 3 }, small);
    expect(windowed.map((h) => h.messageId).sort((a, b) => a - b)).toEqual(exact.map((h) => h.messageId).sort((a, b) => a - b));
    // Windows walk on from the newest message (the lowest rowid); each is ranked on its own.
    const windows: SearchHit[][] = [];
    for (const h of windowed) {
      const w = windows[windows.length - 1];
      if (w && w.length < 5) w.push(h);
      else windows.push([h]);
    }
    for (const w of windows) for (let i = 1; i < w.length; i++) expect(w[i]!.rank).toBeGreaterThanOrEqual(w[i - 1]!.rank);
    for (let i = 1; i < windows.length; i++)
      expect(Math.min(...windows[i]!.map((h) => h.messageId))).toBeGreaterThan(Math.max(...windows[i - 1]!.map((h) => h.messageId)));
  });

  it('applies the thread filters', async () => {
    const archivedIds = new Set((await listAll(true)).map((t) => t.id));
    const active = await listAll(false);
    const hitsArchived = await allHits({ query: 'the', archived: true });
    expect(hitsArchived.length).toBeGreaterThan(0);
    for (const h of hitsArchived) expect(archivedIds.has(h.threadId)).toBe(true);
    const cwd = active.find((t) => t.cwd.includes('repo-alpha'))!.cwd;
    const inCwd = await allHits({ query: 'the', cwd: [cwd], archived: false });
    expect(inCwd.length).toBeGreaterThan(0);
    for (const h of inCwd) expect(h.thread.cwd).toBe(cwd);
    const subAgents = await allHits({ query: 'the', sourceKinds: ['subAgent'] });
    expect(subAgents.length).toBeGreaterThan(0);
    for (const h of subAgents) expect(typeof h.thread.source === 'object' && 'subAgent' in h.thread.source).toBe(true);
  });

  it('answers nothing for input with nothing to search, and rejects foreign cursors', async () => {
    expect(await engine.call('spool/search', { query: ' " - ' })).toEqual({ data: [], nextCursor: null, ranking: 'relevance' });
    const page = await engine.call('spool/search', { query: 'the', limit: 1 });
    expect(page.nextCursor).not.toBeNull();
    const err = (await engine.call('spool/search', { query: 'pagination', cursor: page.nextCursor! }).catch((e: unknown) => e)) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.code).toBe(-32602);
    expect(err.message).toMatch(/another query/);
    const bad = (await engine.call('spool/search', { query: 'the', cursor: 'not-a-cursor' }).catch((e: unknown) => e)) as RpcError;
    expect(bad.message).toBe('invalid cursor: not-a-cursor');
  });

  it('finds text whatever its case and accents', async () => {
    const unicode = real.manifest.plan.find((p) => /ünïcödé/.test(p.prompts[0]!))!;
    const { data } = await engine.call('spool/search', { query: 'UNICODE' });
    expect(data.some((h) => h.threadId === unicode.threadId)).toBe(true);
    expect(words(marked(data.find((h) => h.threadId === unicode.threadId)!.snippet)[0]!)[0]!.word).toBe('unicode');
  });
});

describe('spool/facets on a real codex home', () => {
  it('counts what thread/list lists, per working directory, provider and source kind', async () => {
    for (const archived of [false, true]) {
      const threads = await listAll(archived);
      const f = await engine.call('spool/facets', { archived, includeEmptyPreview: true });
      expect(f.total).toBe(threads.length);
      const byCwd = new Map<string, number>();
      for (const t of threads) byCwd.set(t.cwd, (byCwd.get(t.cwd) ?? 0) + 1);
      expect(new Map(f.cwds.map((c) => [c.value, c.count]))).toEqual(byCwd);
      expect(f.cwdCount).toBe(byCwd.size);
      const byProvider = new Map<string, number>();
      for (const t of threads) byProvider.set(t.modelProvider, (byProvider.get(t.modelProvider) ?? 0) + 1);
      expect(new Map(f.providers.map((c) => [c.value, c.count]))).toEqual(byProvider);
      expect(f.sourceKinds.reduce((a, k) => a + k.count, 0)).toBe(threads.length);
    }
  });

  it('counts each facet under the other filters, and leaves preview-less threads out unless asked', async () => {
    const threads = await listAll(false);
    const cwd = threads.find((t) => t.cwd.includes('repo-alpha'))!.cwd;
    const f = await engine.call('spool/facets', { archived: false, cwd: [cwd], sourceKinds: ['exec'], includeEmptyPreview: true });
    const inCwd = threads.filter((t) => t.cwd === cwd);
    const execInCwd = inCwd.filter((t) => t.source === 'exec');
    expect(f.total).toBe(execInCwd.length);
    // The kind facet ignores the kind filter; the cwd facet ignores the cwd filter.
    expect(f.sourceKinds.reduce((a, k) => a + k.count, 0)).toBe(inCwd.length);
    expect(f.cwds.reduce((a, c) => a + c.count, 0)).toBe(threads.filter((t) => t.source === 'exec').length);

    const codexDefault = await engine.call('thread/list', {
      archived: false,
      modelProviders: [],
      sourceKinds: [...ALL_SOURCE_KINDS],
      limit: 100,
    });
    const withoutEmpty = await engine.call('spool/facets', { archived: false });
    expect(withoutEmpty.total).toBe(codexDefault.data.length);
    expect(withoutEmpty.total).toBeLessThan(threads.length);
  });

  it('filters the working directories by text', async () => {
    const f = await engine.call('spool/facets', { archived: false, includeEmptyPreview: true, cwdQuery: 'REPO-' });
    expect(f.cwds.length).toBeGreaterThan(0);
    for (const c of f.cwds) expect(c.value.toLowerCase()).toContain('repo-');
  });
});
