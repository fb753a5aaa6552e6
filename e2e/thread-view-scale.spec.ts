// The thread view on a generated 5,000-turn thread (browser target, real engine): it opens at the
// newest turn, scrolls up through every turn to the first and back down, always showing a
// contiguous run of the thread's turns, with few turns in the DOM and a bounded window in memory,
// and the turn on screen stays put when older turns arrive above it.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from './fixtures.ts';
import { ThreadViewPage } from './pages/thread-view.ts';
import { CACHE_DIR } from '../test/support/real-home.ts';
import { prng, uuidV7, writeRollout, type ThreadPlan } from '../src/main/engine/demo/generate.ts';
import type { ThreadReadResult } from '../src/shared/protocol/index.ts';

/** The browser's requestAnimationFrame, for page functions (this file is type-checked without the DOM library). */
interface Raf {
  requestAnimationFrame(cb: () => void): number;
}

const TURNS = 5000;
const PROMPT = 'Keep improving the importer until the nightly run is green';

/** A home holding one 5,000-turn thread in codex 0.169's format (generated once, cached). */
function longHome(): { home: string; threadId: string } {
  const home = path.join(CACHE_DIR, 'homes', `e2e-long-${TURNS}`);
  const done = path.join(home, '.generated.json');
  if (!fs.existsSync(done)) {
    fs.rmSync(home, { recursive: true, force: true });
    const r = prng(17);
    const createdMs = Date.parse('2026-01-01T08:00:00Z');
    const plan: ThreadPlan = {
      id: uuidV7(createdMs, r),
      createdMs,
      format: 'paginated',
      source: 'exec',
      cwd: '/home/dev/src/atlas-api',
      provider: 'mock',
      model: 'mock-model',
      effort: 'medium',
      git: null,
      prompt: PROMPT,
      turns: TURNS,
      archived: false,
      spawn: null,
    };
    writeRollout(home, plan, r, 0);
    fs.writeFileSync(done, JSON.stringify({ threadId: plan.id }));
  }
  return { home, threadId: (JSON.parse(fs.readFileSync(done, 'utf8')) as { threadId: string }).threadId };
}

test('scrolls through 5,000 turns to the first and back, contiguous and bounded', async ({ launch }) => {
  test.setTimeout(600_000);
  const { home, threadId } = longHome();
  const { app, page, cli } = await launch(home);
  const all = ((await cli('thread/read', { threadId, includeTurns: true })) as ThreadReadResult).thread.turns.map((t) => t.id);
  expect(all).toHaveLength(TURNS);
  const tv = new ThreadViewPage(page);
  await tv.open(app, threadId);
  await tv.waitForTurns();
  await expect.poll(() => tv.atBottom()).toBe(true);

  let maxDom = 0;
  let maxHeld = 0;
  const check = async (): Promise<string[]> => {
    const ids = await tv.renderedTurnIds();
    const from = all.indexOf(ids[0]!);
    expect(from).toBeGreaterThanOrEqual(0);
    expect(ids).toEqual(all.slice(from, from + ids.length));
    maxDom = Math.max(maxDom, ids.length);
    maxHeld = Math.max(maxHeld, Number(await tv.timeline.getAttribute('data-held')));
    return ids;
  };
  expect((await check()).at(-1)).toBe(all.at(-1));

  // Up: older pages load above; the turn on screen stays where it is while they do.
  let checkedAnchor = false;
  for (let step = 0; step < 2 * TURNS; step++) {
    const s = await tv.scrollState();
    if (s.atStart && s.top === 0) break;
    // Scroll to the top, let it render, and note the turn at the top while the older page is on its way.
    const before = await tv.timeline.evaluate(async (el) => {
      const held = el.dataset['held'];
      el.scrollTop = 0;
      await new Promise<void>((r) =>
        (globalThis as unknown as Raf).requestAnimationFrame(() => (globalThis as unknown as Raf).requestAnimationFrame(() => r())),
      );
      const top = el.getBoundingClientRect().top;
      const turn = [...el.querySelectorAll('[data-testid="turn"]')].find((t) => t.getBoundingClientRect().bottom > top + 1);
      return {
        id: String(turn.dataset.turnId),
        y: Number(turn.getBoundingClientRect().top),
        pending: el.dataset['loading'] === 'true' && el.dataset['held'] === held && el.scrollTop === 0,
      };
    });
    await expect.poll(async () => (await tv.renderedTurnIds())[0] !== before.id || (await tv.scrollState()).atStart).toBe(true);
    if (before.pending && !checkedAnchor) {
      await expect.poll(() => tv.timeline.getAttribute('data-loading')).toBe('false');
      const y = await tv.timeline.evaluate(
        (el, id) => (el.querySelector(`[data-turn-id="${id}"]`)?.getBoundingClientRect().top as number | undefined) ?? null,
        before.id,
      );
      expect(y, 'the turn at the top is still rendered').not.toBeNull();
      expect(Math.abs(y! - before.y)).toBeLessThan(2);
      checkedAnchor = true;
    }
    await check();
  }
  expect(checkedAnchor).toBe(true);
  await expect(tv.timeline.getByTestId('thread-start')).toBeVisible();
  expect((await check())[0]).toBe(all[0]);
  await expect(tv.turn(all[0]!).getByTestId('item-userMessage')).toContainText(PROMPT);

  // And back down to the newest turn.
  for (let step = 0; step < 2 * TURNS; step++) {
    const s = await tv.scrollState();
    if (s.atEnd && s.height - s.top - s.client < 4) break;
    const last = (await tv.renderedTurnIds()).at(-1);
    await tv.timeline.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(async () => (await tv.renderedTurnIds()).at(-1) !== last || (await tv.scrollState()).atEnd).toBe(true);
    await check();
  }
  expect((await check()).at(-1)).toBe(all.at(-1));
  // Only what is on screen is in the DOM; the window holds a bounded number of turns.
  expect(maxDom).toBeLessThanOrEqual(40);
  expect(maxHeld).toBeLessThanOrEqual(300 + 25);
});
