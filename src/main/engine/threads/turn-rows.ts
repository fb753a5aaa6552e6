// The turn index's rows as the serving code reads them (migrations' turns, turn_items, turn_lines,
// heavy_lines and turn_threads tables): their types, the queries that read them, and a turn row as
// a v2 Turn. Statements of a fixed shape are cached per connection (db/prepared.ts): every turn
// and item request runs several.
import type { Db } from '../db/database.ts';
import { prepared } from '../db/prepared.ts';
import type { HistoryMode } from '../rollout/parse-types.ts';
import type { ThreadItem, Turn, TurnStatus } from '../../../shared/protocol/index.ts';

// ---------------------------------------------------------------------------------------------
// turns

/** A row of the turns table. */
export interface TurnRow {
  thread_id: string;
  seq: number;
  turn_id: string;
  root_turn_id: string | null;
  status: string;
  error: string | null;
  started_at_ms: number | null;
  completed_at_ms: number | null;
  duration_ms: number | null;
  rollout_ordinal: number | null;
  first_item_index: number;
  /** Paginated: the items codex's summary view shows (first user message, final agent message). */
  summary_user_item: string | null;
  summary_agent_item: string | null;
  turn_tokens: number | null;
}

const TURN_COLUMNS =
  'thread_id, seq, turn_id, root_turn_id, status, error, started_at_ms, completed_at_ms, duration_ms, rollout_ordinal, first_item_index, summary_user_item, summary_agent_item, turn_tokens';

/** Where a page of turns starts: at (include) or past a position, in the page's direction. */
export interface TurnAnchor {
  at: number;
  include: boolean;
}

const past = (col: string, desc: boolean, anchor: TurnAnchor): string => `${col} ${desc ? '<' : '>'}${anchor.include ? '=' : ''} ?`;

/** The position (seq) of a legacy turn by its id; null when no turn has it. */
export function turnSeqOf(db: Db, threadId: string, turnId: string): number | null {
  return (
    prepared(db, 'SELECT min(seq) AS seq FROM turns WHERE thread_id = ? AND turn_id = ?').get(threadId, turnId) as { seq: number | null }
  ).seq;
}

/** A page of a legacy (or bare) thread's turns by position. */
export function turnsBySeq(db: Db, threadId: string, anchor: TurnAnchor | null, desc: boolean, limit: number): TurnRow[] {
  const where = anchor ? ` AND ${past('seq', desc, anchor)}` : '';
  const args: unknown[] = anchor ? [threadId, anchor.at] : [threadId];
  return prepared(db, `SELECT ${TURN_COLUMNS} FROM turns WHERE thread_id = ?${where} ORDER BY seq ${desc ? 'DESC' : 'ASC'} LIMIT ?`).all(
    ...args,
    limit,
  ) as TurnRow[];
}

/** Every turn of a thread by position, oldest first. */
export function allTurnsBySeq(db: Db, threadId: string): TurnRow[] {
  return prepared(db, `SELECT ${TURN_COLUMNS} FROM turns WHERE thread_id = ? ORDER BY seq`).all(threadId) as TurnRow[];
}

/** A page of one rollout's turns by the rollout ordinal of their task_started, below `maxOrdinal` (null: all). */
export function turnsByOrdinal(
  db: Db,
  threadId: string,
  maxOrdinal: number | null,
  anchor: TurnAnchor | null,
  desc: boolean,
  limit: number,
): TurnRow[] {
  const where: string[] = ['thread_id = ?', 'rollout_ordinal IS NOT NULL'];
  const args: unknown[] = [threadId];
  if (maxOrdinal !== null) {
    where.push('rollout_ordinal < ?');
    args.push(maxOrdinal);
  }
  if (anchor) {
    where.push(past('rollout_ordinal', desc, anchor));
    args.push(anchor.at);
  }
  const dir = desc ? 'DESC' : 'ASC';
  return prepared(
    db,
    `SELECT ${TURN_COLUMNS} FROM turns WHERE ${where.join(' AND ')} ORDER BY rollout_ordinal ${dir}, seq ${dir} LIMIT ?`,
  ).all(...args, limit) as TurnRow[];
}

const seconds = (ms: number | null): number | null => (ms === null ? null : Math.floor(ms / 1000));

/**
 * A turns-table row as a v2 Turn (codex's field order); `live` keeps an open turn in progress.
 * Spool's addition rides in `spool` (codex clients ignore it): the tokens the turn used.
 */
export function turnFromRow(row: TurnRow, items: ThreadItem[], view: Turn['itemsView'], live: boolean): Turn {
  let status = row.status as TurnStatus;
  if (status === 'inProgress' && !live) status = 'interrupted';
  const turn: Turn = {
    id: row.turn_id,
    rootTurnId: row.root_turn_id,
    items,
    itemsView: view,
    status,
    error: row.error ? (JSON.parse(row.error) as Turn['error']) : null,
    startedAt: seconds(row.started_at_ms),
    completedAt: seconds(row.completed_at_ms),
    durationMs: row.duration_ms,
  };
  if (row.turn_tokens !== null) turn.spool = { tokensUsed: row.turn_tokens };
  return turn;
}

// ---------------------------------------------------------------------------------------------
// a thread's history: its mode, and the base a paginated fork continues

export interface TurnThreadRow {
  mode: HistoryMode;
  base_thread_id: string | null;
  base_ordinal: number | null;
}

export function turnThreadRow(db: Db, threadId: string): TurnThreadRow | undefined {
  return prepared(db, 'SELECT mode, base_thread_id, base_ordinal FROM turn_threads WHERE thread_id = ?').get(threadId) as
    TurnThreadRow | undefined;
}

/** A fork's base: its rollout and its own history row. */
export function forkBaseRow(db: Db, baseId: string): (TurnThreadRow & { rel_path: string }) | undefined {
  return prepared(
    db,
    'SELECT t.rel_path, h.mode, h.base_thread_id, h.base_ordinal FROM threads AS t JOIN turn_threads AS h ON h.thread_id = t.id WHERE t.id = ?',
  ).get(baseId) as (TurnThreadRow & { rel_path: string }) | undefined;
}

// ---------------------------------------------------------------------------------------------
// the lines a legacy turn was built from, and heavy lines' stubs

export interface TurnLineRow {
  seq: number;
  offset: number;
  length: number;
  heavy: number;
}

/** The lines of turns lo..hi of a thread, in order. */
export function turnLineRows(db: Db, threadId: string, lo: number, hi: number): TurnLineRow[] {
  return prepared(
    db,
    'SELECT seq, offset, length, heavy FROM turn_lines WHERE thread_id = ? AND seq BETWEEN ? AND ? ORDER BY seq, offset',
  ).all(threadId, lo, hi) as TurnLineRow[];
}

/** A heavy line's stub and what was cut from it (a JSON list of cuts). */
export function heavyLineRow(db: Db, threadId: string, offset: number): { stub: string; cuts: string } | undefined {
  return prepared(db, 'SELECT stub, cuts FROM heavy_lines WHERE thread_id = ? AND offset = ?').get(threadId, offset) as
    { stub: string; cuts: string } | undefined;
}

/** A heavy line's cuts with the rollout that holds it (spool/item/text reads a cut's bytes there). */
export function heavyLineCuts(db: Db, threadId: string, offset: number): { cuts: string; rel_path: string } | undefined {
  return prepared(
    db,
    'SELECT h.cuts, t.rel_path FROM heavy_lines AS h JOIN threads AS t ON t.id = h.thread_id WHERE h.thread_id = ? AND h.offset = ?',
  ).get(threadId, offset) as { cuts: string; rel_path: string } | undefined;
}

// ---------------------------------------------------------------------------------------------
// paginated items

/** A row of turn_items: where the line holding an item's latest version is. */
export interface ItemRow {
  item_id: string;
  turn_id: string;
  created_ordinal: number;
  offset: number;
  length: number;
  heavy: number;
}

const ITEM_COLUMNS = 'item_id, turn_id, created_ordinal, offset, length, heavy';

/** One item of a rollout by id, recorded below `maxOrdinal`. */
export function itemById(db: Db, threadId: string, itemId: string, maxOrdinal: number): ItemRow | undefined {
  return prepared(db, `SELECT ${ITEM_COLUMNS} FROM turn_items WHERE thread_id = ? AND item_id = ? AND created_ordinal < ?`).get(
    threadId,
    itemId,
    maxOrdinal,
  ) as ItemRow | undefined;
}

/** The items of some turns of a rollout, recorded below `maxOrdinal`, in ordinal order. */
export function itemsOfTurns(db: Db, threadId: string, turnIds: readonly string[], maxOrdinal: number): ItemRow[] {
  // Look the page's turns up one by one (the planner would otherwise walk every item of the
  // thread in ordinal order, filtering by turn: 15 ms instead of 0.3 ms on a 5,000-turn thread).
  // One statement per page size: prepared here, not cached, so these shapes never crowd the cache.
  return db
    .prepare(
      `SELECT ${ITEM_COLUMNS} FROM turn_items INDEXED BY turn_items_turn WHERE thread_id = ? AND turn_id IN (${turnIds.map(() => '?').join(',')}) AND created_ordinal < ? ORDER BY created_ordinal`,
    )
    .all(threadId, ...turnIds, maxOrdinal) as ItemRow[];
}

/** A page of a rollout's items by the ordinal that first recorded each, optionally of one turn. */
export function itemsByOrdinal(
  db: Db,
  threadId: string,
  maxOrdinal: number | null,
  turnId: string | null,
  anchor: TurnAnchor | null,
  desc: boolean,
  limit: number,
): ItemRow[] {
  const where = ['thread_id = ?'];
  const args: unknown[] = [threadId];
  if (maxOrdinal !== null) {
    where.push('created_ordinal < ?');
    args.push(maxOrdinal);
  }
  if (turnId !== null) {
    where.push('turn_id = ?');
    args.push(turnId);
  }
  if (anchor) {
    where.push(past('created_ordinal', desc, anchor));
    args.push(anchor.at);
  }
  return prepared(
    db,
    `SELECT ${ITEM_COLUMNS} FROM turn_items WHERE ${where.join(' AND ')} ORDER BY created_ordinal ${desc ? 'DESC' : 'ASC'} LIMIT ?`,
  ).all(...args, limit) as ItemRow[];
}

/** The ordinal that first recorded an item of a turn, below `maxOrdinal`; null when there is none. */
export function itemOrdinal(db: Db, threadId: string, itemId: string, turnId: string, maxOrdinal: number): number | null {
  const r = prepared(
    db,
    'SELECT created_ordinal FROM turn_items WHERE thread_id = ? AND item_id = ? AND turn_id = ? AND created_ordinal < ?',
  ).get(threadId, itemId, turnId, maxOrdinal) as { created_ordinal: number } | undefined;
  return r ? r.created_ordinal : null;
}
