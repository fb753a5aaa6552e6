// The live index on a home the real codex keeps writing to: the watcher plus the stat-based
// reconcile pick up appended turns (parsing only the appended bytes), new rollouts, files codex
// moves (archive / unarchive), deleted files and session_index.jsonl changes, and tell clients.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import type { AnyNotification } from '../../../shared/protocol/index.ts';
import { copyHome, realHome, STANDARD_HOME, type RealHome } from '../../../../test/support/real-home.ts';
import { codexResume, runCodex, startAppServer, startMock } from '../../../../test/support/codex-live.ts';
import { waitFor } from '../../../../test/support/wait.ts';
import { tmpDir } from '../../../../test/support/tmp.ts';

let real: RealHome;
let home: string;
let engine: Engine;
let mock: { close(): Promise<void> };
const notes: AnyNotification[] = [];

const fileOf = (id: string): string => {
  const rel = real.manifest.rollouts.find((r) => r.id === id)!.file;
  return path.join(home, rel);
};
const changedFor = (id: string, since: number, reason?: string): boolean =>
  notes
    .slice(since)
    .some((n) => n.method === 'spool/index/changed' && n.params.threadIds.includes(id) && (!reason || n.params.reason === reason));

beforeAll(async () => {
  real = realHome(...STANDARD_HOME);
  home = copyHome(real.home, path.join(tmpDir('spool-home-'), 'home'));
  mock = await startMock(home);
  engine = Engine.open({ home, dataDir: tmpDir('spool-live-'), parseWorkers: 1 });
  engine.events.on((n) => notes.push(n));
  await engine.startLive();
});
afterAll(async () => {
  await engine?.close();
  await mock?.close();
});

describe('live indexing of a home codex writes to', () => {
  it('indexes a turn codex appends, parsing only the appended bytes', async () => {
    const plan = real.manifest.plan.find(
      (p) => p.driver === 'exec' && p.threadId && !real.manifest.post.some((a) => a.threadId === p.threadId && a.action === 'archive'),
    )!;
    const id = plan.threadId!;
    const file = fileOf(id);
    const before = fs.statSync(file).size;
    const turnsBefore = (await engine.call('thread/read', { threadId: id })).thread.extra!.spool.turnCount;
    const mark = notes.length;
    const parsedBefore = engine.indexer.stats.recent.length;

    const run = await codexResume(home, id, 'Thanks. Can you also add tests for that?');
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const after = fs.statSync(file).size;
    expect(after).toBeGreaterThan(before);

    await waitFor(
      () =>
        changedFor(id, mark, 'append') &&
        engine.indexer.stats.recent.some((r) => r.relPath.endsWith(path.basename(file)) && r.toOffset === after),
      'the appended turn to be indexed',
    );
    const { thread } = await engine.call('thread/read', { threadId: id });
    expect(thread.extra!.spool.turnCount).toBe(turnsBefore + 1);
    expect(thread.extra!.spool.sizeBytes).toBe(after);

    // Every parse of this file since the append continued where the last one stopped.
    const parses = engine.indexer.stats.recent.slice(parsedBefore).filter((r) => r.relPath.endsWith(path.basename(file)));
    expect(parses.length).toBeGreaterThan(0);
    expect(parses.every((r) => !r.reset)).toBe(true);
    expect(parses[0]!.fromOffset).toBe(before);
    for (let i = 1; i < parses.length; i++) expect(parses[i]!.fromOffset).toBe(parses[i - 1]!.toOffset);
    expect(parses.at(-1)!.toOffset).toBe(after);
  });

  it('keeps an unfinished last line out of the index until its newline arrives', async () => {
    const id = real.manifest.plan.find((p) => p.driver === 'appserver' && p.threadId)!.threadId!;
    const file = fileOf(id);
    const rel = path.relative(home, file).split(path.sep).join('/');
    const size = fs.statSync(file).size;
    const line = JSON.stringify({
      timestamp: new Date().toISOString(),
      type: 'event_msg',
      payload: { type: 'token_count', info: { total_token_usage: { total_tokens: 987654 } } },
    });
    fs.appendFileSync(file, line.slice(0, 40));
    const row = (): { parsed_bytes: number; tail_bytes: number; size: number } =>
      engine.db.prepare('SELECT parsed_bytes, tail_bytes, size FROM files WHERE rel_path = ?').get(rel) as {
        parsed_bytes: number;
        tail_bytes: number;
        size: number;
      };
    await waitFor(() => row().size === size + 40, 'the partial line to be seen');
    expect(row()).toMatchObject({ parsed_bytes: size, tail_bytes: 40 });
    expect(engine.indexer.report().counts['truncatedLastLine']).toBeGreaterThanOrEqual(1);

    fs.appendFileSync(file, `${line.slice(40)}\n`);
    const full = size + Buffer.byteLength(line) + 1;
    await waitFor(() => row().parsed_bytes === full, 'the completed line to be indexed');
    expect(row().tail_bytes).toBe(0);
    expect((await engine.call('thread/read', { threadId: id })).thread.extra!.spool.tokensUsed).toBe(987654);
  });

  it('indexes a new rollout as codex writes it', async () => {
    const mark = notes.length;
    const run = await runCodex(home, ['exec', '--json', '--skip-git-repo-check', 'Explain what this repository does'], {
      cwd: tmpDir('spool-cwd-'),
    });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    const id = /"thread_id":"([0-9a-f-]{36})"/.exec(run.stdout)?.[1];
    expect(id).toBeDefined();
    await waitFor(() => changedFor(id!, mark), 'the new thread to be announced');
    const { thread } = await engine.call('thread/read', { threadId: id! });
    expect(thread.preview).toBe('Explain what this repository does');
    expect(thread.source).toBe('exec');
    expect(fs.existsSync(thread.path!)).toBe(true);
  });

  it('sees a rollout written into a day directory that did not exist yet', async () => {
    const src = real.manifest.rollouts.find((r) => r.file.startsWith('sessions/') && r.source === 'exec')!;
    const id = '0198c0de-0000-7000-8000-0000000d1e51';
    const dir = path.join(home, 'sessions/2031/01/01');
    const mark = notes.length;
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, `rollout-2031-01-01T00-00-00-${id}.jsonl`),
      fs.readFileSync(path.join(real.home, src.file), 'utf8').split(src.id).join(id),
    );
    await waitFor(() => changedFor(id, mark, 'new'), 'the thread in the new directory');
    expect((await engine.call('thread/read', { threadId: id })).thread.path).toBe(
      path.join(dir, `rollout-2031-01-01T00-00-00-${id}.jsonl`),
    );
  });

  it('follows files codex archives and unarchives, without parsing them again', async () => {
    const id = real.manifest.plan.find(
      (p) =>
        p.driver === 'exec' &&
        p.threadId &&
        !real.manifest.post.some((a) => a.threadId === p.threadId && (a.action === 'archive' || a.action === 'name')) &&
        p.index > 3,
    )!.threadId!;
    const parsedBefore = engine.indexer.stats.recent.length;
    const archived = await runCodex(home, ['archive', id]);
    expect(archived.code, archived.stderr.slice(-2000)).toBe(0);
    await waitFor(
      async () => (await engine.call('thread/read', { threadId: id })).thread.extra!.spool.archived,
      'the thread to show as archived',
    );
    const a = (await engine.call('thread/read', { threadId: id })).thread;
    expect(a.path).toBe(path.join(home, 'archived_sessions', path.basename(a.path!)));
    expect(fs.existsSync(a.path!)).toBe(true);
    const listed = await engine.call('thread/list', { archived: true, sourceKinds: ['exec'], modelProviders: [], limit: 100 });
    expect(listed.data.map((t) => t.id)).toContain(id);

    const unarchived = await runCodex(home, ['unarchive', id]);
    expect(unarchived.code, unarchived.stderr.slice(-2000)).toBe(0);
    await waitFor(
      async () => !(await engine.call('thread/read', { threadId: id })).thread.extra!.spool.archived,
      'the thread to show as active again',
    );
    const b = (await engine.call('thread/read', { threadId: id })).thread;
    expect(b.path!.startsWith(path.join(home, 'sessions'))).toBe(true);
    expect(fs.existsSync(b.path!)).toBe(true);
    // A move is a rename in the index, not a re-parse.
    expect(
      engine.indexer.stats.recent
        .slice(parsedBefore)
        .filter((r) => r.relPath.endsWith(path.basename(b.path!)))
        .every((r) => !r.reset),
    ).toBe(true);
  });

  it('drops a thread whose rollout is deleted and tells clients', async () => {
    const id = real.manifest.plan.find((p) => p.driver === 'exec' && p.threadId && p.index === 3)!.threadId!;
    const file = (await engine.call('thread/read', { threadId: id })).thread.path!;
    const mark = notes.length;
    fs.rmSync(file);
    await waitFor(
      () => notes.slice(mark).some((n) => n.method === 'spool/index/changed' && n.params.removedIds.includes(id)),
      'the removal to be announced',
    );
    await expect(engine.call('thread/read', { threadId: id })).rejects.toMatchObject({ code: -32600 });
    const all = await engine.call('thread/list', { sourceKinds: ['exec'], modelProviders: [], limit: 100 });
    expect(all.data.map((t) => t.id)).not.toContain(id);
  });

  it('shows a name codex sets (session_index.jsonl) and sends thread/name/updated', async () => {
    const id = real.manifest.plan.find(
      (p) => p.driver === 'appserver' && p.threadId && !real.manifest.post.some((a) => a.threadId === p.threadId),
    )!.threadId!;
    const mark = notes.length;
    const server = await startAppServer(home);
    try {
      const r = await server.request('thread/name/set', { threadId: id, name: 'Renamed by codex' });
      expect(r.error).toBeUndefined();
    } finally {
      await server.close();
    }
    await waitFor(
      () =>
        notes
          .slice(mark)
          .some((n) => n.method === 'thread/name/updated' && n.params.threadId === id && n.params.threadName === 'Renamed by codex'),
      'thread/name/updated',
    );
    expect((await engine.call('thread/read', { threadId: id })).thread.name).toBe('Renamed by codex');
  });
});
