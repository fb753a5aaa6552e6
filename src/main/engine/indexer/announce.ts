// What the indexer tells clients about the index's contents (`spool/index/changed`): the threads a
// write added, changed, moved or removed, and what another Spool process on the same data folder
// indexed first — news here although this process's index already holds it.
import type { EngineEvents } from '../events.ts';
import type { ThreadRows } from './thread-rows.ts';
import type { WriteEffects } from './writer.ts';

export type ChangeReason = 'backfill' | 'new' | 'append' | 'move' | 'delete';

export class Announcer {
  private readonly events: EngineEvents;
  private readonly threads: ThreadRows;

  constructor(events: EngineEvents, threads: ThreadRows) {
    this.events = events;
    this.threads = threads;
  }

  /** What one write did; nothing when it changed nothing. */
  effects(fx: WriteEffects, reason: ChangeReason): void {
    if (fx.upserted.size === 0 && fx.removed.size === 0 && fx.parents.size === 0) return;
    const threadIds = [...fx.upserted, ...[...fx.parents].filter((id) => !fx.upserted.has(id) && !fx.removed.has(id))];
    this.events.emit('spool/index/changed', { threadIds, removedIds: [...fx.removed], reason });
  }

  /**
   * What another Spool process indexed first: threads it wrote, and rollouts it moved (the thread is
   * still here) or removed (it is not).
   */
  peerChanges(changed: string[], gone: string[]): void {
    const moved = gone.filter((id) => this.threads.exists(id));
    const removed = gone.filter((id) => !this.threads.exists(id));
    const threadIds = [...new Set([...changed, ...moved])];
    const reason = removed.length > 0 ? 'delete' : moved.length > 0 ? 'move' : 'append';
    this.events.emit('spool/index/changed', { threadIds, removedIds: removed, reason });
  }

  /** The whole index may change (a backfill starts, or another process's backfill wrote more): re-read everything. */
  everything(reason: 'rebuild' | 'backfill'): void {
    this.events.emit('spool/index/changed', { threadIds: [], removedIds: [], reason });
  }
}
