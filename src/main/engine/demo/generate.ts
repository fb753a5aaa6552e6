// Spool's generator of Codex-format homes: the demo home the app offers when a home is empty, and
// the large homes, deep trees and long threads the benchmarks and end-to-end tests need. It writes
// what codex 0.169 (paginated) and codex 0.98 (legacy) write, plus the bare pre-0.47 shape, so the
// same index paths run as on real data.
//
// This module writes whole demo homes and is the generator's face: what benchmarks, tests and the
// app import from the generator (trees, single rollouts, the seeded generator) is handed on here.
import fs from 'node:fs';
import path from 'node:path';
import { hex, pick, prng, uuidV4, uuidV7 } from './random.ts';
import { BRANCHES, EFFORTS, MODELS, NAMES, NICKNAMES, ORIGINS, PROJECTS, PROMPTS, PROVIDERS, ROLES, SOURCES } from './vocabulary.ts';
import { isoAt, writeRollout, type ThreadPlan } from './write-rollout.ts';

export { prng, uuidV4, uuidV7 } from './random.ts';
export { writeRollout, type ThreadPlan } from './write-rollout.ts';
export { generateAgentTree, type AgentTreeOptions, type AgentTreeSummary } from './agent-tree.ts';

export interface DemoOptions {
  home: string;
  threads: number;
  seed?: number;
  /** Spread creation times over this many days before `nowMs`. */
  days?: number;
  nowMs?: number;
  /** Fraction of root threads that spawn a sub-agent tree. */
  treeFraction?: number;
  archivedFraction?: number;
  namedFraction?: number;
  /** Padding per turn (bytes of model-visible history), to reach realistic rollout sizes. */
  turnPaddingBytes?: number;
  maxTurns?: number;
  /** Write config.toml naming this default provider (omit to leave config alone). */
  defaultProvider?: string;
}

export interface GenerateSummary {
  threads: number;
  files: number;
  bytes: number;
  ids: string[];
}

/** Writes a home of `threads` threads: roots, sub-agent trees, archived and named ones. */
export function generateDemoHome(opts: DemoOptions): GenerateSummary {
  const r = prng(opts.seed ?? 1);
  const now = opts.nowMs ?? Date.now();
  const days = opts.days ?? 120;
  const home = path.resolve(opts.home);
  fs.mkdirSync(home, { recursive: true });
  if (opts.defaultProvider) fs.writeFileSync(path.join(home, 'config.toml'), `model_provider = "${opts.defaultProvider}"\n`);
  const names: string[] = [];
  const ids: string[] = [];
  let files = 0;
  let bytes = 0;
  let remaining = opts.threads;
  let rootIndex = 0;
  while (remaining > 0) {
    const createdMs = now - Math.floor((remaining / opts.threads) * days * 86_400_000 * (0.9 + r() * 0.1)) - Math.floor(r() * 60_000);
    const project = pick(r, PROJECTS);
    const inRepo = r() < 0.8;
    const cwd = `/home/dev/src/${project}${r() < 0.15 ? '/packages/core' : ''}`;
    const format: ThreadPlan['format'] = r() < 0.06 ? 'bare' : r() < 0.35 ? 'legacy' : 'paginated';
    const root: ThreadPlan = {
      id: format === 'bare' ? uuidV4(r) : uuidV7(createdMs, r),
      createdMs,
      format,
      source: pick(r, SOURCES),
      cwd,
      provider: r() < 0.1 ? null : pick(r, PROVIDERS),
      model: pick(r, MODELS),
      effort: pick(r, EFFORTS),
      git: inRepo
        ? {
            commit_hash: hex(r, 40),
            branch: pick(r, BRANCHES),
            ...(r() < 0.9 ? { repository_url: pick(r, ORIGINS).replace('%p', project) } : {}),
          }
        : null,
      prompt: `${pick(r, PROMPTS)}${rootIndex % 7 === 3 ? `\n\n${'Please keep the change minimal. '.repeat(3)}` : ''}`,
      turns: 1 + Math.floor(r() * Math.min(opts.maxTurns ?? 5, 5)),
      archived: r() < (opts.archivedFraction ?? 0.08),
      spawn: null,
    };
    const family: ThreadPlan[] = [root];
    if (format !== 'bare' && remaining > 1 && r() < (opts.treeFraction ?? 0.12)) {
      // A tree of sub-agents: up to 3 levels, 1–4 children each, within the remaining budget.
      const grow = (parent: ThreadPlan, depth: number, pathPrefix: string): void => {
        const kids = 1 + Math.floor(r() * 4);
        for (let k = 0; k < kids && family.length < remaining; k++) {
          const nickname = pick(r, NICKNAMES);
          const agentPath = `${pathPrefix}/${nickname.toLowerCase()}_${k + 1}`;
          const role = pick(r, ROLES);
          const childCreated = parent.createdMs + 2000 + Math.floor(r() * 5000);
          const child: ThreadPlan = {
            ...root,
            id: uuidV7(childCreated, r),
            createdMs: childCreated,
            format: 'paginated',
            prompt: `SUBTASK: part ${k + 1} of: ${root.prompt.split('\n')[0]}`,
            turns: 1,
            archived: root.archived,
            source: {
              subagent: {
                thread_spawn: { parent_thread_id: parent.id, depth, agent_path: agentPath, agent_nickname: nickname, agent_role: role },
              },
            },
            spawn: { parent: parent.id, depth, path: agentPath, nickname, role },
          };
          family.push(child);
          if (depth < 3 && r() < 0.35) grow(child, depth + 1, agentPath);
        }
      };
      grow(root, 1, '/root');
    }
    for (const plan of family) {
      const out = writeRollout(home, plan, r, opts.turnPaddingBytes ?? 1500);
      files += 1;
      bytes += out.bytes;
      ids.push(plan.id);
      if (!plan.spawn && r() < (opts.namedFraction ?? 0.15))
        names.push(JSON.stringify({ id: plan.id, thread_name: pick(r, NAMES), updated_at: isoAt(plan.createdMs + 60_000) }));
    }
    remaining -= family.length;
    rootIndex++;
  }
  if (names.length > 0) fs.appendFileSync(path.join(home, 'session_index.jsonl'), `${names.join('\n')}\n`);
  return { threads: ids.length, files, bytes, ids };
}
