// Small hand-made agent graphs for tests, in the shape codex 0.169 writes (a paginated rollout:
// session_meta with a thread_spawn source, one turn, and close_agent calls where asked) — used for
// the damaged graphs real codex never writes (cycles, self-parents, absurd depths, missing parents)
// and for ambiguous paths.
import fs from 'node:fs';
import path from 'node:path';

export interface AgentSpec {
  id: string;
  /** The parent the source names (omit for a root thread). */
  parent?: string;
  path?: string | null;
  nickname?: string | null;
  role?: string | null;
  /** The depth the source declares (default: 1). */
  depth?: number;
  createdMs: number;
  /** Children this thread closes with close_agent, and when (ms). */
  closes?: { child: string; atMs: number; key?: 'target' | 'id' }[];
  prompt?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function agentRolloutLines(a: AgentSpec): string[] {
  const lines: string[] = [];
  let ordinal = 0;
  const env = (ms: number, type: string, payload: unknown): void => {
    lines.push(JSON.stringify({ timestamp: iso(ms), ordinal: ordinal++, type, payload }));
  };
  const source =
    a.parent === undefined
      ? 'cli'
      : {
          subagent: {
            thread_spawn: {
              parent_thread_id: a.parent,
              depth: a.depth ?? 1,
              agent_path: a.path ?? null,
              agent_nickname: a.nickname ?? null,
              agent_role: a.role ?? null,
            },
          },
        };
  env(a.createdMs, 'session_meta', {
    id: a.id,
    session_id: a.id,
    timestamp: iso(a.createdMs),
    cwd: '/home/dev/src/agents',
    originator: 'codex_exec',
    cli_version: '0.169.0',
    source,
    model_provider: 'openai',
    history_mode: 'paginated',
    ...(a.parent !== undefined ? { agent_nickname: a.nickname ?? null, agent_path: a.path ?? null, agent_role: a.role ?? null } : {}),
  });
  const turn = `turn-${a.id.slice(0, 8)}`;
  const prompt = a.prompt ?? (a.parent === undefined ? 'Root task' : `SUBTASK: ${a.path ?? a.nickname ?? a.id}`);
  env(a.createdMs, 'event_msg', { type: 'task_started', turn_id: turn, started_at: Math.floor(a.createdMs / 1000) });
  env(a.createdMs, 'response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] });
  env(a.createdMs, 'event_msg', {
    type: 'item_completed',
    thread_id: a.id,
    turn_id: turn,
    item: { type: 'UserMessage', id: `u-${a.id}`, content: [{ type: 'text', text: prompt, text_elements: [] }] },
  });
  for (const c of a.closes ?? []) {
    env(c.atMs, 'response_item', {
      type: 'function_call',
      name: 'close_agent',
      namespace: 'multi_agent_v1',
      arguments: JSON.stringify({ [c.key ?? 'target']: c.child }),
      call_id: `call-${c.child}`,
    });
    env(c.atMs, 'response_item', { type: 'function_call_output', call_id: `call-${c.child}`, output: '{"previous_status":"completed"}' });
  }
  env(a.createdMs + 500, 'event_msg', { type: 'task_complete', turn_id: turn, last_agent_message: 'done' });
  return lines;
}

/** The rollout file of `a` under `home` (sessions/YYYY/MM/DD/rollout-…-<id>.jsonl). */
export function agentRolloutPath(home: string, a: Pick<AgentSpec, 'id' | 'createdMs'>): string {
  const stamp = iso(a.createdMs).slice(0, 19).replace(/:/g, '-');
  return path.join(home, 'sessions', ...iso(a.createdMs).slice(0, 10).split('-'), `rollout-${stamp}-${a.id}.jsonl`);
}

export function writeAgentRollouts(home: string, agents: AgentSpec[]): void {
  for (const a of agents) {
    const file = agentRolloutPath(home, a);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${agentRolloutLines(a).join('\n')}\n`);
    // mtime = the last event, as when codex writes the file (and distinct per thread).
    const last = new Date(Math.max(a.createdMs + 500, ...(a.closes ?? []).map((c) => c.atMs)));
    fs.utimesSync(file, last, last);
  }
}

/** A UUIDv7-shaped id whose last digits are `n` (readable in test output, sortable by n). */
export const agentId = (n: number): string => `01a1f000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
