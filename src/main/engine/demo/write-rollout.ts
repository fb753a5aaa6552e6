// Writes one rollout as codex writes it: paginated (codex 0.169), legacy envelopes (codex 0.98) or
// the bare pre-0.47 shape, from a thread's plan. Every generated home, tree and long thread goes
// through here, so the index reads the same shapes it reads on real data.
import fs from 'node:fs';
import path from 'node:path';
import { hex, pick, uuidV7 } from './random.ts';
import { ANSWERS, FOLLOWUPS } from './vocabulary.ts';

export function isoAt(ms: number): string {
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
