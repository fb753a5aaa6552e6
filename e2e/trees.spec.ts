// Agent trees end to end: the app on a home the real codex CLI wrote (with its sub-agents) plus a
// generated 500-thread tree, through the real engine and host. Expand the tree; close a subtree and
// check the badges and that not one byte of a rollout changed; archive a subtree and check the
// files moved and the list followed without a reload; unarchive it back.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from './fixtures.ts';
import { openWhenIndexed, TreePanelPage } from './pages/tree-panel.ts';
import { copyHome, realHome, STANDARD_HOME } from '../test/support/real-home.ts';
import { generateAgentTree, type AgentTreeSummary } from '../src/main/engine/demo/generate.ts';
import { ALL_SOURCE_KINDS } from '../src/shared/protocol/index.ts';

interface Fixture {
  home: string;
  gen: AgentTreeSummary;
  /** A family codex wrote: a parent with two multi-agent v2 sub-agents (open edges). */
  real: { parent: string; children: string[] };
}

/** The standard real home's 26 rollouts and the generated 500. */
const THREADS = 526;

function rollouts(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) rollouts(p, out);
    else if (e.name.startsWith('rollout-') && e.name.endsWith('.jsonl')) out.push(p);
  }
  return out;
}

function homeWithTrees(): Fixture {
  const home = copyHome(realHome(...STANDARD_HOME).home);
  // The real codex families, read from the rollouts codex wrote.
  const parents = new Map<string, string[]>();
  for (const f of rollouts(path.join(home, 'sessions'))) {
    const meta = JSON.parse(fs.readFileSync(f, 'utf8').split('\n', 1)[0]!) as { payload: { id: string; source: unknown } };
    const spawn = (meta.payload.source as { subagent?: { thread_spawn?: { parent_thread_id: string } } })?.subagent?.thread_spawn;
    if (spawn) parents.set(spawn.parent_thread_id, [...(parents.get(spawn.parent_thread_id) ?? []), meta.payload.id]);
  }
  const [parent, children] = [...parents].find(([, c]) => c.length === 2)!;
  const gen = generateAgentTree({ home, nodes: 500, seed: 21, createdMs: Date.now() - 3_600_000 });
  return { home, gen, real: { parent, children } };
}

/**
 * The descendants of `root` the list groups under it: the first page of 100, oldest first (the
 * list's MAX_CHILDREN; the agent tree shows the rest), asked of the engine by the CLI.
 */
async function groupedUnder(cli: (method: string, params?: unknown) => Promise<unknown>, root: string): Promise<string[]> {
  const r = (await cli('thread/list', {
    ancestorThreadId: root,
    archived: false,
    sourceKinds: [...ALL_SOURCE_KINDS],
    modelProviders: [],
    includeEmptyPreview: true,
    sortKey: 'created_at',
    sortDirection: 'asc',
    limit: 100,
  })) as { data: { id: string }[] };
  return r.data.map((t) => t.id);
}

function hashes(home: string): Map<string, string> {
  return new Map(
    rollouts(home).map((f) => [
      path.relative(home, f),
      `${crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex')} ${fs.statSync(f).mtimeMs}`,
    ]),
  );
}

function childrenOf(gen: AgentTreeSummary, id: string): string[] {
  return [...gen.parentOf].filter(([, p]) => p === id).map(([c]) => c);
}

function subtreeOf(gen: AgentTreeSummary, id: string): string[] {
  const out = [id];
  for (let i = 0; i < out.length; i++) out.push(...childrenOf(gen, out[i]!));
  return out;
}

/** A child of the root whose subtree has between `min` and `max` threads, with grandchildren. */
function midNode(gen: AgentTreeSummary, min: number, max: number, not: string[] = []): string {
  const found = childrenOf(gen, gen.rootId).find((c) => {
    const n = subtreeOf(gen, c).length;
    return !not.includes(c) && n >= min && n <= max && childrenOf(gen, c).some((g) => childrenOf(gen, g).length > 0);
  });
  if (!found) throw new Error('the generated tree has no subtree of that size');
  return found;
}

test('expands the tree and closes subtrees: badges follow, rollouts stay byte-for-byte the same', async ({ launch }) => {
  const { home, gen, real } = homeWithTrees();
  const { app, page } = await launch(home);
  await openWhenIndexed(page, THREADS);
  const tree = new TreePanelPage(page);
  await app.select(gen.rootId);
  await expect(tree.panel).toBeVisible();
  expect(await tree.summary()).toContain('500 threads');

  // Expand, by mouse and by keyboard.
  const mid = midNode(gen, 5, 150);
  const grandchild = childrenOf(gen, mid)[0]!;
  await tree.findNode(mid);
  expect(await tree.isExpanded(mid)).toBe(false);
  await expect(tree.node(grandchild)).toHaveCount(0);
  await tree.expand(mid);
  await expect(tree.node(grandchild)).toBeVisible();
  await tree.focus(mid);
  await tree.tree.press('ArrowLeft');
  await expect(tree.node(mid)).toHaveAttribute('aria-expanded', 'false');
  await expect(tree.node(grandchild)).toHaveCount(0);
  await tree.tree.press('ArrowRight');
  await expect(tree.node(mid)).toHaveAttribute('aria-expanded', 'true');
  await tree.tree.press('ArrowDown');
  const first = (await tree.tree.getAttribute('aria-activedescendant'))!.replace('tree-node-', '');
  expect(childrenOf(gen, mid)).toContain(first);
  await expect(tree.node(first)).toHaveAttribute('aria-level', '3');
  await expect(tree.node(first)).toHaveAttribute('aria-posinset', '1');

  // Close the subtree: the dialog counts exactly the edges it will close.
  const before = hashes(home);
  const sub = subtreeOf(gen, mid);
  const closedByCodex = new Set(gen.closedIds);
  const toClose = sub.filter((id) => !closedByCodex.has(id)).length;
  await tree.focus(mid);
  expect(await tree.start('close')).toContain(`${toClose} spawn edge${toClose === 1 ? '' : 's'} of ${sub.length} threads will be closed`);
  expect(await tree.confirm()).toContain(`${sub.length} threads · ${toClose} changed`);
  await expect(tree.outcome(mid)).toContainText(closedByCodex.has(mid) ? 'already closed' : 'closed');
  expect(await tree.edgeStatus(mid)).toMatch(/^closed/);
  await expect.poll(() => tree.counts(mid)).toMatch(/^0 open · \d+ closed/);
  expect(await tree.edgeStatus(grandchild)).toMatch(/^closed/);
  await expect.poll(() => tree.summary()).toContain(`${499 - gen.closedIds.length - toClose} open`);
  expect(hashes(home)).toEqual(before);

  // A family codex wrote: close it, then reopen it as codex's resume would.
  await app.select(real.parent);
  await expect.poll(() => tree.summary()).toContain('3 threads · 2 open · 0 closed');
  await tree.focus(real.parent);
  expect(await tree.start('close')).toContain('2 spawn edges of 3 threads will be closed');
  await tree.confirm();
  for (const c of real.children) expect(await tree.edgeStatus(c)).toBe('closed');
  expect(hashes(home)).toEqual(before);
  await tree.focus(real.parent);
  expect(await tree.start('reopen')).toContain('2 threads will be reopened');
  await tree.confirm();
  for (const c of real.children) expect(await tree.edgeStatus(c)).toBe('open');
  expect(hashes(home)).toEqual(before);
});

test('archives a subtree (files move, the list follows without a reload) and unarchives it back', async ({ launch }) => {
  const { home, gen } = homeWithTrees();
  const { app, page, cli } = await launch(home);
  await openWhenIndexed(page, THREADS);
  const tree = new TreePanelPage(page);
  await app.select(gen.rootId);
  const mid = midNode(gen, 5, 80);
  const sub = subtreeOf(gen, mid);
  // The threads of the subtree the list shows, grouped under the root (the others are past the
  // list's 100 and only in the agent tree): these leave the list and come back.
  const listed = (await groupedUnder(cli, gen.rootId)).filter((id) => sub.includes(id));
  expect(listed).toContain(mid);
  expect(listed.length).toBeGreaterThan(1);
  const fileOf = new Map(gen.ids.map((id, i) => [id, gen.files[i]!]));
  const bytes = new Map(sub.map((id) => [id, fs.readFileSync(fileOf.get(id)!)]));
  await app.findRow(mid);
  await page.evaluate(() => ((globalThis as unknown as { spoolMarker: number }).spoolMarker = 42));

  await tree.findNode(mid);
  await tree.focus(mid);
  expect(await tree.start('archive')).toContain(`${sub.length} rollouts will move to archived_sessions/`);
  expect(await tree.confirm()).toContain(`${sub.length} threads · ${sub.length} changed`);
  for (const id of sub) {
    expect(fs.existsSync(fileOf.get(id)!), id).toBe(false);
    expect(fs.readFileSync(path.join(home, 'archived_sessions', path.basename(fileOf.get(id)!)))).toEqual(bytes.get(id));
  }
  await expect((await tree.findNode(mid)).getByTestId('archived-badge')).toBeVisible();
  await expect.poll(() => tree.summary()).toContain(`${sub.length} archived`);
  // The list dropped the archived threads (scrolled end to end, the row is not there).
  await expect(app.findRow(mid)).rejects.toThrow(/not in the list/);

  await tree.focus(mid);
  expect(await tree.start('unarchive')).toContain(`${sub.length} rollouts will move back`);
  expect(await tree.confirm()).toContain(`${sub.length} threads · ${sub.length} changed`);
  for (const id of sub) expect(fs.readFileSync(fileOf.get(id)!)).toEqual(bytes.get(id));
  expect(fs.readdirSync(path.join(home, 'archived_sessions')).filter((f) => sub.some((id) => f.includes(id)))).toEqual([]);
  // Every one of them is back in the list, under the root, without a reload.
  for (const id of listed) await app.findRow(id);
  await expect((await tree.findNode(mid)).getByTestId('archived-badge')).toHaveCount(0);
  expect(await page.evaluate(() => (globalThis as unknown as { spoolMarker?: number }).spoolMarker)).toBe(42);
});

test('closes the stale sub-agents of a tree, then archives it', async ({ launch }) => {
  const { home, gen } = homeWithTrees();
  const { app, page } = await launch(home);
  await openWhenIndexed(page, THREADS);
  const tree = new TreePanelPage(page);
  await app.select(gen.rootId);
  const mid = midNode(gen, 5, 60);
  const sub = subtreeOf(gen, mid);
  const stale = sub.slice(1).filter((id) => !gen.closedIds.includes(id)).length;
  await tree.findNode(mid);
  await tree.focus(mid);
  const text = await tree.start('cleanup');
  expect(text).toContain(`First ${stale} stale sub-agent${stale === 1 ? '' : 's'} still open will be closed`);
  expect(text).toContain(`Then ${sub.length} rollouts will move to archived_sessions/`);
  expect(await tree.confirm()).toContain(`${sub.length} threads · ${sub.length} changed`);
  await expect.poll(() => tree.counts(mid)).toMatch(/^0 open · \d+ closed · \d+ archived/);
  for (const id of sub)
    expect(fs.existsSync(path.join(home, 'archived_sessions', path.basename(gen.files[gen.ids.indexOf(id)]!))), id).toBe(true);
});
