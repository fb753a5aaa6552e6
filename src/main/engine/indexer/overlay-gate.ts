// Re-applies the user journal (user/overlay.ts) to rows the indexer just rewrote, inside the same
// transaction. Most users have authored nothing, so the per-thread updates are skipped while the
// overlay's tables are empty: one cheap query per batch instead.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.ts';

export interface Overlay {
  applyTo(threadIds: Iterable<string>): void;
}

export class OverlayGate {
  private readonly overlay: Overlay | undefined;
  private readonly anything: Statement<[], number> | null;

  constructor(db: Db, overlay: Overlay | undefined) {
    this.overlay = overlay;
    this.anything = overlay
      ? db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM user_edge_status) OR EXISTS (SELECT 1 FROM user_git)').pluck()
      : null;
  }

  applyTo(threadIds: Iterable<string>): void {
    if (this.overlay && this.anything?.get()) this.overlay.applyTo(threadIds);
  }
}
