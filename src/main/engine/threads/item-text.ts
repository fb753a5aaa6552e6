// spool/item/text: the full text of a string that a turn or item response showed cut (a huge
// command output or message; see rollout/history/stub.ts), read page by page straight from its
// byte range in the rollout. A page never decodes more than it returns, so even a string of
// hundreds of megabytes is loaded without blocking the engine.
import fs from 'node:fs';
import { invalidRequest } from '../../../shared/jsonrpc.ts';
import type { ItemTextParams, ItemTextResult } from '../../../shared/protocol/index.ts';
import { decodeRaw, parseCutHandle, safeBoundary } from '../rollout/history/stub.ts';
import type { Cut } from '../rollout/parse-types.ts';
import { parseThreadId } from './thread-id.ts';
import type { TurnsContext } from './turns.ts';
import { heavyLineCuts } from './turn-rows.ts';

export const ITEM_TEXT_DEFAULT_BYTES = 1024 * 1024;
export const ITEM_TEXT_MAX_BYTES = 16 * 1024 * 1024;
/** Enough that a page always advances past an escape sequence or a multi-byte character. */
const MIN_PAGE_BYTES = 1024;

export function readItemText(ctx: TurnsContext, params: ItemTextParams): ItemTextResult {
  parseThreadId(params.threadId);
  const h = parseCutHandle(params.handle);
  if (!h) throw invalidRequest(`invalid handle: ${params.handle}`);
  const row = heavyLineCuts(ctx.db, h.threadId, h.lineOffset);
  const cut = row ? (JSON.parse(row.cuts) as Cut[])[h.cut] : undefined;
  if (!row || !cut) throw invalidRequest('this text is no longer in the index (the rollout changed); load the turn again');

  const limit = Math.min(ITEM_TEXT_MAX_BYTES, Math.max(MIN_PAGE_BYTES, params.limit ?? ITEM_TEXT_DEFAULT_BYTES));
  const wanted = Math.min(Math.max(0, params.offset ?? 0), cut.length);
  // A few bytes either side of the page too: its ends must fall between characters and escapes.
  const lead = Math.min(wanted, 8);
  const end = Math.min(cut.length, wanted + limit);
  const trail = Math.min(cut.length - end, 8);
  const buf = Buffer.allocUnsafe(lead + (end - wanted) + trail);
  let fd: number;
  try {
    fd = fs.openSync(ctx.home.abs(row.rel_path), 'r');
  } catch (err) {
    void ctx.indexer.syncPaths([row.rel_path]).catch(() => undefined);
    throw invalidRequest(`cannot read the rollout: ${err instanceof Error ? err.message : String(err)}`);
  }
  let got: number;
  try {
    got = fs.readSync(fd, buf, 0, buf.length, cut.start + wanted - lead);
  } finally {
    fs.closeSync(fd);
  }
  const data = buf.subarray(0, got);
  const pageEnd = Math.min(data.length, lead + (end - wanted));
  const startAt = wanted === 0 ? 0 : safeBoundary(data, 0, lead);
  const stopAt = end >= cut.length ? pageEnd : safeBoundary(data, startAt, pageEnd);
  const offset = wanted - (lead - startAt);
  const nextOffset = offset + (stopAt - startAt);
  return {
    text: decodeRaw(data.subarray(startAt, stopAt)),
    offset,
    nextOffset: nextOffset < cut.length ? nextOffset : null,
    totalBytes: cut.length,
  };
}
