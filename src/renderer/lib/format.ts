// Display helpers shared by the renderer's views.
import type { SessionSource, Thread } from '../../shared/protocol/index.ts';

// Intl formatters are costly to create: one of each, made once (rows format times on every render).
const DAY_MONTH = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const DAY_MONTH_YEAR = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric' });
const FULL = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const COUNT = new Intl.NumberFormat();

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function relativeTime(ms: number, now = Date.now()): string {
  const d = now - ms;
  if (d < MINUTE) return 'just now';
  if (d < HOUR) return `${Math.floor(d / MINUTE)}m ago`;
  if (d < DAY) return `${Math.floor(d / HOUR)}h ago`;
  if (d < 7 * DAY) return `${Math.floor(d / DAY)}d ago`;
  const date = new Date(ms);
  return (date.getFullYear() === new Date(now).getFullYear() ? DAY_MONTH : DAY_MONTH_YEAR).format(date);
}

export function absoluteTime(ms: number): string {
  return FULL.format(ms);
}

/** `/home/me/src/app/packages/core` → `…/app/packages/core` (keeps the last parts). */
export function shortenPath(p: string, keep = 2): string {
  if (!p) return '';
  const home = p.match(/^\/(?:home|Users)\/[^/]+/)?.[0];
  const rest = home ? `~${p.slice(home.length)}` : p;
  const parts = rest.split('/').filter(Boolean);
  if (parts.length <= keep + 1) return rest;
  return `…/${parts.slice(-keep).join('/')}`;
}

export function formatCount(n: number): string {
  return COUNT.format(n);
}

export function sourceLabel(source: SessionSource): string {
  if (typeof source === 'string') return source === 'appServer' ? 'app-server' : source;
  if ('custom' in source) return source.custom;
  const sub = source.subAgent;
  if (typeof sub === 'string') return `sub-agent · ${sub.replace('_', ' ')}`;
  if ('thread_spawn' in sub) return 'sub-agent';
  return `sub-agent · ${sub.other}`;
}

export function isSubAgent(t: Thread): boolean {
  return typeof t.source === 'object' && 'subAgent' in t.source;
}

export function threadTitle(t: Thread): string {
  return t.name ?? (t.preview || (t.agentNickname ? `${t.agentNickname}${t.agentRole ? ` (${t.agentRole})` : ''}` : '(no message yet)'));
}

export const updatedMs = (t: Thread): number => t.extra?.spool.updatedAtMs ?? t.updatedAt * 1000;
export const createdMs = (t: Thread): number => t.extra?.spool.createdAtMs ?? t.createdAt * 1000;

/** A short class name for a thread's source badge (colour per kind). */
export function sourceKindClass(source: SessionSource): string {
  if (typeof source === 'string') return source === 'appServer' ? 'app-server' : source;
  if ('custom' in source) return 'custom';
  return 'subagent';
}

/** `openai · gpt-6.1-sol` (the model only when known). */
export function providerModel(t: Thread): string {
  return t.model ? `${t.modelProvider} · ${t.model}` : t.modelProvider;
}

/** "12 sub-agents", "1 sub-agent". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${COUNT.format(n)} ${n === 1 ? one : many}`;
}

/** The last part of a path (a project's name). */
export function baseName(p: string): string {
  const parts = p.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? p;
}

export function formatDuration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60 ? `${s % 60} s` : ''}`.trim();
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
