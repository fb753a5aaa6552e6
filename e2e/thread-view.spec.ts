// The thread view on threads the real codex CLI wrote (browser target, real engine): turns and items
// as codex reports them, opened at the newest turn; a turn appended by `codex exec resume` while the
// thread is open arrives live; rename and git edits round-trip through the engine (checked with
// `spool call thread/read`); exports hold the thread; links are safe; huge outputs load lazily.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from './fixtures.ts';
import { ThreadViewPage } from './pages/thread-view.ts';
import { copyHome, realHome, STANDARD_HOME, type RealHome } from '../test/support/real-home.ts';
import { codexBinary, pointHomeAtMock, startMock } from '../test/support/codex-reference.ts';
import type { Thread, ThreadItem, ThreadReadResult, ThreadTurnsListResult } from '../src/shared/protocol/index.ts';

const archivedIds = (real: RealHome): Set<string> =>
  new Set(real.manifest.rollouts.filter((r) => r.file.startsWith('archived_sessions/')).map((r) => r.id));

/** A thread of the standard home whose first prompt carries `tag` (the mock model's behaviour switch). */
function threadWith(real: RealHome, tag: string, minTurns = 1): string {
  const archived = archivedIds(real);
  const p = real.manifest.plan.find(
    (x) => x.threadId && !archived.has(x.threadId) && x.prompts[0]!.includes(tag) && x.prompts.length >= minTurns,
  );
  if (!p?.threadId) throw new Error(`no thread with ${tag}`);
  return p.threadId;
}

const textOf = (item: ThreadItem): string =>
  (item['content'] as { type: string; text?: string }[])
    .filter((c) => c.type === 'text')
    .map((c) => c.text ?? '')
    .join('\n');

/** Lines of Markdown source that render verbatim (no markup characters in them). */
const plainLines = (md: string): string[] =>
  md
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(```|#|[-*+] |\d+\. |\||>)/.test(l) && !/[`*_[\]<]/.test(l));

test('opens a thread codex wrote at its newest turn, with the turns and items codex reports', async ({ launch }) => {
  const real = realHome(...STANDARD_HOME);
  const { app, page, cli } = await launch(copyHome(real.home));
  const id = threadWith(real, '[shell]', 2);
  const tv = new ThreadViewPage(page);
  await tv.open(app, id);
  await tv.waitForTurns();

  const expected = (await cli('thread/turns/list', {
    threadId: id,
    limit: 100,
    sortDirection: 'asc',
    itemsView: 'full',
  })) as ThreadTurnsListResult;
  expect(expected.data.length).toBeGreaterThanOrEqual(2);
  await expect.poll(() => tv.renderedTurnIds()).toEqual(expected.data.map((t) => t.id));
  expect(await tv.atBottom()).toBe(true);

  for (const turn of expected.data) {
    const el = tv.turn(turn.id);
    await expect(el).toHaveAttribute('data-status', turn.status);
    const of = (type: string): ThreadItem[] => turn.items.filter((i) => i.type === type);
    await expect(el.getByTestId('item-userMessage')).toHaveCount(of('userMessage').length);
    await expect(el.getByTestId('item-agentMessage')).toHaveCount(of('agentMessage').length);
    await expect(el.getByTestId('item-commandExecution')).toHaveCount(of('commandExecution').length);
    for (const [k, item] of of('userMessage').entries())
      await expect(el.getByTestId('item-userMessage').nth(k)).toContainText(textOf(item));
    for (const [k, item] of of('agentMessage').entries()) {
      const shown = el.getByTestId('item-agentMessage').nth(k);
      for (const line of plainLines(String(item['text']))) await expect(shown).toContainText(line);
    }
    for (const [k, item] of of('commandExecution').entries()) {
      const shown = el.getByTestId('item-commandExecution').nth(k);
      await expect(shown).toContainText(String(item['command']));
      await expect(shown.getByTestId('exit-code')).toHaveText(`exit ${String(item['exitCode'])}`);
      await expect(shown.getByTestId('command-cwd')).toHaveText(String(item['cwd']));
      for (const line of String(item['aggregatedOutput']).split('\n').filter(Boolean))
        await expect(shown.getByTestId('output')).toContainText(line);
    }
    if (turn.spool && turn.spool.tokensUsed > 0) await expect(el.getByTestId('turn-tokens')).toBeVisible();
  }

  // The header: what codex recorded about the thread.
  const read = (await cli('thread/read', { threadId: id })) as ThreadReadResult;
  await expect(page.getByTestId('header-cwd')).toHaveText(read.thread.cwd);
  await expect(page.getByTestId('header-path')).toHaveText(read.thread.path!);
  await expect(page.getByTestId('header-id')).toHaveText(id);
  await expect(page.getByTestId('header-model')).toContainText(read.thread.model!);
  await expect(tv.header).toContainText(`codex ${read.thread.cliVersion}`);
});

test('renders reasoning collapsed, markdown with highlighted code, and a failed turn’s error', async ({ launch }) => {
  const real = realHome(...STANDARD_HOME);
  const { app, page, cli } = await launch(copyHome(real.home));
  const tv = new ThreadViewPage(page);

  await tv.open(app, threadWith(real, '[reason]'));
  await tv.waitForTurns();
  const reasoning = tv.root.getByTestId('item-reasoning').first();
  await expect(reasoning).not.toHaveAttribute('open', '');
  await expect(reasoning.locator('summary')).toContainText('Considering the request');
  await reasoning.locator('summary').click();
  await expect(reasoning).toHaveAttribute('open', '');
  await expect(reasoning.locator('.reasoning-body')).toContainText('The user asked');

  await tv.open(app, threadWith(real, '[long]'));
  await tv.waitForTurns();
  const md = tv.root.getByTestId('item-agentMessage').last();
  await expect(md.locator('h3, h4').first()).toBeVisible();
  await expect(md.locator('ul li').first()).toBeVisible();
  await expect(md.locator('.code-block .tok-kw').first()).toBeVisible();

  const failedId = threadWith(real, '[fail]');
  await tv.open(app, failedId);
  await tv.waitForTurns();
  const turns = (await cli('thread/turns/list', { threadId: failedId, itemsView: 'full' })) as ThreadTurnsListResult;
  const failed = turns.data.find((t) => t.status === 'failed')!;
  await expect(tv.turn(failed.id)).toHaveAttribute('data-status', 'failed');
  await expect(tv.turn(failed.id).getByTestId('turn-error')).toContainText(failed.error!.message.slice(0, 40));
});

test('a turn appended by codex exec resume arrives live, in progress and then completed', async ({ launch }) => {
  const real = realHome(...STANDARD_HOME);
  const home = copyHome(real.home);
  const mock = await startMock({ delayMs: 2500 });
  pointHomeAtMock(home, mock.port);
  try {
    const { app, page, cli } = await launch(home);
    const id = threadWith(real, '[shell]', 2);
    const { thread } = (await cli('thread/read', { threadId: id })) as ThreadReadResult;
    const tv = new ThreadViewPage(page);
    await tv.open(app, id);
    await tv.waitForTurns();
    const before = await tv.renderedTurnIds();

    const { codex, env } = await codexBinary();
    const child = spawn(
      codex.bin,
      ['exec', 'resume', '--json', '--skip-git-repo-check', '-m', thread.model ?? 'mock-model', id, 'Please continue with the next step'],
      { cwd: thread.cwd, env: env(home), stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    await expect(tv.turns()).toHaveCount(before.length + 1, { timeout: 30_000 });
    const added = tv.turns().last();
    // The mock holds the answer back: codex is still writing the turn.
    await expect(added).toHaveAttribute('data-status', 'inProgress');
    await expect(added.getByTestId('item-userMessage')).toContainText('Please continue with the next step');
    await expect(page.getByTestId('live')).toBeVisible();
    expect(await exited).toBe(0);
    await expect(added).toHaveAttribute('data-status', 'completed', { timeout: 30_000 });
    await expect(added.getByTestId('item-agentMessage')).toHaveCount(1);
    expect((await tv.renderedTurnIds()).slice(0, before.length)).toEqual(before);
    // The same turn, updated in place, and the view followed it to the bottom.
    const turns = (await cli('thread/turns/list', { threadId: id, limit: 1 })) as ThreadTurnsListResult;
    await expect(added).toHaveAttribute('data-turn-id', turns.data[0]!.id);
    await expect.poll(() => tv.atBottom()).toBe(true);
  } finally {
    await mock.close();
  }
});

test('renames a thread in place; the list and the engine agree', async ({ launch }) => {
  const real = realHome(...STANDARD_HOME);
  const { app, page, cli } = await launch(copyHome(real.home));
  const id = threadWith(real, '[shell]', 2);
  const tv = new ThreadViewPage(page);
  await tv.open(app, id);

  // An empty name is refused before anything is sent.
  await tv.title.click();
  await page.getByTestId('rename-input').fill('   ');
  await page.getByTestId('rename-input').press('Enter');
  await expect(page.getByRole('alert')).toContainText('cannot be empty');
  await page.getByTestId('rename-input').press('Escape');

  await tv.rename('  Vite migration 🚀  ');
  await expect(tv.title).toHaveText('Vite migration 🚀');
  await expect.poll(async () => ((await cli('thread/read', { threadId: id })) as ThreadReadResult).thread.name).toBe('Vite migration 🚀');
  await expect.poll(() => app.titleOf(id)).toBe('Vite migration 🚀');
  // The preview stays visible under the name.
  await expect(page.getByTestId('header-preview')).toContainText('Plan the migration from webpack to vite');
});

test('edits, clears and partially patches git metadata; each round-trips through the engine', async ({ launch }) => {
  const real = realHome(...STANDARD_HOME);
  const { app, page, cli } = await launch(copyHome(real.home));
  const git = async (id: string): Promise<Thread['gitInfo']> =>
    ((await cli('thread/read', { threadId: id })) as ThreadReadResult).thread.gitInfo;
  // A thread codex recorded git metadata for.
  const archived = archivedIds(real);
  let id = '';
  for (const p of real.manifest.plan) {
    if (!p.threadId || archived.has(p.threadId)) continue;
    const g = await git(p.threadId);
    if (g?.branch && g.sha && g.originUrl) {
      id = p.threadId;
      break;
    }
  }
  expect(id).not.toBe('');
  const original = (await git(id))!;
  const tv = new ThreadViewPage(page);
  await tv.open(app, id);
  await expect(page.getByTestId('header-git-branch')).toHaveText(`⎇ ${original.branch}`);

  // Edit the branch only: sha and origin are left out of the patch and stay.
  let editor = await tv.openGitEditor();
  await editor.getByTestId('git-branch-edit').click();
  await editor.getByTestId('git-branch-input').fill('release/9.9');
  await editor.getByTestId('git-save').click();
  await expect(page.getByTestId('header-git-branch')).toHaveText('⎇ release/9.9');
  await expect.poll(() => git(id)).toEqual({ ...original, branch: 'release/9.9' });
  await expect.poll(async () => (await app.row(id).textContent()) ?? '').toContain('release/9.9');

  // Inline validation: a bad sha cannot be saved.
  editor = await tv.openGitEditor();
  await editor.getByTestId('git-sha-edit').click();
  await editor.getByTestId('git-sha-input').fill('not-a-sha');
  await expect(editor.getByTestId('git-sha-error')).toContainText('7 to 40');
  await expect(editor.getByTestId('git-save')).toBeDisabled();
  await editor.getByTestId('git-sha-input').fill('   ');
  await expect(editor.getByTestId('git-sha-error')).toContainText('Enter a value');
  // Clear it instead: null in the patch.
  await editor.getByTestId('git-sha-keep').click();
  await editor.getByTestId('git-sha-clear').click();
  await expect(editor.getByTestId('git-sha-cleared')).toBeVisible();
  await editor.getByTestId('git-save').click();
  await expect(page.getByTestId('header-git-sha')).toHaveCount(0);
  await expect.poll(() => git(id)).toEqual({ ...original, branch: 'release/9.9', sha: null });

  // An origin URL with credentials: the editor says they go; the engine stores it without them.
  editor = await tv.openGitEditor();
  await editor.getByTestId('git-originUrl-edit').click();
  await editor.getByTestId('git-originUrl-input').fill('https://deploy:s3cr3t@github.com/acme/atlas.git');
  await expect(editor.getByTestId('git-credentials-note')).toContainText('https://github.com/acme/atlas.git');
  await editor.getByTestId('git-save').click();
  await expect(page.getByTestId('header-git-origin')).toHaveText('https://github.com/acme/atlas.git');
  await expect.poll(() => git(id)).toEqual({ sha: null, branch: 'release/9.9', originUrl: 'https://github.com/acme/atlas.git' });

  // Clearing everything leaves no git info at all, as codex reports it.
  editor = await tv.openGitEditor();
  await editor.getByTestId('git-branch-clear').click();
  await editor.getByTestId('git-originUrl-clear').click();
  await editor.getByTestId('git-save').click();
  await expect(page.getByTestId('header-git')).toContainText('none');
  await expect.poll(() => git(id)).toBeNull();
});

test('a git edit the engine cannot save is rolled back in the view', async ({ launch }) => {
  const real = realHome(...STANDARD_HOME);
  const { app, page, cli, dataDir } = await launch(copyHome(real.home));
  const id = threadWith(real, '[shell]', 2);
  const before = ((await cli('thread/read', { threadId: id })) as ThreadReadResult).thread.gitInfo;
  const tv = new ThreadViewPage(page);
  await tv.open(app, id);
  // Spool's data folder cannot take the edit (its journal is in the way).
  const journal = path.join(dataDir, 'user-state.jsonl');
  fs.rmSync(journal, { force: true });
  fs.mkdirSync(journal);
  try {
    const editor = await tv.openGitEditor();
    await editor.getByTestId('git-branch-edit').click();
    await editor.getByTestId('git-branch-input').fill('never-saved');
    await editor.getByTestId('git-save').click();
    await expect(page.getByTestId('git-error')).toContainText('not saved');
    await expect(page.getByTestId('header-git')).not.toContainText('never-saved');
  } finally {
    fs.rmSync(journal, { recursive: true, force: true });
  }
  expect(((await cli('thread/read', { threadId: id })) as ThreadReadResult).thread.gitInfo).toEqual(before);
});

test('exports a thread to Markdown and JSON that match it', async ({ launch }) => {
  const real = realHome(...STANDARD_HOME);
  const { app, page, cli } = await launch(copyHome(real.home));
  const id = threadWith(real, '[shell]', 2);
  const tv = new ThreadViewPage(page);
  await tv.open(app, id);
  await tv.waitForTurns();
  const read = (await cli('thread/read', { threadId: id, includeTurns: true })) as ThreadReadResult;

  const json = await tv.exportAs('json');
  expect(json.suggestedFilename()).toMatch(/^plan-the-migration-from-webpack-to-vite-shell-[0-9a-f]{8}\.json$/);
  const exported = JSON.parse(fs.readFileSync((await json.path())!, 'utf8')) as { thread: Thread; exportedAt: string };
  expect(exported.thread).toEqual(read.thread);
  expect(Date.parse(exported.exportedAt)).toBeGreaterThan(0);

  const md = fs.readFileSync((await (await tv.exportAs('markdown')).path())!, 'utf8');
  expect(md.startsWith(`# ${read.thread.preview}`)).toBe(true);
  let at = 0;
  for (const [n, turn] of read.thread.turns.entries()) {
    at = md.indexOf(`## Turn ${n + 1} · ${turn.status}`, at);
    expect(at, `turn ${n + 1}`).toBeGreaterThan(0);
    for (const item of turn.items) {
      const text =
        item.type === 'userMessage'
          ? textOf(item)
          : item.type === 'agentMessage'
            ? String(item['text'])
            : item.type === 'commandExecution'
              ? `$ ${String(item['command'])}`
              : null;
      if (text === null) continue;
      const found = md.indexOf(text, at);
      expect(found, `${item.type} of turn ${n + 1}`).toBeGreaterThanOrEqual(at);
      at = found;
    }
  }
});

test('links to the parent and the sub-agents select those threads', async ({ launch }) => {
  const real = realHome(...STANDARD_HOME);
  const { app, page } = await launch(copyHome(real.home));
  const parent = threadWith(real, '[spawn]');
  const tv = new ThreadViewPage(page);
  await tv.open(app, parent);
  const children = page.getByTestId('header-children').locator('[data-thread-link]');
  await expect(children.first()).toBeVisible();
  const childId = (await children.first().getAttribute('data-thread-link'))!;
  await children.first().click();
  await expect(tv.root).toHaveAttribute('data-thread-id', childId);
  await expect(page.getByTestId('header-id')).toHaveText(childId);
  await page.getByTestId('header-agents').locator(`[data-thread-link="${parent}"]`).click();
  await expect(tv.root).toHaveAttribute('data-thread-id', parent);
});

test('huge outputs load on demand; links open outside the app; raw HTML stays text', async ({ launch }) => {
  const real = realHome(...STANDARD_HOME);
  const home = copyHome(real.home);
  const id = '33333333-4444-4555-8666-777777777777';
  const line = '0123456789abcdef'.repeat(64); // 1 KiB
  const output = `${'build line\n'.repeat(2000)}${line.repeat(3000)}\nTHE END\n`; // ~3 MB, one 3 MB line
  writeHandThread(home, id, [
    {
      type: 'UserMessage',
      id: 'u1',
      content: [{ type: 'text', text: 'Show me <script>window.__pwned = 1</script> and **bold**', text_elements: [] }],
    },
    {
      type: 'CommandExecution',
      id: 'c1',
      command: ['make', 'all'],
      cwd: 'file:///srv/app',
      parsed_cmd: [],
      source: 'agent',
      status: 'completed',
      exit_code: 2,
      duration: { secs: 4, nanos: 0 },
      aggregated_output: output,
    },
    {
      type: 'FileChange',
      id: 'f1',
      status: 'completed',
      changes: {
        '/srv/app/src/a.ts': { type: 'update', unified_diff: '@@ -1,2 +1,2 @@\n-const a = 1;\n+const a = 2;\n const b = 3;\n' },
        '/srv/app/NEW.md': { type: 'add', content: '# New\n' },
      },
    },
    {
      type: 'AgentMessage',
      id: 'a1',
      content: [
        {
          type: 'Text',
          text: 'See [the docs](https://example.com/docs), [evil](javascript:alert(1)) and `src/a.ts`.\n\n![diagram](https://example.com/d.png)',
        },
      ],
    },
  ]);
  const { app, page } = await launch(home);
  const tv = new ThreadViewPage(page);
  await tv.open(app, id);
  await tv.waitForTurns();
  const appUrl = page.url();

  await expect(tv.root.getByTestId('item-userMessage')).toContainText('<script>window.__pwned = 1</script>');
  expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  const agent = tv.root.getByTestId('item-agentMessage');
  await expect(agent.locator('a')).toHaveCount(1);
  await expect(agent.locator('a')).toHaveAttribute('href', 'https://example.com/docs');
  await expect(agent).toContainText('evil');
  await expect(agent.getByTestId('image-placeholder').or(agent.locator('.md-image'))).toBeVisible();
  // A link opens in a new browser tab (the host's openExternal in Electron), never in the app.
  await page
    .context()
    .route('https://example.com/**', (r) => r.fulfill({ status: 200, contentType: 'text/html', body: '<title>docs</title>' }));
  const popup = page.context().waitForEvent('page');
  await agent.locator('a').click();
  const opened = await popup;
  expect(opened.url()).toContain('example.com');
  await opened.close();
  expect(page.url()).toBe(appUrl);

  // The diff.
  const diffs = tv.root.getByTestId('diff');
  await expect(diffs).toHaveCount(2);
  const update = diffs.filter({ hasText: '/srv/app/src/a.ts' });
  await expect(update).toContainText('modified');
  await expect(update).toContainText('+1 −1');
  await expect(update.locator('tr.diff-add')).toContainText('const a = 2;');
  await expect(update.locator('tr.diff-del')).toContainText('const a = 1;');
  await expect(diffs.filter({ hasText: 'NEW.md' })).toContainText('added');

  // The 3 MB output: head and tail at first, the whole on demand, a page at a time.
  const command = tv.root.getByTestId('item-commandExecution');
  await expect(command.getByTestId('exit-code')).toHaveText('exit 2');
  await expect(command.getByTestId('output-cut')).toContainText('MB');
  await expect(command.getByTestId('output')).toContainText('THE END');
  await command.getByTestId('load-full-output').click();
  const full = command.getByTestId('full-text');
  await expect(full).toContainText('page 1 of 3');
  await expect(full).toContainText('build line');
  await full.getByRole('button', { name: 'Next ›' }).click();
  await expect(full).toContainText('page 2 of 3');
  await expect(full.locator('.full-text-row').first()).toContainText('0123456789abcdef');
  // Only the rows on screen are in the DOM.
  expect(await full.locator('.full-text-row').count()).toBeLessThan(80);
});

/** A paginated thread (codex 0.169's format) holding one turn with the given TurnItems. */
function writeHandThread(home: string, id: string, items: Record<string, unknown>[]): void {
  const dir = path.join(home, 'sessions', '2026', '01', '09');
  fs.mkdirSync(dir, { recursive: true });
  const ts = '2026-01-09T10:00:00.000Z';
  let ordinal = 0;
  const line = (type: string, payload: unknown): string => JSON.stringify({ timestamp: ts, ordinal: ordinal++, type, payload });
  const lines = [
    line('session_meta', {
      id,
      session_id: id,
      timestamp: ts,
      cwd: '/srv/app',
      originator: 'codex_exec',
      cli_version: '0.169.0',
      source: 'exec',
      model_provider: 'mock',
      history_mode: 'paginated',
    }),
    line('event_msg', { type: 'task_started', turn_id: 'hand-1', started_at: 1767952800 }),
    ...items.map((item) => line('event_msg', { type: 'item_completed', thread_id: id, turn_id: 'hand-1', item })),
    line('event_msg', { type: 'task_complete', turn_id: 'hand-1', duration_ms: 4200 }),
  ];
  fs.writeFileSync(path.join(dir, `rollout-2026-01-09T10-00-00-${id}.jsonl`), `${lines.join('\n')}\n`);
}
