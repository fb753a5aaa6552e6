// Cursor properties of thread/list on random homes (fast-check): paging visits every thread exactly
// once in either direction, a backwards cursor taken anywhere leads back over exactly what came
// before, and a client that kept the backwards cursor of its first page catches up on k new threads
// with exactly those k plus the anchor. Homes are real rollout files (codex's own test fixture
// shape), indexed by the real engine; timestamps are drawn from a few seconds so that many threads
// share a second, or a millisecond.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import type { ThreadListParams, ThreadListResult } from '../../../shared/protocol/index.ts';

const BASE_MS = Date.UTC(2026, 0, 2, 12, 0, 0);
const SOURCES = ['cli', 'vscode', 'exec'] as const;

interface FakeThread {
  id: string;
  createdMs: number;
  mtimeMs: number;
  source: (typeof SOURCES)[number];
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** A rollout as codex's tests write one (session_meta, a user response_item, a user_message event). */
function writeRollout(home: string, t: FakeThread): void {
  const iso = new Date(t.createdMs).toISOString();
  const name = `rollout-${iso.slice(0, 19).replaceAll(':', '-')}-${t.id}.jsonl`;
  const dir = path.join(home, 'sessions', iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10));
  fs.mkdirSync(dir, { recursive: true });
  const lines = [
    {
      timestamp: iso,
      type: 'session_meta',
      payload: {
        id: t.id,
        timestamp: iso,
        cwd: '/',
        originator: 'codex',
        cli_version: '0.0.0',
        source: t.source,
        model_provider: 'mock_provider',
      },
    },
    {
      timestamp: iso,
      type: 'response_item',
      payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: `hello ${t.id}` }] },
    },
    { timestamp: iso, type: 'event_msg', payload: { type: 'user_message', message: `hello ${t.id}`, kind: 'plain' } },
  ];
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
  // Mid-millisecond, so the float mtime cannot round into the next one.
  fs.utimesSync(file, (t.mtimeMs + 0.5) / 1000, (t.mtimeMs + 0.5) / 1000);
}

/** Threads with ids unique and times drawn from `spanMs` after `fromMs`. */
const threadsArb = (count: fc.Arbitrary<number>, fromMs: number, spanMs: number, idPrefix: number): fc.Arbitrary<FakeThread[]> =>
  count.chain((n) =>
    fc
      .tuple(
        fc.uniqueArray(fc.integer({ min: 0, max: 0xffffff }), { minLength: n, maxLength: n }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: spanMs }), fc.integer({ min: 0, max: spanMs }), fc.constantFrom(...SOURCES)), {
          minLength: n,
          maxLength: n,
        }),
      )
      .map(([ids, times]) =>
        ids.map((r, i) => {
          const [c, m, source] = times[i]!;
          const createdMs = fromMs + c;
          // The id is a UUIDv7 of the creation time, with random bits from `r`.
          const t = hex(createdMs, 12);
          return {
            id: `${t.slice(0, 8)}-${t.slice(8)}-7${hex(idPrefix, 3)}-8${hex(r >> 12, 3)}-${hex(r & 0xfff, 12)}`,
            createdMs,
            mtimeMs: Math.max(createdMs, fromMs + m),
            source,
          };
        }),
      ),
  );

const KEY = fc.constantFrom('created_at' as const, 'updated_at' as const, 'recency_at' as const);
const DIRECTION = fc.constantFrom('asc' as const, 'desc' as const);
const ALL: ThreadListParams = { sourceKinds: [...SOURCES], modelProviders: [] };

async function withHome<T>(threads: FakeThread[], fn: (engine: Engine, home: string) => Promise<T>): Promise<T> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-prop-'));
  const home = path.join(root, 'home');
  for (const t of threads) writeRollout(home, t);
  fs.mkdirSync(path.join(home, 'sessions'), { recursive: true });
  const engine = Engine.open({ home, dataDir: path.join(root, 'data'), parseWorkers: 0 });
  try {
    await engine.sync();
    return await fn(engine, home);
  } finally {
    await engine.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function pageAll(engine: Engine, params: ThreadListParams): Promise<{ pages: ThreadListResult[]; ids: string[] }> {
  const pages: ThreadListResult[] = [];
  let cursor: string | null = null;
  do {
    const page: ThreadListResult = await engine.call('thread/list', { ...params, ...(cursor ? { cursor } : {}) });
    pages.push(page);
    cursor = page.nextCursor;
    if (pages.length > 1000) throw new Error('paging does not end');
  } while (cursor);
  return { pages, ids: pages.flatMap((p) => p.data.map((t) => t.id)) };
}

describe('thread/list cursors on random homes', () => {
  it('paging forward, then backward, visits every thread exactly once each way; a backwards cursor leads back over exactly what came before', async () => {
    await fc.assert(
      fc.asyncProperty(
        threadsArb(fc.integer({ min: 0, max: 40 }), BASE_MS, 3000, 1),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        KEY,
        DIRECTION,
        async (threads, size, backSize, sortKey, dir) =>
          withHome(threads, async (engine) => {
            const all = new Set(threads.map((t) => t.id));
            const forward = await pageAll(engine, { ...ALL, sortKey, sortDirection: dir, limit: size });
            expect(forward.ids).toHaveLength(all.size);
            expect(new Set(forward.ids)).toEqual(all);
            expect(forward.pages.slice(0, -1).every((p) => p.data.length === size)).toBe(true);

            const back = await pageAll(engine, { ...ALL, sortKey, sortDirection: dir === 'desc' ? 'asc' : 'desc', limit: backSize });
            expect(back.ids).toEqual([...forward.ids].reverse());

            // From any page, its backwards cursor with the opposite direction: that page's first row
            // and everything before it, once each, nearest first.
            for (const [i, page] of forward.pages.entries()) {
              if (!page.backwardsCursor) continue;
              const seenBefore = forward.pages.slice(0, i).flatMap((p) => p.data.map((t) => t.id));
              const reversed = await pageAll(engine, {
                ...ALL,
                sortKey,
                sortDirection: dir === 'desc' ? 'asc' : 'desc',
                limit: backSize,
                cursor: page.backwardsCursor,
              });
              expect(reversed.ids).toEqual([page.data[0]!.id, ...[...seenBefore].reverse()]);
            }
          }),
      ),
      { numRuns: 30 },
    );
  });

  it('a backwards cursor catches up on k new threads with exactly those k plus the anchor', async () => {
    await fc.assert(
      fc.asyncProperty(
        threadsArb(fc.integer({ min: 1, max: 25 }), BASE_MS, 2000, 2),
        threadsArb(fc.integer({ min: 0, max: 8 }), BASE_MS + 2500, 1500, 3),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom('created_at' as const, 'updated_at' as const),
        async (before, inserted, size, sortKey) =>
          withHome(before, async (engine, home) => {
            const first: ThreadListResult = await engine.call('thread/list', { ...ALL, sortKey, limit: size });
            const anchor = first.data[0]!.id;
            expect(first.backwardsCursor).not.toBeNull();
            for (const t of inserted) writeRollout(home, t);
            await engine.sync();
            const caughtUp = await pageAll(engine, { ...ALL, sortKey, sortDirection: 'asc', limit: size, cursor: first.backwardsCursor! });
            expect(caughtUp.ids[0]).toBe(anchor);
            expect(caughtUp.ids).toHaveLength(inserted.length + 1);
            expect(new Set(caughtUp.ids.slice(1))).toEqual(new Set(inserted.map((t) => t.id)));
            // In key order: the index's keys (threads created in the same millisecond get the next
            // free one, in the order the indexer met them), then ids.
            const keys = caughtUp.pages.flatMap((p) =>
              p.data.map((t) => [sortKey === 'created_at' ? t.extra!.spool.createdAtMs : t.extra!.spool.updatedAtMs, t.id] as const),
            );
            for (let i = 1; i < keys.length; i++)
              expect(keys[i]![0] > keys[i - 1]![0] || (keys[i]![0] === keys[i - 1]![0] && keys[i]![1] > keys[i - 1]![1])).toBe(true);
          }),
      ),
      { numRuns: 30 },
    );
  });
});
