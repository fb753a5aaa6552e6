// Rollout shapes and metadata extraction, line by line (docs/FORMAT.md §2, §7.4). Real homes
// cover the shapes end to end (codex-parity.test.ts); these pin the rules on minimal files.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFile, type ParseResult } from './parse-file.ts';
import { tmpDir } from '../../../../test/support/tmp.ts';

const ID = '0198c0de-0000-7000-8000-00000000abcd';
const TS = '2025-01-02T12:00:00.000Z';

function parse(lines: (string | object)[], opts: { name?: string; trailingNewline?: boolean } = {}): ParseResult {
  const dir = tmpDir('spool-parser-');
  const name = opts.name ?? `rollout-2025-01-02T12-00-00-${ID}.jsonl`;
  const file = path.join(dir, name);
  const text = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
  fs.writeFileSync(file, opts.trailingNewline === false ? text : `${text}\n`);
  const m = /([0-9a-f-]{36})\.jsonl$/.exec(name);
  parsedDirs.set(`sessions/2025/01/02/${name}`, dir);
  return parseFile({ absPath: file, relPath: `sessions/2025/01/02/${name}`, archived: false, filenameId: m?.[1] ?? null, resume: null });
}

const env = (type: string, payload: unknown, extra: object = {}): object => ({ timestamp: TS, ...extra, type, payload });
const meta = (p: object = {}): object =>
  env('session_meta', {
    id: ID,
    timestamp: TS,
    cwd: '/tmp',
    originator: 'codex_cli_rs',
    cli_version: '0.98.0',
    source: 'cli',
    model_provider: 'openai',
    ...p,
  });
const userEvent = (message: string, extra: object = {}): object => env('event_msg', { type: 'user_message', message, ...extra });

describe('rollout shapes', () => {
  it('reads every RolloutItem type codex 0.169 writes without counting any as unknown, and counts an unknown one', () => {
    const r = parse([
      meta(),
      env('dynamic_tools_updated', { tools: [] }),
      env('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }),
      env('inter_agent_communication', { from: 'a', to: 'b', text: 'x' }),
      env('inter_agent_communication_metadata', { trigger_turn: true }),
      env('compacted', { message: 'summary' }),
      env('turn_context', {
        cwd: '/tmp',
        approval_policy: 'never',
        sandbox_policy: { type: 'read-only' },
        model: 'gpt-x',
        summary: 'auto',
      }),
      env('token_usage_record', { usage: {} }),
      env('world_state', { full: true, state: {} }),
      env('security_risk_score', { score: 1 }),
      userEvent('hello'),
      env('realtime_item', { x: 1 }),
      env('retained_context', { x: 1 }),
      env('from_the_future', { x: 1 }),
    ]);
    expect(r.status).toBe('ok');
    expect(r.counts.unknownTypes).toBe(1);
    expect(r.counts.badJson).toBe(0);
    expect(r.meta.preview).toBe('hello');
  });

  it('reads a paginated (0.169) rollout: ordinals, history mode, item_completed user messages', () => {
    const r = parse([
      env(
        'session_meta',
        {
          id: ID,
          session_id: ID,
          timestamp: TS,
          cwd: '/tmp',
          originator: 'codex_exec',
          cli_version: '0.169.0',
          source: 'exec',
          model_provider: 'mock',
          history_mode: 'paginated',
          thread_source: 'user',
        },
        { ordinal: 0 },
      ),
      env('event_msg', { type: 'task_started', turn_id: 't1', started_at: 1735819200 }, { ordinal: 1 }),
      env(
        'event_msg',
        {
          type: 'item_completed',
          thread_id: ID,
          turn_id: 't1',
          item: { type: 'UserMessage', id: 'u1', content: [{ type: 'text', text: 'paginated hello', text_elements: [] }] },
        },
        { ordinal: 2 },
      ),
      env('event_msg', { type: 'task_complete', turn_id: 't1' }, { ordinal: 3 }),
    ]);
    expect(r.format).toBe('paginated');
    expect(r.meta).toMatchObject({
      historyMode: 'paginated',
      preview: 'paginated hello',
      threadSource: 'user',
      cliVersion: '0.169.0',
      originator: 'codex_exec',
    });
  });

  it('reads a bare pre-0.47 rollout: header, bare items, state records, injected context skipped', () => {
    const r = parse([
      {
        id: ID,
        timestamp: TS,
        instructions: null,
        git: { commit_hash: 'abc', branch: 'main', repository_url: 'https://u:p@example.com/r.git' },
      },
      { record_type: 'state', previous_response_id: null },
      {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: '<environment_context>\n  <cwd>/work/repo</cwd>\n</environment_context>' }],
      },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'bare hello' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hi there' }] },
    ]);
    expect(r.format).toBe('bare');
    expect(r.threadId).toBe(ID);
    expect(r.meta).toMatchObject({
      id: ID,
      createdAtMs: Date.parse(TS),
      preview: 'bare hello',
      cwd: '/work/repo',
      git: { sha: 'abc', branch: 'main', originUrl: 'https://u:p@example.com/r.git' },
    });
    expect(r.turnCount).toBe(1);
  });

  it('splits two JSON objects a lost newline joined into one line (codex 0.8)', () => {
    const r = parse([
      { id: ID, timestamp: TS },
      `${JSON.stringify({ record_type: 'state', previous_response_id: 'resp_1' })}${JSON.stringify({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'joined {"a":1}{"b":2} text' }] })}`,
    ]);
    expect(r.counts.joinedObjects).toBe(1);
    expect(r.counts.badJson).toBe(0);
    expect(r.meta.preview).toBe('joined {"a":1}{"b":2} text');
  });

  it('keeps a last line without its newline out of the stored state (a writer may still finish it)', () => {
    const r = parse([meta(), userEvent('first'), '{"timestamp":"2025-01-02T12:00:01Z","type":"event_msg","payload":{"type":"token_co'], {
      trailingNewline: false,
    });
    expect(r.tailBytes).toBeGreaterThan(0);
    expect(r.parsedBytes).toBe(r.size - r.tailBytes);
    expect(JSON.parse(r.stateJson!).counts.badJson).toBe(0);
    expect(r.meta.preview).toBe('first');
  });
});

describe('metadata as codex extracts it', () => {
  it('takes identity and provenance from the first session_meta whose id is the thread’s', () => {
    const r = parse([
      meta({
        forked_from_id: '0198c0de-0000-7000-8000-0000000000ff',
        agent_nickname: 'Ada',
        agent_role: 'explorer',
        agent_path: '/root/ada',
        memory_mode: 'disabled',
      }),
      // a fork embeds its source's meta: ignored
      env('session_meta', {
        id: '0198c0de-0000-7000-8000-0000000000ff',
        timestamp: '2024-01-01T00:00:00Z',
        cwd: '/elsewhere',
        cli_version: '0.1.0',
        source: 'vscode',
        model_provider: 'other',
      }),
      userEvent('go'),
    ]);
    expect(r.meta).toMatchObject({
      id: ID,
      forkedFromId: '0198c0de-0000-7000-8000-0000000000ff',
      cwd: '/tmp',
      cliVersion: '0.98.0',
      source: 'cli',
      modelProvider: 'openai',
      agentNickname: 'Ada',
      agentRole: 'explorer',
      agentPath: '/root/ada',
      memoryMode: 'disabled',
      createdAtMs: Date.parse(TS),
    });
  });

  it('leaves the provider unset when session_meta has none (0.47), so the writer uses the configured default', () => {
    expect(parse([meta({ model_provider: undefined }), userEvent('x')]).meta.modelProvider).toBeNull();
  });

  it('strips everything up to "## My request for Codex:" from the preview', () => {
    const r = parse([meta(), userEvent('# Context from my IDE\nopen files: a.ts\n\n## My request for Codex:\n  Fix the bug  ')]);
    expect(r.meta.preview).toBe('Fix the bug');
    expect(r.meta.firstUserMessage).toBe('Fix the bug');
  });

  it('gives an image-only first message the preview "[Image]" and skips blank ones', () => {
    expect(parse([meta(), userEvent('', { images: ['data:image/png;base64,AAAA'] })]).meta.preview).toBe('[Image]');
    expect(parse([meta(), userEvent('   '), userEvent('second')]).meta.preview).toBe('second');
  });

  it('takes the preview from user_message events, not from response items', () => {
    const r = parse([
      meta(),
      env('response_item', {
        type: 'message',
        role: 'user',
        content: [{ type: 'input_text', text: '<user_instructions>x</user_instructions>' }],
      }),
      userEvent('the real prompt'),
    ]);
    expect(r.meta.preview).toBe('the real prompt');
  });

  it('follows the latest decodable turn_context for model, effort and cwd', () => {
    const r = parse([
      meta(),
      env('turn_context', {
        cwd: '/a',
        approval_policy: 'never',
        sandbox_policy: { type: 'read-only' },
        model: 'm1',
        effort: 'high',
        summary: 'auto',
      }),
      env('turn_context', { cwd: '/b', approval_policy: 'never', model: 'm2', summary: 'auto' }),
    ]);
    expect(r.meta).toMatchObject({ model: 'm2', reasoningEffort: null, cwd: '/b' });
  });

  it('ignores a turn_context in the 0.47 sandbox shape that codex 0.169 cannot decode', () => {
    const r = parse([
      meta(),
      env('turn_context', {
        cwd: '/old',
        approval_policy: 'never',
        sandbox_policy: { mode: 'read-only' },
        model: 'gpt-old',
        summary: 'auto',
      }),
    ]);
    expect(r.meta).toMatchObject({ model: null, cwd: '/tmp' });
  });

  it('keeps the latest total token count and a thread_name_updated name', () => {
    const r = parse([
      meta(),
      env('event_msg', { type: 'token_count', info: { total_token_usage: { total_tokens: 10 } } }),
      env('event_msg', { type: 'token_count', info: null }),
      env('event_msg', { type: 'token_count', info: { total_token_usage: { total_tokens: 25 } } }),
      env('event_msg', { type: 'thread_name_updated', thread_id: ID, thread_name: '  Old name  ' }),
    ]);
    expect(r.meta.tokensUsed).toBe(25);
    expect(r.meta.name).toBe('Old name');
  });

  it('takes git from the latest session_meta that has it, and keeps it when a later one has none', () => {
    const r = parse([
      meta({ git: { commit_hash: 'a1', branch: 'main' } }),
      meta({ git: { commit_hash: 'b2', branch: 'dev', repository_url: 'git@x:y.git' } }),
      meta({}),
    ]);
    expect(r.meta.git).toEqual({ sha: 'b2', branch: 'dev', originUrl: 'git@x:y.git' });
  });

  it('is not a rollout when nothing names a thread', () => {
    expect(parse(['{"hello":"world"}'], { name: 'export.jsonl' }).status).toBe('foreign');
    expect(parse([''], { name: 'empty.jsonl', trailingNewline: false }).status).toBe('empty');
  });
});

describe('resuming a parse', () => {
  function resumeOf(r: ParseResult): NonNullable<Parameters<typeof parseFile>[0]['resume']> {
    return { offset: r.parsedBytes, lines: r.parsedLines, headHash: r.headHash, edgeHash: r.edgeHash, stateJson: r.stateJson! };
  }
  const big = (i: number): object => env('event_msg', { type: 'agent_message', message: `answer ${i} ${'z'.repeat(3000)}` });

  it('parses only the appended bytes of a grown file', () => {
    const first = parse([meta(), userEvent('one'), big(1), big(2)]);
    const file = path.join(tmpDirOf(first), path.basename(first.relPath));
    fs.appendFileSync(file, `${JSON.stringify(userEvent('two'))}\n`);
    const next = parseFile({ absPath: file, relPath: first.relPath, archived: false, filenameId: ID, resume: resumeOf(first) });
    expect(next.reset).toBe(false);
    expect(next.fromOffset).toBe(first.parsedBytes);
    expect(next.bytesRead).toBe(fs.statSync(file).size - first.parsedBytes);
    expect(next.meta.preview).toBe('one');
  });

  it('starts over when the file was rewritten in place, even behind an unchanged head', () => {
    const first = parse([meta(), userEvent('one'), big(1), big(2), big(3)]);
    const file = path.join(tmpDirOf(first), path.basename(first.relPath));
    const lines = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    lines[4] = JSON.stringify(big(4)); // beyond the first 4 kB
    lines.push(JSON.stringify(userEvent('more')));
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const next = parseFile({ absPath: file, relPath: first.relPath, archived: false, filenameId: ID, resume: resumeOf(first) });
    expect(next.headHash).toBe(first.headHash);
    expect(next.reset).toBe(true);
    expect(next.fromOffset).toBe(0);
    expect(next.counts.badJson).toBe(0);
  });
});

const parsedDirs = new Map<string, string>();
function tmpDirOf(r: ParseResult): string {
  return parsedDirs.get(r.relPath)!;
}
