// Per-thread metadata as the index stores and serves it (docs/FORMAT.md §2.3, §2.7, §3.4, §7.4):
// source mapping for every variant, the configured default provider, unique creation and update
// milliseconds, names from session_index.jsonl, sanitised git remotes, canonical cwds, archive
// times and file sizes.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { ALL_SOURCE_KINDS, type Thread, type ThreadSourceKind } from '../../../shared/protocol/index.ts';
import { tmpDir } from '../../../../test/support/tmp.ts';

const TS = '2025-03-04T09:00:00.123Z';
let n = 0;
const newId = (): string => `0198c0de-0000-7000-8000-${String(++n).padStart(12, '0')}`;

interface Home {
  home: string;
  write(opts: { id?: string; meta?: object; lines?: object[]; archived?: boolean; mtime?: Date }): string;
}

function makeHome(config?: string): Home {
  const home = tmpDir('spool-meta-');
  if (config !== undefined) fs.writeFileSync(path.join(home, 'config.toml'), config);
  return {
    home,
    write({ id = newId(), meta = {}, lines = [], archived = false, mtime }) {
      const dir = archived ? path.join(home, 'archived_sessions') : path.join(home, 'sessions/2025/03/04');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `rollout-2025-03-04T09-00-00-${id}.jsonl`);
      const m = { id, timestamp: TS, cwd: '/tmp', originator: 'codex_cli_rs', cli_version: '0.98.0', source: 'cli', ...meta };
      const all = [
        { timestamp: TS, type: 'session_meta', payload: m },
        { timestamp: TS, type: 'event_msg', payload: { type: 'user_message', message: `prompt of ${id}` } },
        ...lines,
      ];
      fs.writeFileSync(file, `${all.map((l) => JSON.stringify(l)).join('\n')}\n`);
      if (mtime) fs.utimesSync(file, mtime, mtime);
      return id;
    },
  };
}

async function index(h: Home): Promise<{ engine: Engine; read(id: string): Promise<Thread> }> {
  const engine = Engine.open({ home: h.home, dataDir: tmpDir('spool-meta-data-'), parseWorkers: 0 });
  await engine.sync();
  return { engine, read: async (id) => (await engine.call('thread/read', { threadId: id })).thread };
}

describe('thread metadata', () => {
  it('maps every session source between disk and API, and filters by each kind', async () => {
    const h = makeHome();
    const parent = newId();
    const cases: { source: unknown; api: unknown; kinds: ThreadSourceKind[] }[] = [
      { source: 'cli', api: 'cli', kinds: ['cli'] },
      { source: 'vscode', api: 'vscode', kinds: ['vscode'] },
      { source: 'exec', api: 'exec', kinds: ['exec'] },
      { source: 'mcp', api: 'appServer', kinds: ['appServer'] },
      { source: 'app_server', api: 'unknown', kinds: ['unknown'] },
      { source: { custom: 'x' }, api: { custom: 'x' }, kinds: [] },
      { source: { subagent: 'review' }, api: { subAgent: 'review' }, kinds: ['subAgent', 'subAgentReview'] },
      { source: { subagent: 'compact' }, api: { subAgent: 'compact' }, kinds: ['subAgent', 'subAgentCompact'] },
      { source: { subagent: 'memory_consolidation' }, api: { subAgent: 'memory_consolidation' }, kinds: ['subAgent'] },
      { source: { subagent: { other: 'guardian' } }, api: { subAgent: { other: 'guardian' } }, kinds: ['subAgent', 'subAgentOther'] },
      {
        source: {
          subagent: {
            thread_spawn: { parent_thread_id: parent, depth: 1, agent_path: '/root/w', agent_nickname: 'Ada', agent_role: 'explorer' },
          },
        },
        api: {
          subAgent: {
            thread_spawn: { parent_thread_id: parent, depth: 1, agent_path: '/root/w', agent_nickname: 'Ada', agent_role: 'explorer' },
          },
        },
        kinds: ['subAgent', 'subAgentThreadSpawn'],
      },
    ];
    const ids = cases.map((c) => h.write({ meta: { source: c.source } }));
    const { engine, read } = await index(h);
    for (const [i, c] of cases.entries()) {
      const t = await read(ids[i]!);
      expect(t.source, JSON.stringify(c.source)).toEqual(c.api);
      for (const kind of ALL_SOURCE_KINDS) {
        const listed = (await engine.call('thread/list', { sourceKinds: [kind], modelProviders: [], limit: 100 })).data.map((x) => x.id);
        expect(listed.includes(ids[i]!), `${JSON.stringify(c.source)} under ${kind}`).toBe(c.kinds.includes(kind));
      }
    }
    const spawned = await read(ids.at(-1)!);
    expect(spawned).toMatchObject({ agentNickname: 'Ada', agentRole: 'explorer' });
    expect(spawned.extra!.spool).toMatchObject({ agentPath: '/root/w', spawnParentId: parent, spawnDepth: 1 });
    await engine.close();
  });

  it('records a thread without a provider under config.toml’s default, else codex’s built-in one', async () => {
    const withConfig = makeHome('model = "m"\nmodel_provider = "mock"\n');
    const a = withConfig.write({ meta: {} });
    const b = withConfig.write({ meta: { model_provider: 'azure' } });
    const one = await index(withConfig);
    expect((await one.read(a)).modelProvider).toBe('mock');
    expect((await one.read(b)).modelProvider).toBe('azure');
    await one.engine.close();
    const bare = makeHome();
    const c = bare.write({ meta: {} });
    const two = await index(bare);
    expect((await two.read(c)).modelProvider).toBe('openai');
    await two.engine.close();
  });

  it('gives threads created and written in the same millisecond unique, nearby milliseconds', async () => {
    const h = makeHome();
    const mtime = new Date('2025-03-04T10:00:00.500Z');
    const ids = [1, 2, 3, 4].map(() => h.write({ mtime }));
    const { engine } = await index(h);
    const rows = engine.db
      .prepare(`SELECT created_at_ms, updated_at_ms FROM threads WHERE id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids) as { created_at_ms: number; updated_at_ms: number }[];
    const created = rows.map((r) => r.created_at_ms).sort();
    const updated = rows.map((r) => r.updated_at_ms).sort();
    expect(new Set(created).size).toBe(4);
    expect(new Set(updated).size).toBe(4);
    expect(created).toEqual([0, 1, 2, 3].map((i) => Date.parse(TS) + i));
    expect(updated).toEqual([0, 1, 2, 3].map((i) => mtime.getTime() + i));
    await engine.close();
  });

  it('names threads from session_index.jsonl (last entry wins, blank names ignored) over thread_name_updated', async () => {
    const h = makeHome();
    const a = h.write({
      lines: [
        { timestamp: TS, type: 'event_msg', payload: { type: 'thread_name_updated', thread_id: 'x', thread_name: 'From the rollout' } },
      ],
    });
    const b = h.write({
      lines: [
        { timestamp: TS, type: 'event_msg', payload: { type: 'thread_name_updated', thread_id: 'x', thread_name: 'Only in the rollout' } },
      ],
    });
    const c = newId();
    const entries = [
      { id: a, thread_name: 'First', updated_at: '2025-03-04T09:01:00Z' },
      { id: a, thread_name: 'Second', updated_at: '2025-03-04T09:02:00Z' },
      { id: a, thread_name: '   ', updated_at: '2025-03-04T09:03:00Z' },
      { id: c, thread_name: 'Named before its rollout exists', updated_at: '2025-03-04T09:04:00Z' },
    ];
    fs.writeFileSync(path.join(h.home, 'session_index.jsonl'), `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const { engine, read } = await index(h);
    expect((await read(a)).name).toBe('Second');
    expect((await read(b)).name).toBe('Only in the rollout');
    h.write({ id: c });
    await engine.sync();
    expect((await read(c)).name).toBe('Named before its rollout exists');
    await engine.close();
  });

  it('strips credentials from git remotes and canonicalises the cwd', async () => {
    const h = makeHome();
    const real = tmpDir('spool-meta-cwd-');
    const link = `${real}-link`;
    fs.symlinkSync(real, link);
    const id = h.write({
      meta: {
        cwd: `${link}/./sub/..//`,
        git: { commit_hash: 'abc123', branch: 'feature/x', repository_url: 'https://deploy:s3cret@github.com/acme/app.git' },
      },
    });
    const { engine, read } = await index(h);
    const t = await read(id);
    expect(t.gitInfo).toEqual({ sha: 'abc123', branch: 'feature/x', originUrl: 'https://github.com/acme/app.git' });
    expect(t.cwd).toBe(fs.realpathSync(real));
    await engine.close();
  });

  it('records archive state, archive time (the file’s mtime), history mode and file size', async () => {
    const h = makeHome();
    const mtime = new Date('2025-03-05T08:00:00Z');
    const archived = h.write({ archived: true, mtime });
    const paginated = h.write({ meta: { history_mode: 'paginated' } });
    const { engine, read } = await index(h);
    const a = await read(archived);
    expect(a.extra!.spool).toMatchObject({ archived: true, archivedAt: mtime.getTime() / 1000 });
    expect(a.extra!.spool.sizeBytes).toBe(fs.statSync(a.path!).size);
    const p = await read(paginated);
    expect(p.historyMode).toBe('paginated');
    expect(p.extra!.spool).toMatchObject({ archived: false, archivedAt: null });
    await engine.close();
  });
});
