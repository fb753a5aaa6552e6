// Writes the turn index (migrations 0001 `turns`, 0010): applies the TurnOps a parse produced, in
// order, inside the writer's transaction.
import type { Db } from '../db/database.ts';
import type { TurnOp, TurnRecord } from '../rollout/parse-types.ts';

export class TurnStore {
  private readonly stmt;

  constructor(db: Db) {
    this.stmt = {
      upsertTurn: db.prepare(`
        INSERT OR REPLACE INTO turns (thread_id, seq, turn_id, root_turn_id, status, error, started_at_ms, completed_at_ms, duration_ms,
          start_offset, end_offset, start_line, end_line, rollout_ordinal, first_item_index, item_count, explicit, user_preview, agent_preview,
          summary_user_item, summary_agent_item, turn_tokens)
        VALUES (@thread_id, @seq, @turn_id, @root_turn_id, @status, @error, @started_at_ms, @completed_at_ms, @duration_ms,
          @start_offset, @end_offset, @start_line, @end_line, @rollout_ordinal, @first_item_index, @item_count, @explicit, @user_preview, @agent_preview,
          @summary_user_item, @summary_agent_item, @turn_tokens)`),
      deleteTurn: db.prepare('DELETE FROM turns WHERE thread_id = ? AND seq = ?'),
      deleteTurnLines: db.prepare('DELETE FROM turn_lines WHERE thread_id = ? AND seq = ?'),
      truncateItems: db.prepare(
        'DELETE FROM turn_items WHERE thread_id = @thread_id AND turn_id IN (SELECT turn_id FROM turns WHERE thread_id = @thread_id AND seq >= @seq)',
      ),
      truncateTurns: db.prepare('DELETE FROM turns WHERE thread_id = ? AND seq >= ?'),
      truncateLines: db.prepare('DELETE FROM turn_lines WHERE thread_id = ? AND seq >= ?'),
      patch: db.prepare(`UPDATE turns SET status = @status, error = COALESCE(@error, error), completed_at_ms = @completed_at_ms,
          duration_ms = @duration_ms WHERE thread_id = @thread_id AND seq = @seq`),
      // A late completion keeps a failed or interrupted status unless it carries an error itself.
      patchById: db.prepare(`UPDATE turns SET
          status = CASE WHEN @error IS NOT NULL THEN 'failed'
            WHEN @status = 'completed' AND status IN ('failed', 'interrupted') THEN status ELSE @status END,
          error = COALESCE(@error, error), completed_at_ms = @completed_at_ms, duration_ms = @duration_ms
        WHERE thread_id = @thread_id AND turn_id = @turn_id`),
      line: db.prepare('INSERT OR REPLACE INTO turn_lines (thread_id, seq, offset, length, heavy) VALUES (?, ?, ?, ?, ?)'),
      item: db.prepare(`INSERT INTO turn_items (thread_id, item_id, turn_id, created_ordinal, updated_ordinal, offset, length, item_type, heavy)
          VALUES (@thread_id, @item_id, @turn_id, @ordinal, @ordinal, @offset, @length, @item_type, @heavy)
        ON CONFLICT(thread_id, item_id) DO UPDATE SET updated_ordinal = excluded.updated_ordinal, offset = excluded.offset,
          length = excluded.length, item_type = excluded.item_type, heavy = excluded.heavy`),
      heavy: db.prepare('INSERT OR REPLACE INTO heavy_lines (thread_id, offset, length, stub, cuts) VALUES (?, ?, ?, ?, ?)'),
      history: db.prepare(
        `INSERT OR REPLACE INTO turn_threads (thread_id, mode, base_thread_id, base_ordinal, base_offset) VALUES (?, ?, ?, ?, ?)`,
      ),
      clear: ['turns', 'turn_lines', 'turn_items', 'heavy_lines', 'turn_threads'].map((t) =>
        db.prepare(`DELETE FROM ${t} WHERE thread_id = ?`),
      ),
    };
  }

  /** Forgets everything indexed about a thread's turns (a re-parse from the start, or a removal). */
  clear(threadId: string): void {
    for (const s of this.stmt.clear) s.run(threadId);
  }

  apply(threadId: string, ops: readonly TurnOp[]): void {
    const s = this.stmt;
    for (const op of ops) {
      switch (op.op) {
        case 'upsert':
          s.upsertTurn.run(turnRow(threadId, op.turn));
          break;
        case 'delete':
          s.deleteTurn.run(threadId, op.seq);
          s.deleteTurnLines.run(threadId, op.seq);
          break;
        case 'truncate':
          s.truncateItems.run({ thread_id: threadId, seq: op.fromSeq });
          s.truncateTurns.run(threadId, op.fromSeq);
          s.truncateLines.run(threadId, op.fromSeq);
          break;
        case 'patch':
          s.patch.run({
            thread_id: threadId,
            seq: op.seq,
            status: op.patch.status,
            error: op.patch.error ? JSON.stringify(op.patch.error) : null,
            completed_at_ms: op.patch.completedAtMs,
            duration_ms: op.patch.durationMs,
          });
          break;
        case 'patchById':
          s.patchById.run({
            thread_id: threadId,
            turn_id: op.turnId,
            status: op.patch.status,
            error: op.patch.error ? JSON.stringify(op.patch.error) : null,
            completed_at_ms: op.patch.completedAtMs,
            duration_ms: op.patch.durationMs,
          });
          break;
        case 'line':
          s.line.run(threadId, op.seq, op.offset, op.length, op.heavy ? 1 : 0);
          break;
        case 'item':
          s.item.run({
            thread_id: threadId,
            item_id: op.itemId,
            turn_id: op.turnId,
            ordinal: op.ordinal,
            offset: op.offset,
            length: op.length,
            item_type: op.itemType,
            heavy: op.heavy ? 1 : 0,
          });
          break;
        case 'heavy':
          s.heavy.run(threadId, op.offset, op.length, op.stub, JSON.stringify(op.cuts));
          break;
        case 'history':
          s.history.run(threadId, op.mode, op.baseThreadId, op.baseOrdinal, op.baseOffset);
          break;
      }
    }
  }
}

function turnRow(threadId: string, t: TurnRecord): Record<string, unknown> {
  return {
    thread_id: threadId,
    seq: t.seq,
    turn_id: t.turnId,
    root_turn_id: t.rootTurnId,
    status: t.status,
    error: t.error ? JSON.stringify(t.error) : null,
    started_at_ms: t.startedAtMs,
    completed_at_ms: t.completedAtMs,
    duration_ms: t.durationMs,
    start_offset: t.startOffset,
    end_offset: t.endOffset,
    start_line: t.startLine,
    end_line: t.endLine,
    rollout_ordinal: t.rolloutOrdinal,
    first_item_index: t.firstItemIndex,
    item_count: t.itemCount,
    explicit: t.explicit ? 1 : 0,
    user_preview: t.userPreview,
    agent_preview: t.agentPreview,
    summary_user_item: t.summaryUserItem,
    summary_agent_item: t.summaryAgentItem,
    turn_tokens: t.tokensUsed,
  };
}
