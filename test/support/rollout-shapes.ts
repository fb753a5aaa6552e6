// Rollouts of the shapes real homes hold only by chance: written by an old codex that stopped after
// its header, or by any codex whose last line has no newline (a writer that died mid-append, codex
// 0.8 leaving none). The mixed home written by the real CLI has some of them on some runs only, so
// tests and the fault suite that must meet every shape write them here, deterministically, beside
// one whole conversation in each format.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const SHAPES = [
  /** A whole conversation in each format, so that every format is in both collections too. */
  'bare',
  'legacy',
  'paginated',
  /** codex < 0.47: `{id, timestamp}` and nothing else, terminated. */
  'header-only',
  /** The same header without its newline: the old CLI stopped before writing more (84 bytes). */
  'header-only, unfinished',
  /** codex < 0.47 with a conversation whose last object has no newline (codex 0.8). */
  'bare, unfinished',
  /** A legacy envelope rollout holding only its session_meta, without its newline. */
  'legacy meta only, unfinished',
  /** A legacy envelope rollout with events but no session_meta (its id from the file name). */
  'legacy without session_meta',
  /** A legacy rollout with a conversation, cut mid-line by a writer that died. */
  'legacy, torn last line',
  /** A paginated rollout holding only its session_meta, without its newline. */
  'paginated meta only, unfinished',
] as const;
export type CraftedShape = (typeof SHAPES)[number];

export interface CraftedRollout {
  shape: CraftedShape;
  id: string;
  /** Path relative to the home. */
  rel: string;
}

/** A deterministic v4-looking id from a seed string, so every run writes the same files. */
function idFrom(seed: string): string {
  const h = crypto.createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const env = (ts: string, type: string, payload: object, extra: object = {}): string =>
  JSON.stringify({ timestamp: ts, ...extra, type, payload });

function content(shape: CraftedShape, id: string, ts: string): string {
  const meta = (p: object = {}): object => ({
    id,
    timestamp: ts,
    cwd: '/work/shapes',
    originator: 'codex_cli_rs',
    cli_version: '0.98.0',
    source: 'cli',
    model_provider: 'openai',
    ...p,
  });
  const user = (text: string): object => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text }] });
  const agent = (text: string): object => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });
  switch (shape) {
    case 'bare':
      return `${[JSON.stringify({ id, timestamp: ts }), JSON.stringify(user('an old question')), JSON.stringify(agent('an old answer'))].join('\n')}\n`;
    case 'legacy':
      return `${[env(ts, 'session_meta', meta()), env(ts, 'event_msg', { type: 'user_message', message: 'a question' }), env(ts, 'event_msg', { type: 'agent_message', message: 'an answer' })].join('\n')}\n`;
    case 'paginated': {
      const p = meta({ cli_version: '0.169.0', session_id: id, history_mode: 'paginated' });
      return `${[
        env(ts, 'session_meta', p, { ordinal: 0 }),
        env(ts, 'event_msg', { type: 'task_started', turn_id: 't1' }, { ordinal: 1 }),
        env(
          ts,
          'event_msg',
          {
            type: 'item_completed',
            thread_id: id,
            turn_id: 't1',
            item: { type: 'UserMessage', id: 'u1', content: [{ type: 'text', text: 'a question', text_elements: [] }] },
          },
          { ordinal: 2 },
        ),
        env(ts, 'event_msg', { type: 'task_complete', turn_id: 't1' }, { ordinal: 3 }),
      ].join('\n')}\n`;
    }
    case 'header-only':
      return `${JSON.stringify({ id, timestamp: ts })}\n`;
    case 'header-only, unfinished':
      return JSON.stringify({ id, timestamp: ts });
    case 'bare, unfinished':
      return [
        JSON.stringify({ id, timestamp: ts }),
        JSON.stringify({ record_type: 'state' }),
        JSON.stringify(user('an old question')),
        JSON.stringify(agent('an old answer')),
      ].join('\n');
    case 'legacy meta only, unfinished':
      return env(ts, 'session_meta', meta());
    case 'legacy without session_meta':
      return `${[env(ts, 'event_msg', { type: 'user_message', message: 'a question without a header' }), env(ts, 'event_msg', { type: 'agent_message', message: 'an answer' })].join('\n')}\n`;
    case 'legacy, torn last line':
      return `${[env(ts, 'session_meta', meta()), env(ts, 'event_msg', { type: 'user_message', message: 'a question before the crash' })].join('\n')}\n{"timestamp":"${ts}","type":"event_msg","payload":{"type":"agent_mes`;
    case 'paginated meta only, unfinished':
      return env(ts, 'session_meta', meta({ cli_version: '0.169.0', session_id: id, history_mode: 'paginated' }), { ordinal: 0 });
  }
}

/**
 * Writes one rollout of each shape (`copies` of each) into `home`'s sessions/ (flat, as old codex
 * did) or archived_sessions/, and returns them. `tag` keeps the ids of separate calls apart.
 */
export function writeCraftedShapes(
  home: string,
  opts: { archived?: boolean; copies?: number; tag?: string; atMs?: number } = {},
): CraftedRollout[] {
  const dir = path.join(home, opts.archived ? 'archived_sessions' : 'sessions');
  fs.mkdirSync(dir, { recursive: true });
  const out: CraftedRollout[] = [];
  let n = 0;
  for (let copy = 0; copy < (opts.copies ?? 1); copy++) {
    for (const shape of SHAPES) {
      const id = idFrom(`${opts.tag ?? ''}|${opts.archived ? 'a' : 's'}|${copy}|${shape}`);
      // Archived copies a day apart from active ones, each file a minute and an odd millisecond
      // after the last: mtimes that tie would order threads as an index happens to meet them.
      const at = new Date((opts.atMs ?? Date.UTC(2025, 0, 2, 12)) + (opts.archived ? 86_400_000 : 0) + n++ * 60_017);
      const ts = at.toISOString();
      const stamp = ts.slice(0, 19).replace(/:/g, '-');
      const name = `rollout-${stamp}-${id}.jsonl`;
      const file = path.join(dir, name);
      fs.writeFileSync(file, content(shape, id, ts));
      fs.utimesSync(file, at, at);
      out.push({ shape, id, rel: path.relative(home, path.join(dir, name)).split(path.sep).join('/') });
    }
  }
  return out;
}
