// Structural changes to the index, each in one transaction and then announced: files that moved
// (the same bytes at a new path), files that are gone, and threads pointed back at a file that
// holds them. The user journal is re-applied to every thread they rewrite, in the same transaction.
import type { Db } from '../db/database.ts';
import type { Announcer } from './announce.ts';
import type { Rename } from './diff.ts';
import type { KnownStates } from './known-states.ts';
import type { OverlayGate } from './overlay-gate.ts';
import type { ScannedFile } from './scan.ts';
import { newEffects, type IndexWriter } from './writer.ts';

export interface MovesDeps {
  db: Db;
  writer: IndexWriter;
  known: KnownStates;
  overlay: OverlayGate;
  announce: Announcer;
}

export class Moves {
  private readonly d: MovesDeps;

  constructor(deps: MovesDeps) {
    this.d = deps;
  }

  /** Known files found at new paths; `resized` gets those that also changed and must be parsed. */
  rename(renames: readonly Rename[], resized: (to: ScannedFile) => void): void {
    const { db, writer, known } = this.d;
    const fx = newEffects();
    db.transaction(() => {
      for (const { from, to } of renames) {
        writer.renameFile(from.rel_path, to, fx);
        known.note(from.rel_path);
        known.note(to.relPath, to);
        if (from.size !== to.size || from.mtime_ms !== to.mtimeMs) resized(to);
      }
      writer.endBatch(fx);
      this.d.overlay.applyTo(fx.upserted);
    }).immediate();
    this.d.announce.effects(fx, 'move');
  }

  /** Files gone from disk: their threads move to another file that holds them, or leave the index. */
  remove(relPaths: readonly string[]): void {
    const { db, writer, known } = this.d;
    const fx = newEffects();
    db.transaction(() => {
      for (const rel of relPaths) {
        writer.forgetFile(rel, fx);
        known.note(rel);
      }
      writer.endBatch(fx);
      this.d.overlay.applyTo(fx.upserted);
    }).immediate();
    this.d.announce.effects(fx, 'delete');
  }

  /**
   * Threads whose rows point at a file named for another thread: each is pointed at a file that
   * holds it, or dropped. Returns the files to re-sync (those the rows pointed at).
   */
  repoint(threadIds: readonly string[], onDisk: (rel: string) => boolean): string[] {
    const { db, writer } = this.d;
    const fx = newEffects();
    const resync: string[] = [];
    db.transaction(() => {
      for (const id of threadIds) {
        const p = writer.repointThread(id, onDisk, fx);
        if (p) resync.push(p);
      }
      writer.endBatch(fx);
      this.d.overlay.applyTo(fx.upserted);
    }).immediate();
    this.d.announce.effects(fx, 'move');
    return resync;
  }
}
