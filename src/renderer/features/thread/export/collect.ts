// Gathers a whole thread for export: its metadata, every turn with all items (paged, oldest
// first), and the full text of every string the engine showed cut (`spool/item/text`, page by
// page), put back in place — so an export holds the thread as codex wrote it. No DOM.
import type {
  ItemTextResult,
  Thread,
  ThreadItem,
  ThreadReadParams,
  ThreadReadResult,
  ThreadTurnsListParams,
  ThreadTurnsListResult,
  Turn,
  ItemTextParams,
  ItemTruncation,
} from '../../../../shared/protocol/index.ts';

export interface ExportClient {
  read(p: ThreadReadParams): Promise<ThreadReadResult>;
  turns(p: ThreadTurnsListParams): Promise<ThreadTurnsListResult>;
  text(p: ItemTextParams): Promise<ItemTextResult>;
}

export interface ExportProgress {
  turns: number;
  /** Bytes of cut text fetched so far, and in all. */
  textBytes: number;
  textTotal: number;
}

/** Text pages fetched per request when restoring cut strings. */
const TEXT_PAGE = 8 * 1024 * 1024;

function decodePointer(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A copy of `item` with the string at `path` replaced. */
export function setAtPointer<T>(value: T, path: string, text: string): T {
  const keys = decodePointer(path);
  const put = (v: unknown, i: number): unknown => {
    if (i === keys.length) return text;
    const k = keys[i]!;
    if (Array.isArray(v)) return v.map((x, j) => (String(j) === k ? put(x, i + 1) : x));
    if (typeof v === 'object' && v !== null)
      return { ...(v as Record<string, unknown>), [k]: put((v as Record<string, unknown>)[k], i + 1) };
    return v;
  };
  return put(value, 0) as T;
}

export const truncationsOf = (item: ThreadItem): ItemTruncation[] => {
  const s = item['spool'];
  if (typeof s !== 'object' || s === null) return [];
  const t = (s as { truncated?: unknown }).truncated;
  return Array.isArray(t) ? (t as ItemTruncation[]) : [];
};

/** The whole of a cut string, page by page. */
export async function fullText(
  text: ExportClient['text'],
  threadId: string,
  handle: string,
  onBytes?: (n: number) => void,
): Promise<string> {
  const parts: string[] = [];
  let offset: number | null = 0;
  while (offset !== null) {
    const page: ItemTextResult = await text({ threadId, handle, offset, limit: TEXT_PAGE });
    parts.push(page.text);
    onBytes?.((page.nextOffset ?? page.totalBytes) - offset);
    offset = page.nextOffset;
  }
  return parts.join('');
}

/** The item as codex wrote it: cut strings restored, Spool's truncation note removed. */
export async function restoreItem(
  client: ExportClient,
  threadId: string,
  item: ThreadItem,
  onBytes?: (n: number) => void,
): Promise<ThreadItem> {
  const cuts = truncationsOf(item);
  if (cuts.length === 0) return item;
  let out: ThreadItem = item;
  for (const c of cuts) out = setAtPointer(out, c.path, await fullText(client.text, threadId, c.handle, onBytes));
  const { spool: _spool, ...rest } = out;
  return rest as ThreadItem;
}

export interface CollectedThread {
  thread: Thread;
  turns: Turn[];
}

export async function collectThread(
  client: ExportClient,
  threadId: string,
  onProgress?: (p: ExportProgress) => void,
): Promise<CollectedThread> {
  const { thread } = await client.read({ threadId });
  const turns: Turn[] = [];
  let cursor: string | null = null;
  const progress: ExportProgress = { turns: 0, textBytes: 0, textTotal: 0 };
  do {
    const page: ThreadTurnsListResult = await client.turns({
      threadId,
      sortDirection: 'asc',
      limit: 100,
      itemsView: 'full',
      ...(cursor ? { cursor } : {}),
    });
    turns.push(...page.data);
    progress.turns = turns.length;
    onProgress?.({ ...progress });
    cursor = page.nextCursor;
  } while (cursor);
  for (const t of turns) for (const item of t.items) for (const c of truncationsOf(item)) progress.textTotal += c.totalBytes;
  for (let i = 0; i < turns.length; i++) {
    const t = turns[i]!;
    if (!t.items.some((item) => truncationsOf(item).length > 0)) continue;
    const items: ThreadItem[] = [];
    for (const item of t.items)
      items.push(
        await restoreItem(client, threadId, item, (n) => {
          progress.textBytes += n;
          onProgress?.({ ...progress });
        }),
      );
    turns[i] = { ...t, items };
  }
  return { thread, turns };
}
