// Names and git edits on the engine: whole-line appends even after a writer died mid-line, edits
// that survive an index rebuild and outrank what rollouts say later, threads codex cannot edit
// (written before codex 0.47), and notifications that follow the response.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine, INDEX_FILE } from '../engine.ts';
import type { AnyNotification } from '../../../shared/protocol/index.ts';
import { copyHome, realHome, STANDARD_HOME } from '../../../../test/support/real-home.ts';
import { MIXED_HOME } from '../../../../test/support/appserver.ts';

const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close();
});

async function open(home: string, dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-mut-data-'))): Promise<Engine> {
  const e = Engine.open({ home, dataDir, parseWorkers: 0 });
  engines.push(e);
  await e.sync();
  return e;
}

const pick = (e: Engine, where: string): { id: string; rel_path: string } =>
  e.db.prepare(`SELECT id, rel_path FROM threads WHERE ${where} ORDER BY created_at_ms LIMIT 1`).get() as { id: string; rel_path: string };

describe('thread/name/set on the engine', () => {
  it('appends a whole line after a line a crashed writer left unfinished, and reads the name back', async () => {
    const home = copyHome(realHome(...STANDARD_HOME).home);
    const indexFile = path.join(home, 'session_index.jsonl');
    fs.appendFileSync(indexFile, '{"id":"01a1fccf-0000-7000-8000-0000000000');
    const e = await open(home);
    const t = pick(e, "archived = 0 AND preview <> ''");
    await e.call('thread/name/set', { threadId: t.id, name: 'After a torn line' });
    const text = fs.readFileSync(indexFile, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const last = text.trimEnd().split('\n').at(-1)!;
    expect(JSON.parse(last)).toMatchObject({ id: t.id, thread_name: 'After a torn line' });
    expect((await e.call('thread/read', { threadId: t.id })).thread.name).toBe('After a torn line');
    // A rebuild from the files reads the same name.
    await e.close();
    engines.splice(engines.indexOf(e), 1);
    const fresh = await open(home);
    expect((await fresh.call('thread/read', { threadId: t.id })).thread.name).toBe('After a torn line');
  });

  it('creates session_index.jsonl when the home has none, and notifies after answering', async () => {
    const home = copyHome(realHome(...STANDARD_HOME).home);
    fs.rmSync(path.join(home, 'session_index.jsonl'));
    const e = await open(home);
    const notes: AnyNotification[] = [];
    e.events.on((n) => notes.push(n));
    const t = pick(e, "archived = 0 AND preview <> ''");
    const answered = await e.call('thread/name/set', { threadId: t.id, name: 'First name' });
    expect(answered).toEqual({});
    expect(notes.filter((n) => n.method === 'thread/name/updated')).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(notes.filter((n) => n.method !== 'spool/index/progress')).toEqual([
      { method: 'thread/name/updated', params: { threadId: t.id, threadName: 'First name' } },
      { method: 'spool/index/changed', params: { threadIds: [t.id], removedIds: [], reason: 'name' } },
    ]);
    expect(fs.readFileSync(path.join(home, 'session_index.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('names a thread codex cannot read (written before codex 0.47)', async () => {
    const home = copyHome(realHome(...MIXED_HOME).home);
    const e = await open(home);
    const bare = pick(e, "format = 'bare'");
    await e.call('thread/name/set', { threadId: bare.id, name: 'Old but named' });
    expect((await e.call('thread/read', { threadId: bare.id })).thread.name).toBe('Old but named');
  });
});

describe('thread/metadata/update on the engine', () => {
  it('keeps Spool’s git edits through an index rebuild and over later rollout values', async () => {
    const home = copyHome(realHome(...STANDARD_HOME).home);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-mut-data-'));
    let e = await open(home, dataDir);
    const t = pick(e, "archived = 0 AND format = 'paginated' AND git_sha IS NOT NULL");
    const original = (await e.call('thread/read', { threadId: t.id })).thread.gitInfo!;
    const size = fs.statSync(e.home.abs(t.rel_path)).size;
    const r = await e.call('thread/metadata/update', { threadId: t.id, gitInfo: { branch: 'spool/edited', originUrl: null } });
    expect(r.thread.gitInfo).toEqual({ sha: original.sha, branch: 'spool/edited', originUrl: null });
    // Paginated: nothing is written to the rollout, as codex does.
    expect(fs.statSync(e.home.abs(t.rel_path)).size).toBe(size);

    await e.close();
    engines.splice(engines.indexOf(e), 1);
    for (const f of fs.readdirSync(dataDir)) if (f.startsWith(INDEX_FILE)) fs.rmSync(path.join(dataDir, f));
    e = await open(home, dataDir);
    expect((await e.call('thread/read', { threadId: t.id })).thread.gitInfo).toEqual({
      sha: original.sha,
      branch: 'spool/edited',
      originUrl: null,
    });

    // A later session_meta in the rollout (another writer's git) changes what Spool did not edit.
    const meta = JSON.parse(fs.readFileSync(e.home.abs(t.rel_path), 'utf8').split('\n')[0]!) as { payload: Record<string, unknown> };
    const later = {
      timestamp: new Date().toISOString(),
      type: 'session_meta',
      payload: { ...meta.payload, git: { commit_hash: 'feedface', branch: 'theirs', repository_url: 'https://example.com/x.git' } },
    };
    fs.appendFileSync(e.home.abs(t.rel_path), `${JSON.stringify(later)}\n`);
    await e.sync();
    expect((await e.call('thread/read', { threadId: t.id })).thread.gitInfo).toEqual({
      sha: 'feedface',
      branch: 'spool/edited',
      originUrl: null,
    });
  });

  it('appends a whole session_meta line to a legacy rollout that lacks its final newline', async () => {
    const home = copyHome(realHome(...MIXED_HOME).home);
    const e = await open(home);
    const t = pick(e, "archived = 0 AND format = 'legacy'");
    const file = e.home.abs(t.rel_path);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace(/\n$/, ''));
    await e.sync();
    const r = await e.call('thread/metadata/update', { threadId: t.id, gitInfo: { sha: 'cafe1234', branch: 'b' } });
    expect(r.thread.gitInfo).toMatchObject({ sha: 'cafe1234', branch: 'b' });
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.at(-3)).toBe(text.replace(/\n$/, '').split('\n').at(-1));
    const appended = JSON.parse(lines.at(-2)!) as { type: string; payload: { id: string; git: unknown } };
    expect(appended).toMatchObject({ type: 'session_meta', payload: { id: t.id, git: { commit_hash: 'cafe1234', branch: 'b' } } });
    // The index re-read the file: no line was lost or joined to another.
    const row = e.db.prepare('SELECT bad_lines FROM files WHERE rel_path = ?').get(t.rel_path) as { bad_lines: number };
    expect(row.bad_lines).toBe(0);
  });

  it('edits a thread codex cannot read (written before codex 0.47) in the journal only', async () => {
    const home = copyHome(realHome(...MIXED_HOME).home);
    const e = await open(home);
    const bare = pick(e, "format = 'bare'");
    const size = fs.statSync(e.home.abs(bare.rel_path)).size;
    const r = await e.call('thread/metadata/update', { threadId: bare.id, gitInfo: { branch: 'rescued' } });
    expect(r.thread.gitInfo).toEqual({ sha: null, branch: 'rescued', originUrl: null });
    expect(fs.statSync(e.home.abs(bare.rel_path)).size).toBe(size);
  });
});

describe('mutations with the watcher running', () => {
  it('leave the watcher nothing to redo: one change notice per mutation, and a reconcile parses nothing', async () => {
    const home = copyHome(realHome(...MIXED_HOME).home);
    const e = await open(home);
    await e.startLive();
    const changes: string[] = [];
    e.events.on((n) => {
      if (n.method === 'spool/index/changed') changes.push(n.params.reason);
    });
    const legacy = pick(e, "archived = 0 AND format = 'legacy' AND preview <> ''");
    const paginated = pick(e, "archived = 0 AND format = 'paginated' AND preview <> ''");
    await e.call('thread/name/set', { threadId: paginated.id, name: 'Watched' });
    await e.call('thread/metadata/update', { threadId: paginated.id, gitInfo: { branch: 'w' } });
    await e.call('thread/metadata/update', { threadId: legacy.id, gitInfo: { branch: 'w' } });
    await new Promise((r) => setTimeout(r, 500));
    // The legacy edit appended to its rollout, which the engine re-read before answering ('append').
    expect(changes.sort()).toEqual(['append', 'metadata', 'metadata', 'name']);
    expect(await e.sync()).toMatchObject({ parsed: 0, moved: 0, removed: 0 });
  });
});
