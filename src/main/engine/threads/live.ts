// Is codex writing a thread right now? Codex reports the unfinished turns of threads it is not
// running as `interrupted`; Spool does the same for threads no codex process is writing. Codex
// (0.156+) holds a lock on `thread-writer-locks/<thread id>.lock` while a thread is loaded and
// removes the file when it lets go. On Linux the lock itself is checked in /proc/locks, so a lock
// file left behind by a killed process does not count; elsewhere the file's presence is the signal.
import fs from 'node:fs';
import type { CodexHome } from '../home.ts';

const LOCKS_TTL_MS = 500;

export class LiveThreads {
  private readonly home: CodexHome;
  private lockedInodes: { at: number; inodes: Set<string> | null } = { at: 0, inodes: null };

  constructor(home: CodexHome) {
    this.home = home;
  }

  /** Inodes holding a lock, from /proc/locks (null where there is no /proc). */
  private locked(): Set<string> | null {
    const now = Date.now();
    if (now - this.lockedInodes.at < LOCKS_TTL_MS) return this.lockedInodes.inodes;
    let inodes: Set<string> | null;
    try {
      const text = fs.readFileSync('/proc/locks', 'utf8');
      inodes = new Set();
      // "1: FLOCK  ADVISORY  WRITE 4242 fd:01:1234567 0 EOF"
      for (const line of text.split('\n')) {
        const m = /\s([0-9a-f]+:[0-9a-f]+:(\d+))\s/.exec(line);
        if (m) inodes.add(m[2]!);
      }
    } catch {
      inodes = null;
    }
    this.lockedInodes = { at: now, inodes };
    return inodes;
  }

  isLive(threadId: string): boolean {
    let st: fs.Stats;
    try {
      st = fs.statSync(this.home.abs(`thread-writer-locks/${threadId}.lock`));
    } catch {
      return false;
    }
    const inodes = this.locked();
    return inodes === null ? true : inodes.has(String(st.ino));
  }
}
