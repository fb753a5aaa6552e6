// Finds the rollout files of a home: every `*.jsonl` under sessions/ (any depth: the oldest codex
// wrote them flat) and archived_sessions/. The walk is lazy and newest first — day directories
// `sessions/YYYY/MM/DD` in descending order, then flat legacy files, then archived_sessions/ — so
// a backfill parses the newest threads (the first page of the list) before it has even seen the
// rest of a 100k-file tree. Symlinked directories are not followed (a loop must never hang the
// index); symlinked files are followed and a loop among them is reported.
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

export type ScanProblemKind = 'permissionDenied' | 'symlinkLoop' | 'symlinkDir' | 'foreignFile' | 'vanished' | 'io';

export interface ScanProblem {
  relPath: string;
  kind: ScanProblemKind;
  detail: string;
}

/** A slice of one directory's rollout files, already stat-ed. */
export interface ScanChunk {
  relDir: string;
  files: ScannedFile[];
}

/** Files stat-ed per chunk: the walker yields to the event loop between chunks. */
const CHUNK_FILES = 256;

export const codeOf = (err: unknown): string => (err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : '');

export function problemKind(err: unknown): ScanProblemKind {
  const code = codeOf(err);
  if (code === 'EACCES' || code === 'EPERM') return 'permissionDenied';
  if (code === 'ELOOP') return 'symlinkLoop';
  if (code === 'ENOENT') return 'vanished';
  return 'io';
}

const isArchivedRel = (rel: string): boolean => rel === ARCHIVED_DIR || rel.startsWith(`${ARCHIVED_DIR}/`);

/** Names in descending order: for `YYYY`, `MM`, `DD` and `rollout-<timestamp>-…` names that is newest first. */
const desc = (a: string, b: string): number => (a < b ? 1 : a > b ? -1 : 0);

/**
 * Walks the home newest first, yielding stat-ed files in chunks. Problems (unreadable
 * directories, symlink loops, files that are not rollouts) are pushed to `problems`.
 */
export function* walkHome(home: CodexHome, problems: ScanProblem[]): Generator<ScanChunk> {
  yield* walkDir(home, SESSIONS_DIR, problems);
  yield* walkDir(home, ARCHIVED_DIR, problems);
}

function* walkDir(home: CodexHome, relDir: string, problems: ScanProblem[]): Generator<ScanChunk> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(home.abs(relDir), { withFileTypes: true });
  } catch (err) {
    if (codeOf(err) !== 'ENOENT') problems.push({ relPath: relDir, kind: problemKind(err), detail: (err as Error).message });
    return;
  }
  const dirs: string[] = [];
  const files: string[] = [];
  const links = new Set<string>();
  for (const e of entries) {
    if (e.isDirectory()) dirs.push(e.name);
    else if (e.isFile()) files.push(e.name);
    else if (e.isSymbolicLink()) {
      files.push(e.name);
      links.add(e.name);
    }
  }
  // Subdirectories first: in sessions/ they are the dated folders, newer than the flat files
  // the oldest codex versions left at the top.
  dirs.sort(desc);
  for (const d of dirs) yield* walkDir(home, `${relDir}/${d}`, problems);
  files.sort(desc);
  const archived = isArchivedRel(relDir);
  let chunk: ScannedFile[] = [];
  for (const name of files) {
    const rel = `${relDir}/${name}`;
    if (!name.endsWith('.jsonl')) {
      // A link may be a linked directory or a loop (reported by the stat); anything else is foreign.
      if (!links.has(name) || statCandidate(home, rel, archived, problems))
        problems.push({ relPath: rel, kind: 'foreignFile', detail: 'not a .jsonl file' });
      continue;
    }
    const f = statCandidate(home, rel, archived, problems);
    if (f) chunk.push(f);
    if (chunk.length >= CHUNK_FILES) {
      yield { relDir, files: chunk };
      chunk = [];
    }
  }
  if (chunk.length > 0) yield { relDir, files: chunk };
}

function statCandidate(home: CodexHome, rel: string, archived: boolean, problems: ScanProblem[] | null): ScannedFile | null {
  const abs = home.abs(rel);
  try {
    const st = fs.statSync(abs);
    if (st.isDirectory()) {
      problems?.push({ relPath: rel, kind: 'symlinkDir', detail: 'symlinked directory not followed' });
      return null;
    }
    if (!st.isFile()) return null;
    return {
      relPath: rel,
      absPath: abs,
      archived,
      size: st.size,
      mtimeMs: Math.trunc(st.mtimeMs),
      filenameId: parseRolloutFilename(path.posix.basename(rel))?.uuid ?? null,
    };
  } catch (err) {
    problems?.push({ relPath: rel, kind: problemKind(err), detail: (err as Error).message });
    return null;
  }
}

/** Stats one file the way the walk would; null when it is gone or not a rollout candidate. */
export function statRollout(home: CodexHome, relPath: string): ScannedFile | null {
  return statCandidate(home, relPath, isArchivedRel(relPath), null);
}

export const isRolloutCandidate = (relPath: string): boolean =>
  relPath.endsWith('.jsonl') && (relPath.startsWith(`${SESSIONS_DIR}/`) || relPath.startsWith(`${ARCHIVED_DIR}/`));
