// Turns and items served from the turn index by seeking into rollouts: a legacy turn replays the
// few lines that built it (turn_lines) through codex's history builder; a paginated item is the one
// line holding its latest version (turn_items). Heavy lines are read as their stubs, so no request
// ever decodes a huge line; what was cut is listed on the item (`spool.truncated`).
import fs from 'node:fs';
import type { Db } from '../db/database.ts';
import type { CodexHome } from '../home.ts';
import { parseJsonLine } from '../rollout/json-line.ts';
import { isObj, type Json } from '../rollout/json-value.ts';
import type { Cut, HistoryMode, ParseCounts } from '../rollout/parse-types.ts';
import { countsAsRolloutItem } from '../rollout/history/classify.ts';
import { threadItemFromTurnItem, withTimes } from '../rollout/history/convert.ts';
import { LegacyReducer } from '../rollout/history/legacy.ts';
import { FinishedList, fullKit } from '../rollout/history/item-kits.ts';
import { bareLine } from '../rollout/history/bare.ts';
import { CutRegistry, type Truncation } from '../rollout/history/stub.ts';
import { internalError } from '../../../shared/jsonrpc.ts';
import type { ThreadItem } from '../../../shared/protocol/index.ts';
import {
  forkBaseRow,
  heavyLineRow,
  itemById,
  itemsOfTurns,
  turnLineRows,
  turnThreadRow,
  type ItemRow,
  type TurnLineRow,
  type TurnRow,
} from './turn-rows.ts';

/** A stretch of a thread's history held by one rollout: a paginated fork continues its base's. */
export interface Segment {
  threadId: string;
  relPath: string;
  /** Only this rollout's turns and items below this ordinal belong (null: all). */
  maxOrdinal: number | null;
}

export interface ThreadHistory {
  mode: HistoryMode;
  /** Oldest first; the thread's own rollout last. */
  segments: Segment[];
}

const MAX_BASE_DEPTH = 32;

export function threadHistory(db: Db, threadId: string, relPath: string, format: string): ThreadHistory {
  const own = turnThreadRow(db, threadId);
  const mode: HistoryMode = own?.mode ?? (format === 'bare' ? 'bare' : format === 'paginated' ? 'paginated' : 'legacy');
  const segments: Segment[] = [{ threadId, relPath, maxOrdinal: null }];
  if (mode === 'paginated') {
    let base = own?.base_thread_id ?? null;
    let limit = own?.base_ordinal ?? null;
    const seen = new Set([threadId]);
    while (base !== null && limit !== null && !seen.has(base) && seen.size <= MAX_BASE_DEPTH) {
      seen.add(base);
      const b = forkBaseRow(db, base);
      if (!b || b.mode !== 'paginated') break;
      segments.unshift({ threadId: base, relPath: b.rel_path, maxOrdinal: limit });
      base = b.base_thread_id;
      limit = b.base_ordinal === null ? null : Math.min(b.base_ordinal, limit);
    }
  }
  return { mode, segments };
}

/** Reads lines of one rollout by offset. */
export class RolloutReader {
  private fd: number | null = null;
  private readonly path: string;
  constructor(path: string) {
    this.path = path;
  }
  read(offset: number, length: number): Buffer {
    if (this.fd === null) this.fd = fs.openSync(this.path, 'r');
    const buf = Buffer.allocUnsafe(length);
    const n = fs.readSync(this.fd, buf, 0, length, offset);
    return buf.subarray(0, n);
  }
  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/** One request's access to rollouts: readers per file, heavy stubs, cut strings, damaged lines. */
export class LineSource {
  readonly cuts = new CutRegistry();
  private readonly readers = new Map<string, RolloutReader>();
  private readonly db: Db;
  private readonly home: CodexHome;
  /** Rollouts whose bytes no longer match the index (rewritten since): the caller resyncs them. */
  readonly stale = new Set<string>();
  private readonly counts: ParseCounts = { lines: 0, badJson: 0, invalidUtf8: 0, unknownTypes: 0, joinedObjects: 0, longLines: 0 };

  constructor(db: Db, home: CodexHome) {
    this.db = db;
    this.home = home;
  }

  /** The decoded values of a line (its stub's, when heavy); null when it no longer parses. */
  values(seg: Segment, offset: number, length: number, heavy: boolean): unknown[] | null {
    let text: string;
    if (heavy) {
      const h = heavyLineRow(this.db, seg.threadId, offset);
      if (!h) {
        this.stale.add(seg.relPath);
        return null;
      }
      text = this.cuts.adopt(h.stub, seg.threadId, offset, JSON.parse(h.cuts) as Cut[]);
    } else {
      let reader = this.readers.get(seg.relPath);
      if (!reader) {
        reader = new RolloutReader(this.home.abs(seg.relPath));
        this.readers.set(seg.relPath, reader);
      }
      let buf: Buffer;
      try {
        buf = reader.read(offset, length);
      } catch (err) {
        this.stale.add(seg.relPath);
        throw internalError(`cannot read ${seg.relPath}: ${err instanceof Error ? err.message : String(err)}`);
      }
      text = buf.toString('utf8');
    }
    const values = parseJsonLine(text.replace(/\r?\n$/, ''), this.counts);
    if (values === null) this.stale.add(seg.relPath);
    return values;
  }

  close(): void {
    for (const r of this.readers.values()) r.close();
    this.readers.clear();
  }
}

// ---------------------------------------------------------------------------------------------
// legacy and bare turns: replay the lines that built them

/** The items of legacy/bare turns `rows` (consecutive seqs of one thread), by seq. */
export function legacyItems(db: Db, src: LineSource, seg: Segment, mode: HistoryMode, rows: readonly TurnRow[]): Map<number, ThreadItem[]> {
  const out = new Map<number, ThreadItem[]>();
  if (rows.length === 0) return out;
  const seqs = rows.map((r) => r.seq);
  const lo = Math.min(...seqs);
  const hi = Math.max(...seqs);
  const lines = turnLineRows(db, seg.threadId, lo, hi);
  const bySeq = new Map<number, TurnLineRow[]>();
  for (const l of lines) {
    const list = bySeq.get(l.seq);
    if (list) list.push(l);
    else bySeq.set(l.seq, [l]);
  }
  for (const row of rows) {
    const finished = new FinishedList(fullKit);
    const reducer = new LegacyReducer({ current: null, nextItemIndex: row.first_item_index, nextSeq: row.seq }, fullKit, finished, {
      touch: () => undefined,
      dropped: () => undefined,
      rolledBack: () => undefined,
    });
    for (const l of bySeq.get(row.seq) ?? []) {
      const values = src.values(seg, l.offset, l.length, l.heavy === 1);
      for (const v of values ?? []) replayValue(reducer, mode, v);
    }
    reducer.finishCurrent();
    const turn = finished.turns.find((t) => t.seq === row.seq) ?? finished.turns[0];
    out.set(
      row.seq,
      (turn?.items ?? []).map((i) => withTimes(i, null, null)),
    );
  }
  return out;
}

function replayValue(reducer: LegacyReducer<ThreadItem>, mode: HistoryMode, v: unknown): void {
  if (!isObj(v)) return;
  const type = v['type'];
  if (mode === 'bare' && !('payload' in v)) {
    bareLine(reducer, v);
    return;
  }
  if (typeof type !== 'string' || !countsAsRolloutItem(type, v['payload'])) return;
  if (type === 'event_msg') reducer.event(v['payload'] as Json);
  else if (type === 'compacted') reducer.compacted();
}

// ---------------------------------------------------------------------------------------------
// paginated items

export interface ItemEntry {
  turnId: string;
  item: ThreadItem;
  startedAtMs: number | null;
  completedAtMs: number | null;
  ordinal: number;
}

/** Item lifecycle times in ms; codex's projection stores 0 as "unknown" and reports null. */
const itemTime = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v !== 0 ? v : null);

/** The item an item_completed line holds, with its lifecycle times; null if codex shows none. */
export function paginatedItem(src: LineSource, seg: Segment, row: ItemRow): ItemEntry | null {
  const values = src.values(seg, row.offset, row.length, row.heavy === 1);
  const v = values?.[0];
  if (!isObj(v) || !isObj(v['payload'])) return null;
  const p = v['payload'];
  if (!isObj(p['item'])) return null;
  const item = threadItemFromTurnItem(p['item']);
  if (!item) return null;
  const startedAtMs = itemTime(p['started_at_ms']);
  const completedAtMs = itemTime(p['completed_at_ms']);
  return {
    turnId: row.turn_id,
    item: withTimes(item, startedAtMs, completedAtMs),
    startedAtMs,
    completedAtMs,
    ordinal: row.created_ordinal,
  };
}

/**
 * Items of the given turns of one segment, in their order, by turn id. The summary view is the two
 * items codex's projection recorded on the turn while it ran: its first user message and its final
 * agent message (an agent message arriving after the turn ended is in `full` only, as in codex).
 */
export function paginatedItems(
  db: Db,
  src: LineSource,
  seg: Segment,
  turns: readonly TurnRow[],
  only?: 'summary',
): Map<string, ThreadItem[]> {
  const out = new Map<string, ThreadItem[]>();
  if (turns.length === 0) return out;
  const max = seg.maxOrdinal ?? Number.MAX_SAFE_INTEGER;
  let rows: ItemRow[];
  if (only === 'summary') {
    rows = [];
    for (const t of turns) {
      const ids = [t.summary_user_item, t.summary_agent_item].filter((x, i, a): x is string => x !== null && a.indexOf(x) === i);
      for (const itemId of ids) {
        const r = itemById(db, seg.threadId, itemId, max);
        if (r) rows.push({ ...r, turn_id: t.turn_id });
      }
    }
  } else {
    rows = itemsOfTurns(
      db,
      seg.threadId,
      turns.map((t) => t.turn_id),
      max,
    );
  }
  for (const row of rows) {
    const e = paginatedItem(src, seg, row);
    if (!e) continue;
    const list = out.get(row.turn_id);
    if (list) list.push(e.item);
    else out.set(row.turn_id, [e.item]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// turns

/** `first userMessage + last agentMessage`, deduplicated (codex's `itemsView: summary`). */
export function summaryOf(items: readonly ThreadItem[]): ThreadItem[] {
  const user = items.find((i) => i.type === 'userMessage');
  let agent: ThreadItem | undefined;
  for (let i = items.length - 1; i >= 0; i--) {
    if (items[i]!.type === 'agentMessage') {
      agent = items[i];
      break;
    }
  }
  const out: ThreadItem[] = [];
  if (user) out.push(user);
  if (agent && agent !== user) out.push(agent);
  return out;
}

/** Attaches what was cut from an item's strings (`spool.truncated`), replacing the sentinels. */
export function markItems(src: LineSource, items: ThreadItem[]): ThreadItem[] {
  if (src.cuts.size === 0) return items;
  return items.map((item) => {
    const { value, truncated } = src.cuts.mark(item);
    return truncated.length > 0 ? withTruncations(value, truncated) : value;
  });
}

function withTruncations(item: ThreadItem, truncated: Truncation[]): ThreadItem {
  return { ...item, spool: { truncated } };
}
