// Reads a rollout's canonical session_meta payload: the first `session_meta` line whose id is the
// thread's (later ones are metadata updates or, in a fork, the source's meta). It is nearly always
// line 0, so the file is read in small chunks from the start and reading stops there.
import fs from 'node:fs';

const CHUNK = 64 * 1024;
/** How far to look for it: a session_meta past this many lines is not one codex would use. */
const MAX_LINES = 200;
/** base_instructions make the line long, but not this long. */
const MAX_LINE_BYTES = 32 * 1024 * 1024;

export function readSessionMeta(file: string, threadId: string): Record<string, unknown> | null {
  const fd = fs.openSync(file, 'r');
  try {
    let pending = Buffer.alloc(0);
    let pos = 0;
    let lines = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK);
      const n = fs.readSync(fd, chunk, 0, CHUNK, pos);
      // A last line without its newline (an old codex stopped there) is still the meta if it parses.
      if (n === 0) return pending.length > 0 ? metaOf(pending, threadId) : null;
      pos += n;
      pending = Buffer.concat([pending, chunk.subarray(0, n)]);
      let nl: number;
      while ((nl = pending.indexOf(0x0a)) >= 0) {
        const line = pending.subarray(0, nl);
        pending = pending.subarray(nl + 1);
        const meta = metaOf(line, threadId);
        if (meta) return meta;
        if (++lines >= MAX_LINES) return null;
      }
      if (pending.length > MAX_LINE_BYTES) return null;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function metaOf(line: Buffer, threadId: string): Record<string, unknown> | null {
  // Cheap test before parsing a line that is not a session_meta.
  if (line.indexOf('"session_meta"') < 0) return null;
  try {
    const v = JSON.parse(line.toString('utf8')) as { type?: unknown; payload?: unknown };
    if (v.type !== 'session_meta' || typeof v.payload !== 'object' || v.payload === null) return null;
    const payload = v.payload as Record<string, unknown>;
    return typeof payload['id'] === 'string' && payload['id'].toLowerCase() === threadId ? payload : null;
  } catch {
    return null;
  }
}
