// The agent graph on a home the real codex CLI wrote (multi-agent v1 children that codex closed
// with close_agent, v2 children it leaves open), compared with codex's own state DB; then the
// cascading close and reopen, their notifications, and what they leave on disk.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, INDEX_FILE } from '../engine.ts';
import type { AnyNotification, TreeResult } from '../../../shared/protocol/index.ts';
import { JOURNAL_FILE } from '../user/journal.ts';
import { copyHome, realHome, STANDARD_HOME } from '../../../../test/support/real-home.ts';
import { schemaErrors } from '../../../../test/support/codex-schema.ts';

interface CodexEdge {
  parent_thread_id: string;
  child_thread_id: string;
  status: string;
}
interface CodexAgent {
  id: string;
  agent_path: string | null;
  agent_nickname: string | null;
}

let home: string;
let dataDir: string;
let engine: Engine;
let codexEdges: CodexEdge[];
let codexAgents: Map<string, CodexAgent>;
const notes: AnyNotification[] = [];

/** Reads codex's own state DB of the real home (from a copy: opening it could touch its WAL). */
function readCodexDb(realHomeDir: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-codexdb-'));
  for (const f of fs.readdirSync(realHomeDir))
    if (f.startsWith('state_5.sqlite')) fs.copyFileSync(path.join(realHomeDir, f), path.join(dir, f));
  const db = new Database(path.join(dir, 'state_5.sqlite'));
  codexEdges = db
    .prepare('SELECT parent_thread_id, child_thread_id, status FROM thread_spawn_edges ORDER BY child_thread_id')
    .all() as CodexEdge[];
  codexAgents = new Map(
    (db.prepare('SELECT id, agent_path, agent_nickname FROM threads WHERE agent_nickname IS NOT NULL').all() as CodexAgent[]).map((a) => [
      a.id,
      a,
    ]),
  );
  db.close();
}

function hashHome(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.jsonl'))
        out.set(
          path.relative(home, p),
          `${crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')}:${fs.statSync(p).mtimeMs}`,
        );
    }
  };
  walk(home);
  return out;
}

const tree = (threadId: string): Promise<TreeResult> => engine.call('spool/thread/tree', { threadId });
const statusOf = async (childId: string): Promise<string | null> => (await tree(childId)).nodes.find((n) => n.id === childId)!.edgeStatus;
const childrenOf = (parent: string): CodexEdge[] => codexEdges.filter((e) => e.parent_thread_id === parent);

beforeAll(async () => {
  const real = realHome(...STANDARD_HOME);
  readCodexDb(real.home);
  home = copyHome(real.home);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-graph-'));
  engine = Engine.open({ home, dataDir, parseWorkers: 0 });
  engine.events.on((n) => notes.push(n));
  await engine.sync();
});
afterAll(() => engine.close());

describe('the agent graph of a real codex home', () => {
  it('has the spawn edges codex has, each open or closed as in codex’s thread_spawn_edges', async () => {
    expect(codexEdges.length).toBe(5);
    expect(codexEdges.some((e) => e.status === 'closed')).toBe(true);
    expect(codexEdges.some((e) => e.status === 'open')).toBe(true);
    const ours = engine.db
      .prepare('SELECT parent_id AS parent_thread_id, child_id AS child_thread_id, status FROM spawn_edges ORDER BY child_id')
      .all();
    expect(ours).toEqual(codexEdges);
    for (const e of codexEdges) expect(await statusOf(e.child_thread_id)).toBe(e.status);
  });

  it('returns a family in one call: nicknames, paths, edge status, who closed it, counts and bytes on disk', async () => {
    const parent = codexEdges.map((e) => e.parent_thread_id).find((p) => childrenOf(p).length === 2)!;
    const t = await tree(childrenOf(parent)[0]!.child_thread_id);
    expect(t.rootId).toBe(parent);
    expect(t.nodes.map((n) => n.id).sort()).toEqual([parent, ...childrenOf(parent).map((e) => e.child_thread_id)].sort());
    const sizes = new Map<string, number>();
    for (const n of t.nodes) {
      const { thread } = await engine.call('thread/read', { threadId: n.id });
      sizes.set(n.id, fs.statSync(thread.path!).size);
      expect(n.sizeBytes).toBe(sizes.get(n.id));
    }
    const root = t.nodes[0]!;
    expect(root).toMatchObject({
      id: parent,
      depth: 0,
      parentId: null,
      edgeStatus: null,
      orphan: false,
      cycle: false,
      childCount: 2,
      status: { type: 'notLoaded' },
    });
    expect(root.descendants).toEqual({
      total: 2,
      open: 2,
      closed: 0,
      archived: 0,
      bytes: sizes.get(t.nodes[1]!.id)! + sizes.get(t.nodes[2]!.id)!,
    });
    for (const n of t.nodes.slice(1)) {
      const codex = codexAgents.get(n.id)!;
      expect(n).toMatchObject({
        parentId: parent,
        depth: 1,
        agentNickname: codex.agent_nickname,
        agentPath: codex.agent_path,
        edgeStatus: 'open',
        closedBy: null,
        lastTurnStatus: 'completed',
      });
    }
    // Siblings in spawn order.
    expect(t.nodes[1]!.createdAtMs).toBeLessThan(t.nodes[2]!.createdAtMs);

    const v1Closed = codexEdges.find((e) => e.status === 'closed')!;
    const v1 = await tree(v1Closed.parent_thread_id);
    expect(v1.nodes[0]!.descendants).toMatchObject({ total: 1, open: 0, closed: 1 });
    expect(v1.nodes[1]).toMatchObject({ edgeStatus: 'closed', closedBy: 'codex', agentPath: null });
  });

  it('resolves agent paths as codex names them, and v1 agents by nickname', async () => {
    const parent = codexEdges.map((e) => e.parent_thread_id).find((p) => childrenOf(p).length === 2)!;
    const [a, b] = childrenOf(parent).map((e) => codexAgents.get(e.child_thread_id)!);
    expect(a!.agent_path).toMatch(/^\/root\//);
    const rel = (p: string): string => p.slice('/root/'.length);
    expect(await engine.call('spool/agent/resolve', { threadId: parent, path: a!.agent_path! })).toEqual({
      threadId: a!.id,
      agentPath: a!.agent_path,
      rootId: parent,
    });
    expect((await engine.call('spool/agent/resolve', { threadId: parent, path: rel(b!.agent_path!) })).threadId).toBe(b!.id);
    expect((await engine.call('spool/agent/resolve', { threadId: a!.id, path: `../${rel(b!.agent_path!)}` })).threadId).toBe(b!.id);
    expect((await engine.call('spool/agent/resolve', { threadId: a!.id, path: '..' })).threadId).toBe(parent);
    expect((await engine.call('spool/agent/resolve', { threadId: b!.id, path: '/root' })).threadId).toBe(parent);
    // Codex named the first sub-agent of two trees alike: without a thread the path is ambiguous.
    const subtask1 = [...codexAgents.values()].filter((x) => x.agent_path === '/root/subtask_1');
    expect(subtask1.length).toBe(2);
    await expect(engine.call('spool/agent/resolve', { path: '/root/subtask_1' })).rejects.toMatchObject({
      code: -32600,
      message: 'multiple agents found for canonical path /root/subtask_1',
    });
    // A v1 agent has no path: its nickname names it under its parent.
    const v1 = codexEdges.find((e) => codexAgents.get(e.child_thread_id)!.agent_path === null)!;
    const nick = codexAgents.get(v1.child_thread_id)!.agent_nickname!;
    expect(await engine.call('spool/agent/resolve', { threadId: v1.parent_thread_id, path: nick.toLowerCase() })).toEqual({
      threadId: v1.child_thread_id,
      agentPath: null,
      rootId: v1.parent_thread_id,
    });
    await expect(engine.call('spool/agent/resolve', { threadId: parent, path: 'nobody_here' })).rejects.toMatchObject({
      code: -32600,
      message: 'no agent found for path /root/nobody_here',
    });
    await expect(engine.call('spool/agent/resolve', { threadId: parent, path: '../..' })).rejects.toMatchObject({
      message: 'agent path ../.. goes above /root',
    });
    await expect(engine.call('spool/agent/resolve', { path: 'child' })).rejects.toMatchObject({
      message: 'a relative agent path needs a threadId to start from',
    });
    await expect(engine.call('spool/agent/resolve', { threadId: parent, path: '/home/x' })).rejects.toMatchObject({
      message: 'invalid agent path: /home/x (absolute paths start at /root)',
    });
  });

  it('closes a whole tree: every edge closed, thread/closed per thread, progress, and not one byte of a rollout changed', async () => {
    const parent = codexEdges.map((e) => e.parent_thread_id).find((p) => childrenOf(p).length === 2)!;
    const before = hashHome();
    notes.length = 0;
    const r = await engine.call('thread/close', { threadId: parent, operationId: 'op-close' });
    const t = await tree(parent);
    expect(r.outcomes).toEqual(
      t.nodes.map((n, i) => ({
        threadId: n.id,
        ok: true,
        ...(i === 0 ? { note: 'no spawn edge (a root thread): its sub-agents are closed' } : {}),
      })),
    );
    expect(t.nodes.slice(1).map((n) => [n.edgeStatus, n.closedBy])).toEqual([
      ['closed', 'spool'],
      ['closed', 'spool'],
    ]);
    expect(t.nodes[0]!.descendants).toMatchObject({ open: 0, closed: 2 });
    const closedNotes = notes.filter((n) => n.method === 'thread/closed');
    expect(closedNotes.map((n) => n.params)).toEqual(t.nodes.map((n) => ({ threadId: n.id })));
    for (const n of closedNotes) expect(schemaErrors('notification', 'thread/closed', n.params)).toEqual([]);
    expect(notes.filter((n) => n.method === 'spool/operation/progress').map((n) => n.params)).toEqual([
      { operationId: 'op-close', done: 0, total: 3 },
      { operationId: 'op-close', done: 3, total: 3 },
    ]);
    expect(notes.find((n) => n.method === 'spool/index/changed')?.params).toEqual({
      threadIds: t.nodes.slice(1).map((n) => n.id),
      removedIds: [],
      reason: 'edge',
    });
    expect(hashHome()).toEqual(before);
    // The list sees the new state too.
    const listed = await engine.call('thread/list', { parentThreadId: parent, limit: 10, includeEmptyPreview: true });
    expect(listed.data.map((x) => x.extra!.spool.edgeStatus)).toEqual(['closed', 'closed']);
  });

  it('reopens as codex’s v1 resume does: Spool’s closes are undone, codex’s own close_agent stays', async () => {
    const parent = codexEdges.map((e) => e.parent_thread_id).find((p) => childrenOf(p).length === 2)!;
    notes.length = 0;
    const r = await engine.call('spool/thread/reopen', { threadId: parent });
    expect(
      r.outcomes
        .filter((o) => o.note === undefined)
        .map((o) => o.threadId)
        .sort(),
    ).toEqual(
      childrenOf(parent)
        .map((e) => e.child_thread_id)
        .sort(),
    );
    expect(notes.filter((n) => n.method === 'spool/thread/reopened').length).toBe(3);
    expect((await tree(parent)).nodes.slice(1).every((n) => n.edgeStatus === 'open' && n.closedBy === null)).toBe(true);

    const v1 = codexEdges.find((e) => e.status === 'closed')!;
    const closeAgain = await engine.call('thread/close', { threadId: v1.parent_thread_id });
    expect(closeAgain.outcomes[1]).toEqual({ threadId: v1.child_thread_id, ok: true, note: 'already closed' });
    const resumed = await engine.call('spool/thread/reopen', { threadId: v1.parent_thread_id });
    expect(resumed.outcomes[1]).toEqual({
      threadId: v1.child_thread_id,
      ok: true,
      note: 'closed by codex: stays closed, like codex’s own resume',
    });
    expect(await statusOf(v1.child_thread_id)).toBe('closed');
    // Asked for by name, the child itself is reopened, codex's close notwithstanding.
    const direct = await engine.call('spool/thread/reopen', { threadId: v1.child_thread_id });
    expect(direct.outcomes).toEqual([{ threadId: v1.child_thread_id, ok: true }]);
    const node = (await tree(v1.child_thread_id)).nodes[1]!;
    expect([node.edgeStatus, node.closedBy]).toEqual(['open', null]);
  });

  it('keeps the open/closed state across a restart and a rebuild of the index, from the journal', async () => {
    const parent = codexEdges.map((e) => e.parent_thread_id).find((p) => childrenOf(p).length === 2)!;
    await engine.call('thread/close', { threadId: parent });
    const snapshot = async (): Promise<unknown> => engine.db.prepare('SELECT child_id, status FROM spawn_edges ORDER BY child_id').all();
    const expected = await snapshot();
    expect(expected).toContainEqual({ child_id: childrenOf(parent)[0]!.child_thread_id, status: 'closed' });
    expect(fs.readFileSync(path.join(dataDir, JOURNAL_FILE), 'utf8')).toContain(`"childId":"${childrenOf(parent)[0]!.child_thread_id}"`);
    await engine.close();

    engine = Engine.open({ home, dataDir, parseWorkers: 0 });
    await engine.sync();
    expect(await snapshot()).toEqual(expected);
    await engine.close();

    for (const f of fs.readdirSync(dataDir)) if (f.startsWith(INDEX_FILE)) fs.rmSync(path.join(dataDir, f));
    engine = Engine.open({ home, dataDir, parseWorkers: 0 });
    expect(engine.db.prepare('SELECT count(*) AS n FROM threads').get()).toEqual({ n: 0 });
    await engine.sync();
    expect(await snapshot()).toEqual(expected);
  });

  it('answers codex’s errors for bad ids, and refuses to reopen an archived thread', async () => {
    // (the wording after "invalid thread id: " is the protocol's, which follows codex's uuid parser)
    await expect(engine.call('thread/close', { threadId: 'nope' })).rejects.toMatchObject({
      code: -32600,
      message: expect.stringMatching(/^invalid thread id: /),
    });
    const missing = '00000000-0000-7000-8000-000000000000';
    await expect(engine.call('thread/close', { threadId: missing })).rejects.toMatchObject({
      code: -32600,
      message: `thread not loaded: ${missing}`,
    });
    await expect(engine.call('spool/thread/tree', { threadId: missing })).rejects.toMatchObject({
      code: -32600,
      message: `thread not loaded: ${missing}`,
    });
    const archived = (
      await engine.call('thread/list', { archived: true, modelProviders: [], sourceKinds: ['cli', 'vscode', 'exec'], limit: 1 })
    ).data[0]!;
    await expect(engine.call('spool/thread/reopen', { threadId: archived.id })).rejects.toMatchObject({
      code: -32600,
      message: `thread is archived: ${archived.id} (unarchive it before reopening)`,
    });
  });
});
