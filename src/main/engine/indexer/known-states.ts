// For each rollout path, the last state this process wrote to the index or told its clients
// about: its size and mtime, or that it is gone. Several Spool processes may share one data folder
// (the app and `spool serve`); each watches the home, and whichever comes first indexes a change.
// The other then finds its index already current and must still tell its own clients — once, not
// at every event its watcher gets for the same change. This record tells news from old news. It is
// bounded: a path it forgot costs one redundant notification, never a missed one.

const GONE = 'gone';

export class KnownStates {
  private readonly last = new Map<string, string>();
  private readonly capacity: number;

  constructor(capacity = 20_000) {
    this.capacity = capacity;
  }

  /** This process wrote or announced `relPath` at this size and mtime (or, with no stat, gone). */
  note(relPath: string, stat?: { size: number; mtimeMs: number }): void {
    this.last.delete(relPath);
    this.last.set(relPath, stat ? `${stat.size}:${stat.mtimeMs}` : GONE);
    if (this.last.size > this.capacity) this.last.delete(this.last.keys().next().value!);
  }

  /** Whether this process has already written or announced `relPath` in this state. */
  has(relPath: string, stat?: { size: number; mtimeMs: number }): boolean {
    return this.last.get(relPath) === (stat ? `${stat.size}:${stat.mtimeMs}` : GONE);
  }
}
