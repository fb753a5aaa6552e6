// One large sub-agent tree: a root thread and its sub-agents, breadth-first, with unique agent
// paths and some edges closed by the parent's close_agent calls — the trees heavy users end up
// with, for the tree benchmarks, the fault suite and end-to-end tests.
import fs from 'node:fs';
import path from 'node:path';
import { hex, pick, prng, uuidV7 } from './random.ts';
import { NICKNAMES, PROJECTS, ROLES } from './vocabulary.ts';
import { writeRollout, type ThreadPlan } from './write-rollout.ts';

export interface AgentTreeOptions {
  home: string;
  /** Threads in the tree, its root included. */
  nodes: number;
  seed?: number;
  /** Creation time of the root (the sub-agents follow within minutes). */
  createdMs?: number;
  /** Children per agent: 1..maxChildren. */
  maxChildren?: number;
  maxDepth?: number;
  /** Fraction of sub-agents their parent closes with close_agent (multi-agent v1's close). */
  closedFraction?: number;
  prompt?: string;
  turnPaddingBytes?: number;
}

export interface AgentTreeSummary {
  rootId: string;
  /** Every thread of the tree, root first, breadth-first. */
  ids: string[];
  /** Sub-agents closed by their parent's close_agent call. */
  closedIds: string[];
  /** Each sub-agent's parent. */
  parentOf: Map<string, string>;
  files: string[];
  bytes: number;
}

/**
 * Writes one large sub-agent tree (a root thread and `nodes - 1` sub-agents, breadth-first, with
 * unique agent paths): the trees heavy users end up with, for the tree benchmarks and e2e tests.
 */
export function generateAgentTree(opts: AgentTreeOptions): AgentTreeSummary {
  const r = prng(opts.seed ?? 11);
  const home = path.resolve(opts.home);
  const maxChildren = opts.maxChildren ?? 8;
  const maxDepth = opts.maxDepth ?? 6;
  const createdMs = opts.createdMs ?? Date.now() - 3_600_000;
  const project = pick(r, PROJECTS);
  const cwd = `/home/dev/src/${project}`;
  const root: ThreadPlan = {
    id: uuidV7(createdMs, r),
    createdMs,
    format: 'paginated',
    source: 'cli',
    cwd,
    provider: 'openai',
    model: 'gpt-6.1-sol',
    effort: 'high',
    git: { commit_hash: hex(r, 40), branch: 'main', repository_url: `https://github.com/acme/${project}.git` },
    prompt: opts.prompt ?? `Fan out a review of every package in ${project}`,
    turns: 2,
    archived: false,
    spawn: null,
    closes: [],
  };
  const plans: ThreadPlan[] = [root];
  const closedIds: string[] = [];
  const queue: { plan: ThreadPlan; depth: number; path: string }[] = [{ plan: root, depth: 0, path: '/root' }];
  for (let q = 0; q < queue.length && plans.length < opts.nodes; q++) {
    const { plan: parent, depth, path: parentPath } = queue[q]!;
    if (depth >= maxDepth) continue;
    const kids = 1 + Math.floor(r() * maxChildren);
    for (let k = 0; k < kids && plans.length < opts.nodes; k++) {
      const nickname = pick(r, NICKNAMES);
      const role = pick(r, ROLES);
      const agentPath = `${parentPath}/${role ?? 'agent'}_${k + 1}`;
      const childCreated = parent.createdMs + 1000 + Math.floor(r() * 4000);
      const child: ThreadPlan = {
        ...root,
        id: uuidV7(childCreated, r),
        createdMs: childCreated,
        prompt: `SUBTASK: ${agentPath.slice('/root/'.length)} of: ${root.prompt}`,
        turns: 1,
        source: {
          subagent: {
            thread_spawn: {
              parent_thread_id: parent.id,
              depth: depth + 1,
              agent_path: agentPath,
              agent_nickname: nickname,
              agent_role: role,
            },
          },
        },
        spawn: { parent: parent.id, depth: depth + 1, path: agentPath, nickname, role },
        git: null,
        closes: [],
      };
      if (r() < (opts.closedFraction ?? 0.2)) {
        parent.closes!.push(child.id);
        closedIds.push(child.id);
      }
      plans.push(child);
      queue.push({ plan: child, depth: depth + 1, path: agentPath });
    }
  }
  const files: string[] = [];
  let bytes = 0;
  for (const plan of plans) {
    const out = writeRollout(home, plan, r, opts.turnPaddingBytes ?? 800);
    files.push(out.file);
    bytes += out.bytes;
  }
  // A parent waits for its sub-agents and writes its answer after theirs: its file is the newer.
  const lastWrite = new Map(plans.map((p, i) => [p.id, fs.statSync(files[i]!).mtimeMs]));
  for (let i = plans.length - 1; i > 0; i--) {
    const p = plans[i]!;
    const parent = p.spawn!.parent;
    lastWrite.set(parent, Math.max(lastWrite.get(parent)!, lastWrite.get(p.id)! + 1000));
  }
  plans.forEach((p, i) => {
    const t = new Date(lastWrite.get(p.id)!);
    fs.utimesSync(files[i]!, t, t);
  });
  const parentOf = new Map(plans.flatMap((p) => (p.spawn ? [[p.id, p.spawn.parent] as const] : [])));
  return { rootId: root.id, ids: plans.map((p) => p.id), closedIds, parentOf, files, bytes };
}
