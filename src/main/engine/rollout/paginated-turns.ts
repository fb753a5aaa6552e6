// Turns of paginated rollouts (codex ≥ 0.156), following codex's history projection: a turn opens
// at `task_started` and closes at `task_complete` or `turn_aborted` (a late one patches the turn it
// names), and every `item_completed` line is one item (`item` ops: the offset of its latest
// version, its turn and the ordinals thread/items/list pages by).
import { threadItemType } from './history/convert.ts';
import { turnError } from './history/item-shapes.ts';
import { isObj, num, str, type Json } from './json-value.ts';
import type { PaginatedTurn, TurnPatch } from './parse-types.ts';
import { secondsToMs, type TurnBook } from './turn-book.ts';
import { agentItemText, noteAgent, notePreview, notePreviewOnly, noteUser, userItemText } from './turn-notes.ts';

export class PaginatedTurns {
  private readonly book: TurnBook;

  constructor(book: TurnBook) {
    this.book = book;
  }

  /** A decoded envelope line of a paginated rollout. */
  envelope(type: string, payload: unknown): void {
    if (type !== 'event_msg' || !isObj(payload)) return;
    const p = payload;
    const { book } = this;
    const pag = book.st.pag;
    switch (p['type']) {
      case 'task_started': {
        this.finish();
        const t: PaginatedTurn = {
          seq: pag.nextSeq++,
          id: str(p['turn_id']) ?? '',
          status: 'inProgress',
          error: null,
          startedAt: num(p['started_at']),
          completedAt: null,
          durationMs: null,
          rootTurnId: str(p['root_turn_id']),
        };
        pag.current = t;
        book.touch(t.seq);
        return;
      }
      case 'task_complete': {
        const id = str(p['turn_id']) ?? '';
        const err = isObj(p['error']) ? turnError(p['error']) : null;
        const cur = pag.current;
        if (cur && cur.id === id) {
          if (err) {
            cur.status = 'failed';
            cur.error = err;
          } else if (cur.status === 'inProgress' || cur.status === 'completed') cur.status = 'completed';
          cur.completedAt = num(p['completed_at']);
          cur.durationMs = num(p['duration_ms']);
          this.finish();
          return;
        }
        const patch: TurnPatch = {
          status: err ? 'failed' : 'completed',
          completedAtMs: secondsToMs(num(p['completed_at'])),
          durationMs: num(p['duration_ms']),
        };
        if (err) patch.error = err;
        book.out.turnOps.push({ op: 'patchById', turnId: id, patch });
        return;
      }
      case 'turn_aborted': {
        const id = str(p['turn_id']);
        const cur = pag.current;
        if (cur && (id === null || cur.id === id)) {
          cur.status = 'interrupted';
          cur.completedAt = num(p['completed_at']);
          cur.durationMs = num(p['duration_ms']);
          this.emit(cur);
          return;
        }
        if (id !== null)
          book.out.turnOps.push({
            op: 'patchById',
            turnId: id,
            patch: { status: 'interrupted', completedAtMs: secondsToMs(num(p['completed_at'])), durationMs: num(p['duration_ms']) },
          });
        return;
      }
      case 'item_completed':
        return this.item(p);
      case 'thread_rolled_back': {
        // Codex 0.169's projection keeps rolled-back turns of paginated threads; Spool drops them as
        // the legacy reader does (see docs/CODEX-COMPAT.md).
        this.finish();
        const k = Math.min(Math.max(0, num(p['num_turns']) ?? 0), pag.nextSeq);
        if (k > 0) {
          pag.nextSeq -= k;
          book.out.turnOps.push({ op: 'truncate', fromSeq: pag.nextSeq });
        }
        return;
      }
      case 'user_message':
        return notePreviewOnly(book, p);
      default:
        return;
    }
  }

  /** Emits the open turn as it stands (in progress). */
  flush(): void {
    const cur = this.book.st.pag.current;
    if (cur) this.emit(cur);
  }

  private item(p: Json): void {
    const { book } = this;
    const item = p['item'];
    const ctx = book.ctx;
    if (!isObj(item) || !ctx) return;
    const itemId = str(item['id']);
    const kind = str(item['type']);
    if (itemId === null || kind === null || ctx.ordinal === null) return;
    const turnId = str(p['turn_id']) ?? '';
    book.out.turnOps.push({
      op: 'item',
      itemId,
      turnId,
      ordinal: ctx.ordinal,
      offset: ctx.offset,
      length: ctx.nextOffset - ctx.offset,
      itemType: threadItemType(kind),
      heavy: ctx.heavy,
    });
    const cur = book.st.pag.current;
    const mine = cur !== null && cur.id === turnId;
    if (mine) {
      book.touch(cur.seq);
      const open = book.st.open;
      if (open) {
        open.n += 1;
        if (kind === 'UserMessage' && open.su === null) open.su = itemId;
        if (kind === 'AgentMessage') open.sa = itemId;
      }
    }
    if (kind === 'UserMessage') {
      const { text, images } = userItemText(item);
      if (mine) noteUser(book, text, images);
      else notePreview(book, text, images);
    } else if (kind === 'AgentMessage') {
      const text = agentItemText(item);
      if (text && mine) noteAgent(book, text);
    }
  }

  private finish(): void {
    const st = this.book.st;
    const cur = st.pag.current;
    if (!cur) return;
    this.emit(cur);
    st.pag.current = null;
    if (st.open?.seq === cur.seq) st.open = null;
  }

  private emit(t: PaginatedTurn): void {
    const open = this.book.st.open;
    this.book.upsert(t.seq, {
      turnId: t.id,
      rootTurnId: t.rootTurnId,
      status: t.status,
      error: t.error,
      startedAtMs: secondsToMs(t.startedAt),
      completedAtMs: secondsToMs(t.completedAt),
      durationMs: t.durationMs,
      firstItemIndex: 1,
      itemCount: open?.seq === t.seq ? open.n : 0,
      explicit: true,
    });
  }
}
