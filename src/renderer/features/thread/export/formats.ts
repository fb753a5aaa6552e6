// A collected thread as a JSON file (the `thread/read includeTurns` answer, cut strings restored)
// or as a Markdown document a person reads: metadata, then each turn's messages, reasoning,
// commands with their output, diffs and tool calls. Built as a list of string parts, so a huge
// export is never one giant string until the host needs it. No DOM.
import type { Thread, ThreadItem, Turn } from '../../../../shared/protocol/index.ts';
import type { CollectedThread } from './collect.ts';

export const EXPORT_FORMAT_VERSION = 1;

const TURNS_PLACEHOLDER = '\u0000turns\u0000';

/** `{ exportedBy, exportedAt, formatVersion, thread: {…, turns: […]} }`, written turn by turn. */
export function jsonParts(c: CollectedThread, exportedAt: string, exportedBy: string): string[] {
  const { turns: _ignored, ...thread } = c.thread;
  const head = JSON.stringify(
    { exportedBy, exportedAt, formatVersion: EXPORT_FORMAT_VERSION, thread: { ...thread, turns: TURNS_PLACEHOLDER } },
    null,
    2,
  );
  const [before, after] = head.split(JSON.stringify(TURNS_PLACEHOLDER)) as [string, string];
  const parts = [before, '['];
  c.turns.forEach((t, i) => parts.push(`${i === 0 ? '' : ','}\n      ${JSON.stringify(t, null, 2).replace(/\n/g, '\n      ')}`));
  parts.push(c.turns.length > 0 ? '\n    ]' : ']', after, '\n');
  return parts;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A code fence longer than any run of backticks in `text`. */
export function fence(text: string, lang = ''): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const f = '`'.repeat(Math.max(3, longest + 1));
  return `${f}${lang}\n${text}${text.endsWith('\n') ? '' : '\n'}${f}`;
}

const iso = (sec: number | null): string => (sec === null ? '—' : new Date(sec * 1000).toISOString().replace('.000Z', 'Z'));

export function durationText(ms: number | null): string {
  if (ms === null) return '';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function sourceText(source: Thread['source']): string {
  if (typeof source === 'string') return source;
  if ('custom' in source) return source.custom;
  const sub = source.subAgent;
  if (typeof sub === 'string') return `sub-agent (${sub})`;
  if ('thread_spawn' in sub) return `sub-agent${sub.thread_spawn.agent_path ? ` ${sub.thread_spawn.agent_path}` : ''}`;
  return `sub-agent (${sub.other})`;
}

export function threadTitleText(t: Thread): string {
  return t.name ?? (t.preview.split('\n')[0]!.trim() || t.agentNickname || t.id);
}

/** Escapes text for a Markdown table cell or heading (pipes, newlines). */
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function userText(item: ThreadItem): string {
  const content = Array.isArray(item['content']) ? (item['content'] as Record<string, unknown>[]) : [];
  return content
    .map((c) => {
      switch (c['type']) {
        case 'text':
          return str(c['text']) ?? '';
        case 'image':
          return `[image${str(c['url'])?.startsWith('data:') ? '' : `: ${str(c['url'])}`}]`;
        case 'localImage':
          return `[image: ${str(c['path']) ?? ''}]`;
        case 'skill':
        case 'mention':
          return `[${String(c['type'])}: ${str(c['name']) ?? ''}]`;
        default:
          return `[${String(c['type'])}]`;
      }
    })
    .join('\n\n');
}

function itemMarkdown(item: ThreadItem): string {
  switch (item.type) {
    case 'userMessage':
      return `### User\n\n${userText(item)}`;
    case 'agentMessage':
      return `### Assistant\n\n${str(item['text']) ?? ''}`;
    case 'reasoning': {
      const summary = Array.isArray(item['summary']) ? (item['summary'] as unknown[]).map(String) : [];
      const content = Array.isArray(item['content']) ? (item['content'] as unknown[]).map(String) : [];
      const text = [...summary, ...content].join('\n\n').trim();
      return `> **Reasoning**${
        text
          ? `\n>\n${text
              .split('\n')
              .map((l) => `> ${l}`.trimEnd())
              .join('\n')}`
          : ''
      }`;
    }
    case 'plan':
      return `**Plan**\n\n${str(item['text']) ?? ''}`;
    case 'commandExecution': {
      const bits = [
        str(item['cwd']) ? `in \`${str(item['cwd'])}\`` : null,
        num(item['exitCode']) !== null ? `exit ${num(item['exitCode'])}` : str(item['status']),
        durationText(num(item['durationMs'])),
      ].filter(Boolean);
      const out = str(item['aggregatedOutput']);
      return `**Command** ${bits.join(' · ')}\n\n${fence(`$ ${str(item['command']) ?? ''}`, 'sh')}${out ? `\n\n${fence(out, 'text')}` : ''}`;
    }
    case 'fileChange': {
      const changes = Array.isArray(item['changes']) ? (item['changes'] as Record<string, unknown>[]) : [];
      return `**File changes** (${str(item['status']) ?? ''})\n\n${changes
        .map((c) => {
          const kind = (c['kind'] as { type?: string } | undefined)?.type ?? 'update';
          return `\`${str(c['path']) ?? ''}\` (${kind})\n\n${fence(str(c['diff']) ?? '', kind === 'update' ? 'diff' : '')}`;
        })
        .join('\n\n')}`;
    }
    case 'mcpToolCall':
      return toolMarkdown(
        `${str(item['server']) ?? ''}.${str(item['tool']) ?? ''}`,
        item['status'],
        item['arguments'],
        item['error'] ?? item['result'],
      );
    case 'dynamicToolCall':
      return toolMarkdown(
        `${str(item['namespace']) ? `${str(item['namespace'])}.` : ''}${str(item['tool']) ?? ''}`,
        item['status'],
        item['arguments'],
        item['contentItems'],
      );
    case 'collabAgentToolCall':
      return toolMarkdown(
        `agents.${str(item['tool']) ?? ''}`,
        item['status'],
        { prompt: item['prompt'], receiverThreadIds: item['receiverThreadIds'] },
        item['agentsStates'],
      );
    case 'webSearch':
      return `**Web search** ${str(item['query']) ?? ''}`;
    case 'functionCallOutput':
      return toolMarkdown(str(item['name']) ?? 'function', null, null, item['output']);
    case 'contextCompaction':
      return '*— context compacted —*';
    case 'enteredReviewMode':
      return `*— review started: ${str(item['review']) ?? ''} —*`;
    case 'exitedReviewMode':
      return `**Review**\n\n${str(item['review']) ?? ''}`;
    case 'imageView':
      return `[image viewed: ${str(item['path']) ?? ''}]`;
    case 'imageGeneration':
      return `[generated image${str(item['revisedPrompt']) ? `: ${str(item['revisedPrompt'])}` : ''}]`;
    case 'subAgentActivity':
      return `*— sub-agent ${str(item['agentPath']) ?? ''} ${str(item['kind']) ?? ''} (${str(item['agentThreadId']) ?? ''}) —*`;
    case 'sleep':
      return `*— waited ${durationText(num(item['durationMs']))} —*`;
    default:
      return `**${item.type}**\n\n${fence(JSON.stringify(item, null, 2), 'json')}`;
  }
}

function toolMarkdown(name: string, status: unknown, args: unknown, result: unknown): string {
  const parts = [`**Tool call** \`${name}\`${typeof status === 'string' ? ` (${status})` : ''}`];
  if (args !== null && args !== undefined) parts.push(fence(typeof args === 'string' ? args : JSON.stringify(args, null, 2), 'json'));
  if (result !== null && result !== undefined)
    parts.push(
      `Result:\n\n${fence(typeof result === 'string' ? result : JSON.stringify(result, null, 2), typeof result === 'string' ? 'text' : 'json')}`,
    );
  return parts.join('\n\n');
}

export function turnHeading(t: Turn, n: number): string {
  const bits = [
    `Turn ${n}`,
    t.status,
    iso(t.startedAt),
    durationText(t.durationMs),
    t.spool ? `${t.spool.tokensUsed.toLocaleString('en-US')} tokens` : '',
  ].filter((b) => b !== '' && b !== '—');
  return `## ${bits.join(' · ')}`;
}

export function markdownParts(c: CollectedThread, exportedAt: string): string[] {
  const t = c.thread;
  const x = t.extra?.spool;
  const rows: [string, string][] = [
    ['Thread', `\`${t.id}\``],
    ['Working directory', t.cwd ? `\`${t.cwd}\`` : '—'],
    ['Model', [t.modelProvider, t.model, t.reasoningEffort].filter(Boolean).join(' · ')],
    ['Source', sourceText(t.source)],
    ['CLI version', t.cliVersion || '—'],
    ['Created', iso(t.createdAt)],
    ['Updated', iso(t.updatedAt)],
  ];
  if (x) rows.push(['Tokens', x.tokensUsed.toLocaleString('en-US')]);
  if (t.gitInfo) rows.push(['Git', [t.gitInfo.branch, t.gitInfo.sha, t.gitInfo.originUrl].filter(Boolean).join(' · ')]);
  if (t.forkedFromId) rows.push(['Forked from', `\`${t.forkedFromId}\``]);
  if (x?.spawnParentId) rows.push(['Parent thread', `\`${x.spawnParentId}\``]);
  if (t.path) rows.push(['Rollout', `\`${t.path}\``]);
  rows.push(['Exported', exportedAt]);
  const parts = [`# ${cell(threadTitleText(t))}\n\n| | |\n| --- | --- |\n${rows.map(([k, v]) => `| ${k} | ${cell(v)} |`).join('\n')}\n`];
  c.turns.forEach((turn, i) => {
    const body = turn.items.map(itemMarkdown);
    if (turn.error) body.push(`> **Error:** ${turn.error.message}`);
    parts.push(`\n${turnHeading(turn, i + 1)}\n\n${body.join('\n\n')}\n`);
  });
  return parts;
}

/** A file name for an export: the title's words, the thread id's head, the extension. */
export function exportFileName(t: Thread, ext: 'md' | 'json'): string {
  const words = threadTitleText(t)
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .toLowerCase();
  return `${words || 'thread'}-${t.id.slice(0, 8)}.${ext}`;
}
