// Pieces of codex's app-server v2 items that both item sources build (docs/FORMAT.md §2.5): typed
// `TurnItem`s of paginated threads (convert.ts) and the legacy events of older rollouts
// (event-items.ts). Field names, order and null defaults were read off the real `codex app-server`'s
// answers; codex converts its core types to v2 by renaming (snake_case → camelCase), as here.
import type { ThreadItem } from '../../../../shared/protocol/index.ts';
import { arr, bool, isObj, num, str, type Json } from '../json-value.ts';
import type { TurnErrorJson } from '../parse-types.ts';

/** `snake_case` (serde's rename for core enums) → `camelCase` (the v2 API's). */
export const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Keys renamed recursively (codex's core → v2 conversions of nested payloads). */
export function camelKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelKeys);
  if (!isObj(v)) return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) out[camel(k)] = camelKeys(x);
  return out;
}

/** A Rust `Duration` (`{secs, nanos}`) in whole milliseconds, as codex's `as_millis()`. */
export function durationMs(v: unknown): number | null {
  if (!isObj(v)) return null;
  const secs = num(v['secs']);
  const nanos = num(v['nanos']) ?? 0;
  if (secs === null) return null;
  return secs * 1000 + Math.floor(nanos / 1_000_000);
}

/** `file:///a%20b` → `/a b`: codex stores a command's cwd as a file URL and reports the path. */
export function pathFromFileUrl(v: unknown): string {
  const s = str(v) ?? '';
  if (!s.startsWith('file://')) return s;
  try {
    return decodeURIComponent(new URL(s).pathname);
  } catch {
    return s.slice('file://'.length);
  }
}

/** Codex's `CodexErrorInfo` in its v2 form: variant and field names camelCased. */
export function codexErrorInfo(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return camel(v);
  return camelKeys(v);
}

export function turnError(e: Json): TurnErrorJson {
  return {
    message: str(e['message']) ?? '',
    codexErrorInfo: codexErrorInfo(e['codex_error_info']),
    additionalDetails: str(e['additional_details']),
    misalignment: e['misalignment'] === undefined ? null : camelKeys(e['misalignment']),
  };
}

// ---------------------------------------------------------------------------------------------
// parts both sources build

export function textElements(v: unknown): unknown[] {
  return arr(v).map((e) => {
    if (!isObj(e)) return e;
    const range = isObj(e['byte_range']) ? e['byte_range'] : isObj(e['byteRange']) ? e['byteRange'] : {};
    return { byteRange: { start: num(range['start']) ?? 0, end: num(range['end']) ?? 0 }, placeholder: str(e['placeholder']) };
  });
}

function memoryCitation(v: unknown): unknown {
  if (!isObj(v)) return null;
  return {
    entries: arr(v['entries']).map((e) =>
      isObj(e)
        ? { path: str(e['path']) ?? '', lineStart: num(e['line_start']) ?? 0, lineEnd: num(e['line_end']) ?? 0, note: str(e['note']) ?? '' }
        : e,
    ),
    threadIds: arr(v['rollout_ids'] ?? v['thread_ids']).filter((x) => typeof x === 'string'),
  };
}

export function agentMessage(id: string, text: string, p: Json): ThreadItem {
  return {
    type: 'agentMessage',
    moderation: p['moderation'] === undefined ? null : camelKeys(p['moderation']),
    id,
    text,
    phase: str(p['phase']),
    memoryCitation: memoryCitation(p['memory_citation']),
    delivery: str(p['delivery']),
    questions: p['questions'] === undefined || p['questions'] === null ? null : camelKeys(p['questions']),
  };
}

export function fileChanges(v: unknown): unknown[] {
  if (!isObj(v)) return [];
  const out = Object.entries(v).map(([path, ch]) => {
    const c = isObj(ch) ? ch : {};
    const type = str(c['type']);
    if (type === 'update') {
      const move = str(c['move_path']);
      const diff = str(c['unified_diff']) ?? '';
      return { path, kind: { type: 'update', move_path: move }, diff: move ? `${diff}\n\nMoved to: ${move}` : diff };
    }
    return { path, kind: { type: type === 'delete' ? 'delete' : 'add' }, diff: str(c['content']) ?? '' };
  });
  // Rust sorts PathBufs component-wise; for the absolute paths codex writes that is byte order.
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function webSearchAction(v: unknown): unknown {
  if (!isObj(v)) return null;
  switch (v['type']) {
    case 'search':
      return { type: 'search', query: str(v['query']), queries: Array.isArray(v['queries']) ? v['queries'] : null };
    case 'open_page':
      return { type: 'openPage', url: str(v['url']) };
    case 'find_in_page':
      return { type: 'findInPage', url: str(v['url']), pattern: str(v['pattern']) };
    default:
      return { type: 'other' };
  }
}

export function mcpResult(v: unknown): unknown {
  if (!isObj(v)) return null;
  return {
    content: arr(v['content']),
    structuredContent: v['structured_content'] ?? v['structuredContent'] ?? null,
    _meta: v['_meta'] ?? v['meta'] ?? null,
  };
}

export function mcpToolCall(
  id: string,
  server: string,
  tool: string,
  status: string,
  args: unknown,
  result: unknown,
  error: unknown,
  duration: number | null,
  extra: Json,
): ThreadItem {
  return {
    type: 'mcpToolCall',
    id,
    server,
    tool,
    status,
    arguments: args,
    appContext: extra['app_context'] === undefined || extra['app_context'] === null ? null : camelKeys(extra['app_context']),
    mcpAppUi: extra['mcp_app_ui'] === undefined || extra['mcp_app_ui'] === null ? null : camelKeys(extra['mcp_app_ui']),
    pluginId: str(extra['plugin_id']),
    readOnlyHint: bool(extra['read_only_hint']),
    result,
    error,
    durationMs: duration,
  };
}

export function imageGeneration(id: string, p: Json): ThreadItem {
  const item: ThreadItem = {
    type: 'imageGeneration',
    id,
    status: str(p['status']) ?? '',
    revisedPrompt: str(p['revised_prompt']),
    result: str(p['result']) ?? '',
    transparentBackground: bool(p['transparent_background']),
    failure: p['failure'] === undefined || p['failure'] === null ? null : camelKeys(p['failure']),
    generationId: str(p['generation_id']),
  };
  // Codex leaves savedPath out entirely when the image was not saved.
  if (typeof p['saved_path'] === 'string') item['savedPath'] = p['saved_path'];
  return item;
}
