// Homes for benchmarks, generated once and cached under the bench work folder.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generateDemoHome, prng, uuidV7, writeRollout, type DemoOptions, type ThreadPlan } from '../../src/main/engine/demo/generate.ts';
import { realHome, referenceDir, REPO_ROOT, STANDARD_HOME } from '../../test/support/real-home.ts';
import { codexBinary } from '../../test/support/codex-reference.ts';

/** A home of `threads` threads written by Spool's generator at realistic sizes (~40–110 kB each). */
export function demoHome(workDir: string, threads: number, extra: Partial<DemoOptions> = {}, tag = ''): string {
  const home = path.join(workDir, 'homes', `demo-${threads}${tag ? `-${tag}` : ''}`);
  const done = path.join(home, '.generated');
  if (!fs.existsSync(done)) {
    fs.rmSync(home, { recursive: true, force: true });
    generateDemoHome({ home, threads, seed: 5, turnPaddingBytes: 12_000, ...extra });
    fs.writeFileSync(done, new Date().toISOString());
  }
  return home;
}

/**
 * A home of `count` families cloned from a home the real codex CLI wrote (the reference scripts'
 * `scale` mode): real rollout bytes, ~1.3 threads per family. With `index`, the real app-server
 * has backfilled its own state DB there (and the time it took is in the returned summary).
 */
export function realScaleHome(workDir: string, count: number, index = false): { home: string; summary: Record<string, unknown> } {
  const home = path.join(workDir, 'homes', `real-scale-${count}${index ? '-indexed' : ''}`);
  const summaryFile = path.join(workDir, 'homes', `real-scale-${count}${index ? '-indexed' : ''}.summary.json`);
  if (!fs.existsSync(summaryFile)) {
    const from = realHome(...STANDARD_HOME).home;
    const args = [path.join(referenceDir(), 'gen-home.mjs'), 'scale', '--from', from, '--home', home, '--count', String(count), '--fresh'];
    if (index) args.push('--index');
    const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60 * 60_000, maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`gen-home scale failed: ${r.stderr.slice(-4000)}`);
    const start = r.stdout.indexOf('{');
    fs.writeFileSync(summaryFile, start >= 0 ? r.stdout.slice(start) : '{}');
  }
  return { home, summary: JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as Record<string, unknown> };
}

export interface LongThread {
  home: string;
  threadId: string;
  file: string;
  bytes: number;
  turns: number;
}

/**
 * A home holding one long thread: `turns` turns in codex 0.169's paginated format (or codex 0.98's
 * legacy one) padded to about `bytes` in total, as a heavy user's months-long thread. Cached.
 */
export async function longThreadHome(
  workDir: string,
  o: { turns: number; bytes: number; format: 'paginated' | 'legacy' },
): Promise<LongThread> {
  const home = path.join(workDir, 'homes', `long-${o.format}-${o.turns}-${Math.round(o.bytes / 1e6)}mb`);
  const done = path.join(home, '.generated.json');
  if (!fs.existsSync(done)) {
    fs.rmSync(home, { recursive: true, force: true });
    fs.mkdirSync(home, { recursive: true });
    const r = prng(7);
    const now = Date.now();
    const createdMs = now - 30 * 86_400_000;
    const plan: ThreadPlan = {
      id: uuidV7(createdMs, r),
      createdMs,
      format: o.format,
      source: 'exec',
      cwd: '/home/dev/src/atlas-api',
      provider: 'mock',
      model: 'mock-model',
      effort: 'medium',
      git: null,
      prompt: 'Keep improving the importer until the nightly run is green',
      turns: o.turns,
      archived: false,
      spawn: null,
    };
    // About 3 kB of each turn is not padding (messages, tool calls, token counts, turn context).
    const padding = Math.max(0, Math.round(o.bytes / o.turns) - 3000);
    const out = writeRollout(home, plan, r, padding);
    const { configToml } = await codexBinary();
    fs.writeFileSync(path.join(home, 'config.toml'), configToml(9));
    fs.writeFileSync(done, JSON.stringify({ threadId: plan.id, file: out.file, bytes: out.bytes, turns: o.turns }));
  }
  const meta = JSON.parse(fs.readFileSync(done, 'utf8')) as Omit<LongThread, 'home'>;
  return { home, ...meta };
}

/** A home whose only thread ran one command with an output of `outputBytes` (one enormous line). Cached. */
export async function hugeLineHome(workDir: string, outputBytes: number): Promise<LongThread> {
  const home = path.join(workDir, 'homes', `huge-line-${Math.round(outputBytes / 1e6)}mb`);
  const done = path.join(home, '.generated.json');
  if (!fs.existsSync(done)) {
    fs.rmSync(home, { recursive: true, force: true });
    const r = prng(11);
    const createdMs = Date.now() - 86_400_000;
    const id = uuidV7(createdMs, r);
    const dir = path.join(home, 'sessions', ...new Date(createdMs).toISOString().slice(0, 10).split('-'));
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `rollout-${new Date(createdMs).toISOString().slice(0, 19).replace(/:/g, '-')}-${id}.jsonl`);
    const ts = new Date(createdMs).toISOString();
    let ordinal = 0;
    const line = (type: string, payload: unknown): string => `${JSON.stringify({ timestamp: ts, ordinal: ordinal++, type, payload })}\n`;
    const turn = 'huge-turn';
    fs.writeFileSync(
      file,
      line('session_meta', {
        id,
        session_id: id,
        timestamp: ts,
        cwd: '/home/dev/src/atlas-api',
        originator: 'codex_exec',
        cli_version: '0.169.0',
        source: 'exec',
        model_provider: 'mock',
        history_mode: 'paginated',
      }) +
        line('event_msg', { type: 'task_started', turn_id: turn, started_at: Math.floor(createdMs / 1000) }) +
        line('event_msg', {
          type: 'item_completed',
          thread_id: id,
          turn_id: turn,
          item: { type: 'UserMessage', id: 'u1', content: [{ type: 'text', text: 'Print the whole build log', text_elements: [] }] },
        }),
    );
    // The output line is written in pieces: it never exists as one string here either.
    const head = JSON.stringify({
      timestamp: ts,
      ordinal: ordinal++,
      type: 'event_msg',
      payload: {
        type: 'item_completed',
        thread_id: id,
        turn_id: turn,
        item: {
          type: 'CommandExecution',
          id: 'c1',
          command: ['make', 'V=1'],
          cwd: 'file:///home/dev/src/atlas-api',
          parsed_cmd: [],
          source: 'agent',
          status: 'completed',
          exit_code: 0,
          duration: { secs: 312, nanos: 0 },
          aggregated_output: '@@OUT@@',
        },
      },
    });
    const [before, after] = head.split('"@@OUT@@"') as [string, string];
    fs.appendFileSync(file, `${before}"`);
    const chunk = JSON.stringify(
      'cc -O2 -c src/importer/row.c -o build/row.o  # warning: unused variable ‘n’ [-Wunused-variable]\n'.repeat(10_000),
    ).slice(1, -1);
    for (let written = 0; written < outputBytes; written += chunk.length) fs.appendFileSync(file, chunk);
    fs.appendFileSync(file, `"${after}\n`);
    fs.appendFileSync(
      file,
      line('event_msg', {
        type: 'item_completed',
        thread_id: id,
        turn_id: turn,
        item: { type: 'AgentMessage', id: 'a1', content: [{ type: 'Text', text: 'The build passed.' }] },
      }) + line('event_msg', { type: 'task_complete', turn_id: turn }),
    );
    const { configToml } = await codexBinary();
    fs.writeFileSync(path.join(home, 'config.toml'), configToml(9));
    fs.writeFileSync(done, JSON.stringify({ threadId: id, file, bytes: fs.statSync(file).size, turns: 1 }));
  }
  const meta = JSON.parse(fs.readFileSync(done, 'utf8')) as Omit<LongThread, 'home'>;
  return { home, ...meta };
}
