// Thread names from session_index.jsonl, as the indexer follows them: each sync reads the entries
// appended since the last one (in its own transaction) and tells clients which threads were named,
// including names another Spool process on this data folder applied first. A full pass syncs names
// before it writes threads, so they are written with their names already known.
import type { Db } from '../db/database.ts';
import type { EngineEvents } from '../events.ts';
import type { NamesSync, SessionIndex } from './session-index.ts';

export class Names {
  private readonly db: Db;
  private readonly index: SessionIndex;
  private readonly events: EngineEvents;
  /** How far into session_index.jsonl this process has read (names past it that the index has are another process's news). */
  private offset: number;

  constructor(db: Db, index: SessionIndex, events: EngineEvents) {
    this.db = db;
    this.index = index;
    this.events = events;
    this.offset = index.offset();
  }

  /**
   * Reads session_index.jsonl's new entries into the index (in its own transaction), including
   * those another Spool process applied first. The caller announces them.
   */
  apply(): NamesSync {
    const r = this.db.transaction(() => this.index.sync(this.offset)).immediate();
    this.offset = r.offset;
    return r;
  }

  /** Applies new entries and announces the threads they named. Returns those threads. */
  sync(): string[] {
    const { changed, fromPeers } = this.apply();
    const named = [...changed, ...fromPeers];
    if (named.length > 0) {
      for (const id of named) this.events.emit('thread/name/updated', { threadId: id, threadName: this.index.threadName(id) });
      this.events.emit('spool/index/changed', { threadIds: named, removedIds: [], reason: 'name' });
    }
    return named;
  }
}
