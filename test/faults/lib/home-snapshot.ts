// What "nothing lost" means, checked on the files themselves: a snapshot of every rollout and of
// session_index.jsonl before an operation, and the rules the home must satisfy afterwards.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface HomeSnapshot {
  /** rel path → content, for every file under sessions/ and archived_sessions/, and session_index.jsonl. */
  files: Map<string, Buffer>;
}

const ID_RE = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/;

function walk(dir: string, rel: string, out: Map<string, Buffer>): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(p, r, out);
    else if (e.isFile()) out.set(r, fs.readFileSync(p));
  }
}

export function snapshotHome(home: string): HomeSnapshot {
  const files = new Map<string, Buffer>();
  walk(path.join(home, 'sessions'), 'sessions', files);
  walk(path.join(home, 'archived_sessions'), 'archived_sessions', files);
  const idx = path.join(home, 'session_index.jsonl');
  if (fs.existsSync(idx)) files.set('session_index.jsonl', fs.readFileSync(idx));
  return { files };
}

export const hashOf = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');

/** Thread id → rel paths of the rollouts holding it. */
export function rolloutsById(s: HomeSnapshot): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const rel of s.files.keys()) {
    const id = ID_RE.exec(rel)?.[1];
    if (!id) continue;
    m.set(id, [...(m.get(id) ?? []), rel]);
  }
  return m;
}

/** The bytes `after` adds to `before`, or null when `after` does not start with `before`. */
function addedBytes(before: Buffer, after: Buffer): Buffer | null {
  if (after.length < before.length || !after.subarray(0, before.length).equals(before)) return null;
  return after.subarray(before.length);
}

/** Whole JSON lines, each ending with a newline; returns them, or null for a partial or bad line. */
function wholeJsonLines(added: Buffer): unknown[] | null {
  if (added.length === 0) return [];
  if (added[added.length - 1] !== 0x0a) return null;
  const out: unknown[] = [];
  for (const line of added.toString('utf8').slice(0, -1).split('\n')) {
    if (line === '') continue; // the newline appendLines writes after a torn line of codex's
    try {
      out.push(JSON.parse(line));
    } catch {
      return null;
    }
  }
  return out;
}

export interface LossRules {
  /** Threads whose rollout may gain whole `session_meta` lines (a legacy git edit). */
  mayAppendMeta?: ReadonlySet<string>;
  /** session_index.jsonl may gain whole lines. */
  mayAppendIndex?: boolean;
}

/** Every way `after` loses or damages what `before` held; empty when nothing is lost. */
export function findLosses(before: HomeSnapshot, after: HomeSnapshot, rules: LossRules = {}): string[] {
  const problems: string[] = [];
  const b = rolloutsById(before);
  const a = rolloutsById(after);
  for (const [id, rels] of b) {
    const now = a.get(id) ?? [];
    if (now.length === 0) problems.push(`${id}: rollout in no place (was ${rels.join(', ')})`);
    else if (now.length > 1) problems.push(`${id}: rollout in ${now.length} places (${now.join(', ')})`);
    if (now.length !== 1) continue;
    const was = before.files.get(rels[0]!)!;
    const is = after.files.get(now[0]!)!;
    if (was.equals(is)) continue;
    const added = addedBytes(was, is);
    const lines = added && wholeJsonLines(added);
    if (!lines) problems.push(`${id}: rollout changed other than by whole appended lines (${was.length} → ${is.length} bytes)`);
    else if (!rules.mayAppendMeta?.has(id)) problems.push(`${id}: ${lines.length} unexpected line(s) appended`);
    else if (lines.some((l) => (l as { type?: unknown }).type !== 'session_meta'))
      problems.push(`${id}: appended a line that is not session_meta`);
  }
  for (const id of a.keys()) if (!b.has(id)) problems.push(`${id}: a rollout that was not there before`);
  const ib = before.files.get('session_index.jsonl') ?? Buffer.alloc(0);
  const ia = after.files.get('session_index.jsonl') ?? Buffer.alloc(0);
  if (!ib.equals(ia)) {
    const added = addedBytes(ib, ia);
    const lines = added && wholeJsonLines(added);
    if (!lines) problems.push(`session_index.jsonl changed other than by whole appended lines (${ib.length} → ${ia.length} bytes)`);
    else if (!rules.mayAppendIndex) problems.push(`session_index.jsonl gained ${lines.length} unexpected line(s)`);
  }
  return problems;
}

/** Temporary files a write left behind in the home (atomic writes' `.name.pid.rand.tmp`, copy temps). */
export function strayTempFiles(home: string): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (/\.tmp$|\.spool-tmp|\.partial$/.test(e.name)) out.push(path.relative(home, p));
    }
  };
  visit(home);
  return out;
}

/** Lines of the user journal that are not JSON (a torn append); the journal must parse otherwise. */
export function journalDamage(dataDir: string): { lines: number; bad: number } {
  const file = path.join(dataDir, 'user-state.jsonl');
  if (!fs.existsSync(file)) return { lines: 0, bad: 0 };
  let lines = 0;
  let bad = 0;
  for (const l of fs.readFileSync(file, 'utf8').split('\n')) {
    if (l.trim() === '') continue;
    lines++;
    try {
      JSON.parse(l);
    } catch {
      bad++;
    }
  }
  return { lines, bad };
}
