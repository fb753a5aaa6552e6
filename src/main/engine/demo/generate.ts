// Spool's generator of Codex-format homes: the demo home the app offers when a home is empty, and
// the large homes, deep trees and long threads the benchmarks and end-to-end tests need. It writes
// what codex 0.169 (paginated) and codex 0.98 (legacy) write, plus the bare pre-0.47 shape, so the
// same index paths run as on real data.
import fs from 'node:fs';
import path from 'node:path';

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

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
const hex = (r: () => number, n: number): string => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');

/** A UUIDv7 whose time part is `ms` (as codex's ids are). */
export function uuidV7(ms: number, r: () => number): string {
  const t = Math.floor(ms).toString(16).padStart(12, '0');
  const variant = (8 + Math.floor(r() * 4)).toString(16);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${hex(r, 3)}-${variant}${hex(r, 3)}-${hex(r, 12)}`;
}

export function uuidV4(r: () => number): string {
  const variant = (8 + Math.floor(r() * 4)).toString(16);
  return `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-${variant}${hex(r, 3)}-${hex(r, 12)}`;
}

const PROJECTS = [
  'atlas-api',
  'billing-service',
  'web-dashboard',
  'ml-pipeline',
  'mobile-app',
  'infra-terraform',
  'docs-site',
  'auth-gateway',
  'search-indexer',
  'cli-tools',
  'data-warehouse',
  'design-system',
];
const BRANCHES = ['main', 'develop', 'feature/login-page', 'fix/flaky-ci', 'release/2.3', 'refactor/config-loader', 'chore/deps'];
const ORIGINS = [
  'https://github.com/acme/%p.git',
  'git@github.com:acme/%p.git',
  'https://gitlab.com/acme/%p.git',
  'https://deploy:s3cr3t-token@github.com/acme/%p.git',
];
const PROVIDERS = ['openai', 'openai', 'openai', 'azure', 'ollama'];
const MODELS = ['gpt-6.1-sol', 'gpt-6-luna', 'gpt-5.2-codex', 'o4-mini'];
const EFFORTS = ['low', 'medium', 'high', null] as const;
const SOURCES = ['cli', 'cli', 'vscode', 'vscode', 'exec', 'mcp'] as const;
const PROMPTS = [
  'Explain what this repository does and where the entry point is',
  'Find why the unit tests fail on CI but pass locally',
  'Add a --verbose flag to the CLI and document it',
  'Refactor the config loader to use async fs APIs',
  'Why is the build output so large? Suggest ways to shrink it',
  'Rename getUserData to fetchUserProfile across the codebase',
  'Add input validation to the signup form handler',
  'Investigate the memory leak in the websocket reconnect logic',
  'Draft release notes for version 2.3.0',
  'Implement pagination for the /api/items endpoint',
  'Migrate the SQLite schema to add an index on created_at',
  'Make the logger output JSON when LOG_FORMAT=json',
  'Review this module for security issues',
  'Speed up the startup time of the dev server',
  'Plan the migration from webpack to vite',
  'Déploie la documentation — ünïcödé, 日本語のテスト 🚀',
];
const FOLLOWUPS = [
  'Thanks. Can you also add tests for that?',
  'Now apply the same change to the other module.',
  'Please summarize what you changed in two sentences.',
  'Looks good. What are the risks?',
  'Run the linter and fix what it finds.',
];
const NAMES = [
  'Release prep',
  'CI flake hunt',
  'Auth refactor 🔐',
  'Perf: dev server',
  'Docs cleanup',
  'Importer review',
  'Pagination API',
  'Logger JSON',
];
const NICKNAMES = [
  'Ada',
  'Boole',
  'Curie',
  'Darwin',
  'Euler',
  'Faraday',
  'Gauss',
  'Hopper',
  'Ito',
  'Jacobi',
  'Kepler',
  'Lovelace',
  'Maxwell',
  'Noether',
  'Ohm',
  'Parfit',
];
const ROLES = ['explorer', 'worker', 'reviewer', null] as const;
const ANSWERS = [
  'The entry point is `src/index.ts`, which wires the HTTP server and the job queue.',
  'The failure comes from a timezone assumption in `parseDuration`; CI runs in UTC.',
  'Done. I added the flag, threaded it through the logger, and documented it in the README.',
  '## Plan\n\n1. Reproduce the issue\n2. Add a failing test\n3. Fix it\n\n```ts\nexport function retry<T>(fn: () => Promise<T>, n = 3): Promise<T> {\n  return fn().catch((e) => (n > 0 ? retry(fn, n - 1) : Promise.reject(e)));\n}\n```\n',
  'The bundle includes two copies of `lodash`; deduplicating them saves 240 kB.',
];

function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}

function fileStamp(ms: number): string {
  return isoAt(ms).slice(0, 19).replace(/:/g, '-');
}

export interface ThreadPlan {
  id: string;
  createdMs: number;
  format: 'paginated' | 'legacy' | 'bare';
  source: unknown;
  cwd: string;
  provider: string | null;
  model: string;
  effort: string | null;
  git: { commit_hash: string; branch: string; repository_url?: string } | null;
  prompt: string;
  turns: number;
  archived: boolean;
  spawn: { parent: string; depth: number; path: string; nickname: string; role: string | null } | null;
  /** Sub-agents this thread closes with `close_agent` at the end of its last turn (multi-agent v1). */
  closes?: string[];
}

/** Writes one rollout in the format of its plan; returns its path and size. */
export function writeRollout(home: string, plan: ThreadPlan, r: () => number, paddingBytes: number): { file: string; bytes: number } {
  const name = `rollout-${fileStamp(plan.createdMs)}-${plan.id}.jsonl`;
  const dir = plan.archived
    ? path.join(home, 'archived_sessions')
    : path.join(home, 'sessions', ...isoAt(plan.createdMs).slice(0, 10).split('-'));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  let lines: string[] = [];
  // Written in chunks, so a rollout of hundreds of megabytes (the benchmarks' long threads) never
  // has to exist as one string.
  fs.writeFileSync(file, '');
  let bytes = 0;
  let pending = 0;
  const flush = (): void => {
    if (lines.length === 0) return;
    const chunk = `${lines.join('\n')}\n`;
    fs.appendFileSync(file, chunk);
    bytes += Buffer.byteLength(chunk);
    lines = [];
    pending = 0;
  };
  let t = plan.createdMs;
  let ordinal = 0;
  const env = (type: string, payload: unknown): void => {
    const base: Record<string, unknown> = { timestamp: isoAt(t) };
    if (plan.format === 'paginated') base['ordinal'] = ordinal++;
    base['type'] = type;
    base['payload'] = payload;
    const line = JSON.stringify(base);
    lines.push(line);
    pending += line.length;
    if (pending > 8 * 1024 * 1024) flush();
  };
  const padding = paddingBytes > 0 ? 'x'.repeat(paddingBytes) : '';

  if (plan.format === 'bare') {
    lines.push(JSON.stringify({ id: plan.id, timestamp: isoAt(t), instructions: null, ...(plan.git ? { git: plan.git } : {}) }));
    for (let turn = 0; turn < plan.turns; turn++) {
      const prompt = turn === 0 ? plan.prompt : pick(r, FOLLOWUPS);
      lines.push(JSON.stringify({ record_type: 'state' }));
      lines.push(JSON.stringify({ type: 'message', id: null, role: 'user', content: [{ type: 'input_text', text: prompt }] }));
      lines.push(
        JSON.stringify({
          type: 'message',
          id: `msg_${hex(r, 16)}`,
          role: 'assistant',
          content: [{ type: 'output_text', text: pick(r, ANSWERS) }],
        }),
      );
    }
  } else {
    const meta: Record<string, unknown> = {
      id: plan.id,
      timestamp: isoAt(t),
      cwd: plan.cwd,
      originator: plan.source === 'vscode' ? 'codex_vscode' : plan.source === 'exec' ? 'codex_exec' : 'codex_cli_rs',
      cli_version: plan.format === 'paginated' ? '0.169.0' : '0.98.0',
      source: plan.source,
      ...(plan.provider ? { model_provider: plan.provider } : {}),
      base_instructions: { text: `You are Codex, a coding agent. ${padding.slice(0, 2000)}` },
      ...(plan.spawn
        ? { agent_nickname: plan.spawn.nickname, agent_path: plan.spawn.path, ...(plan.spawn.role ? { agent_role: plan.spawn.role } : {}) }
        : {}),
      ...(plan.format === 'paginated' ? { session_id: plan.id, history_mode: 'paginated' } : {}),
      ...(plan.git ? { git: plan.git } : {}),
    };
    env('session_meta', meta);
    for (let turn = 0; turn < plan.turns; turn++) {
      const turnId = uuidV7(t, r);
      const prompt = turn === 0 ? plan.prompt : pick(r, FOLLOWUPS);
      const answer = pick(r, ANSWERS);
      t += 1000 + Math.floor(r() * 20000);
      const started = Math.floor(t / 1000);
      env('event_msg', {
        type: 'task_started',
        turn_id: turnId,
        started_at: started,
        model_context_window: 258400,
        collaboration_mode_kind: 'default',
      });
      env('response_item', {
        type: 'message',
        role: 'developer',
        content: [{ type: 'input_text', text: `<permissions instructions>${padding}` }],
      });
      env('turn_context', {
        turn_id: turnId,
        cwd: plan.cwd,
        approval_policy: 'on-request',
        sandbox_policy: { type: 'workspace-write' },
        model: plan.model,
        ...(plan.effort ? { effort: plan.effort } : {}),
        summary: 'auto',
      });
      env('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] });
      if (plan.format === 'paginated') {
        env('event_msg', {
          type: 'item_completed',
          thread_id: plan.id,
          turn_id: turnId,
          item: { type: 'UserMessage', id: uuidV7(t, r), content: [{ type: 'text', text: prompt, text_elements: [] }] },
          started_at_ms: t,
          completed_at_ms: t,
        });
      } else {
        env('event_msg', { type: 'user_message', message: prompt, images: [], local_images: [], text_elements: [] });
      }
      if (r() < 0.4) {
        t += 300;
        const summary = `**Considering the request**\n\nThe user asked: ${prompt.slice(0, 60)}`;
        if (plan.format === 'paginated')
          env('event_msg', {
            type: 'item_completed',
            thread_id: plan.id,
            turn_id: turnId,
            item: { type: 'Reasoning', id: `rs_${hex(r, 16)}`, summary_text: [summary], raw_content: [] },
            started_at_ms: t,
            completed_at_ms: t,
          });
        else env('event_msg', { type: 'agent_reasoning', text: summary });
      }
      if (r() < 0.5) {
        t += 500;
        const callId = `call_${hex(r, 16)}`;
        env('response_item', {
          type: 'function_call',
          name: 'exec_command',
          arguments: JSON.stringify({ cmd: 'git status --short' }),
          call_id: callId,
        });
        const output = ` M src/index.ts\n M README.md\n?? notes.txt\n`;
        env('response_item', { type: 'function_call_output', call_id: callId, output });
        if (plan.format === 'paginated') {
          env('event_msg', {
            type: 'item_completed',
            thread_id: plan.id,
            turn_id: turnId,
            item: {
              type: 'CommandExecution',
              id: callId,
              process_id: String(1000 + Math.floor(r() * 9000)),
              command: ['/bin/bash', '-lc', 'git status --short'],
              cwd: `file://${plan.cwd}`,
              parsed_cmd: [{ type: 'unknown', cmd: 'git status --short' }],
              source: 'agent',
              status: 'completed',
              aggregated_output: output,
              exit_code: 0,
              duration: { secs: 0, nanos: 8_000_000 },
            },
            started_at_ms: t,
            completed_at_ms: t + 8,
          });
        }
      }
      if (turn === plan.turns - 1) {
        for (const child of plan.closes ?? []) {
          t += 5;
          const callId = `call_${hex(r, 16)}`;
          env('response_item', {
            type: 'function_call',
            name: 'close_agent',
            namespace: 'multi_agent_v1',
            arguments: JSON.stringify({ target: child }),
            call_id: callId,
          });
          env('response_item', {
            type: 'function_call_output',
            call_id: callId,
            output: JSON.stringify({ previous_status: { completed: 'done' } }),
          });
        }
      }
      t += 800 + Math.floor(r() * 4000);
      env('response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: answer }] });
      if (plan.format === 'paginated')
        env('event_msg', {
          type: 'item_completed',
          thread_id: plan.id,
          turn_id: turnId,
          item: { type: 'AgentMessage', id: `msg_${hex(r, 16)}`, content: [{ type: 'Text', text: answer }] },
          started_at_ms: t,
          completed_at_ms: t,
        });
      else env('event_msg', { type: 'agent_message', message: answer });
      const total = 12000 * (turn + 1) + Math.floor(r() * 3000);
      env('event_msg', {
        type: 'token_count',
        info: {
          total_token_usage: {
            input_tokens: total - 400,
            cached_input_tokens: 0,
            output_tokens: 400,
            reasoning_output_tokens: 0,
            total_tokens: total,
          },
          last_token_usage: null,
          model_context_window: 258400,
        },
        rate_limits: null,
      });
      env('event_msg', {
        type: 'task_complete',
        turn_id: turnId,
        last_agent_message: answer,
        started_at: started,
        completed_at: Math.floor(t / 1000),
        duration_ms: t - started * 1000,
      });
    }
  }
  flush();
  const mtime = new Date(t);
  fs.utimesSync(file, mtime, mtime);
  return { file, bytes };
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
