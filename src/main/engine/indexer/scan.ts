// Finds the rollout files of a home: every `*.jsonl` under sessions/ (any depth: the oldest codex
// wrote them flat) and archived_sessions/. Symlinked directories are not followed (a loop must
// never hang the index); symlinked files are followed and a loop among them is reported.
import fs from 'node:fs';
import path from 'node:path';
import { ARCHIVED_DIR, SESSIONS_DIR, parseRolloutFilename, type CodexHome } from '../home.ts';

export interface ScannedFile {
  relPath: string;
  absPath: string;
  archived: boolean;
  size: number;
  mtimeMs: number;
  /** The uuid in a `rollout-…-<uuid>.jsonl` name, else null. */
  filenameId: string | null;
}

export interface ScanProblem {
  relPath: string;
  kind: 'permission' | 'symlinkLoop' | 'symlinkDir' | 'foreignFile' | 'vanished' | 'io';
  detail: string;
}

export interface ScanResult {
  files: ScannedFile[];
  problems: ScanProblem[];
}

const codeOf = (err: unknown): string => (err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : '');

function problemKind(err: unknown): ScanProblem['kind'] {
  const code = codeOf(err);
  if (code === 'EACCES' || code === 'EPERM') return 'permission';
  if (code === 'ELOOP') return 'symlinkLoop';
  if (code === 'ENOENT') return 'vanished';
  return 'io';
}

export function scanHome(home: CodexHome): ScanResult {
  const out: ScanResult = { files: [], problems: [] };
  walk(home, SESSIONS_DIR, false, out);
  walk(home, ARCHIVED_DIR, true, out);
  return out;
}

/** Stats one file the way the scan would; null when it is gone or not a rollout candidate. */
export function statRollout(home: CodexHome, relPath: string): ScannedFile | null {
  const abs = home.abs(relPath);
  try {
    const st = fs.statSync(abs);
    if (!st.isFile()) return null;
    return {
      relPath,
      absPath: abs,
      archived: relPath.startsWith(`${ARCHIVED_DIR}/`),
      size: st.size,
      mtimeMs: Math.trunc(st.mtimeMs),
      filenameId: parseRolloutFilename(path.basename(relPath))?.uuid ?? null,
    };
  } catch {
    return null;
  }
}

export const isRolloutCandidate = (relPath: string): boolean =>
  relPath.endsWith('.jsonl') && (relPath.startsWith(`${SESSIONS_DIR}/`) || relPath.startsWith(`${ARCHIVED_DIR}/`));

function walk(home: CodexHome, relDir: string, archived: boolean, out: ScanResult): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(home.abs(relDir), { withFileTypes: true });
  } catch (err) {
    if (codeOf(err) !== 'ENOENT') out.problems.push({ relPath: relDir, kind: problemKind(err), detail: String((err as Error).message) });
    return;
  }
  for (const e of entries) {
    const rel = `${relDir}/${e.name}`;
    if (e.isDirectory()) {
      walk(home, rel, archived, out);
      continue;
    }
    let isLink = e.isSymbolicLink();
    if (!e.isFile() && !isLink) continue;
    if (!e.name.endsWith('.jsonl')) {
      out.problems.push({ relPath: rel, kind: 'foreignFile', detail: 'not a .jsonl file' });
      continue;
    }
    const abs = home.abs(rel);
    try {
      const st = fs.statSync(abs);
      if (st.isDirectory()) {
        if (isLink) out.problems.push({ relPath: rel, kind: 'symlinkDir', detail: 'symlinked directory not followed' });
        continue;
      }
      isLink = false;
      out.files.push({
        relPath: rel,
        absPath: abs,
        archived,
        size: st.size,
        mtimeMs: Math.trunc(st.mtimeMs),
        filenameId: parseRolloutFilename(e.name)?.uuid ?? null,
      });
    } catch (err) {
      out.problems.push({ relPath: rel, kind: problemKind(err), detail: String((err as Error).message) });
    }
  }
}
