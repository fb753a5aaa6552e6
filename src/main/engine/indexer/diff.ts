// What changed in the home since the index last looked, found by comparing the disk (size and
// mtime) with the file rows, never by reading the files: which files to parse (new ones from their
// first byte, grown or rewritten ones from where their parse stopped), which known files moved
// (codex's archive and unarchive keep the file name), and which are gone.
import fs from 'node:fs';
import path from 'node:path';
import { activeRelPathFor, archivedRelPathFor, parseRolloutFilename, type CodexHome } from '../home.ts';
import type { FileRow, FileRows } from './file-rows.ts';
import type { KnownStates } from './known-states.ts';
import type { Job, JobGroup } from './runner.ts';
import { statRollout, type ScanProblem, type ScannedFile } from './scan.ts';

/** A known file found at another path. */
export type Rename = { from: FileRow; to: ScannedFile };

const exists = (abs: string): boolean => fs.existsSync(abs);

/** A full pass: the walk, chunk by chunk, against the rows loaded when the pass began. */
export class PassDiff {
  private readonly home: CodexHome;
  private readonly known: Map<string, FileRow>;
  private readonly origin: Job['origin'];
  private readonly group: JobGroup;
  /** Rows by file name, built the first time a file turns up that no row has: most passes find none. */
  private byNameMap: Map<string, FileRow[]> | null = null;
  private readonly seen = new Set<string>();
  private readonly movedFrom = new Set<string>();

  constructor(home: CodexHome, known: Map<string, FileRow>, origin: Job['origin'], group: JobGroup) {
    this.home = home;
    this.known = known;
    this.origin = origin;
    this.group = group;
  }

  /** One chunk of the walk: the files to parse, and the known files that moved here. */
  chunk(files: readonly ScannedFile[]): { jobs: Job[]; renames: Rename[] } {
    const jobs: Job[] = [];
    const renames: Rename[] = [];
    for (const f of files) {
      this.seen.add(f.relPath);
      const row = this.known.get(f.relPath);
      if (row) {
        if (row.size !== f.size || row.mtime_ms !== f.mtimeMs) jobs.push({ file: f, resume: true, origin: this.origin, group: this.group });
        continue;
      }
      // Codex moved a file (archive, unarchive) when a row names it at a path where it no longer is.
      const from = this.byName(path.posix.basename(f.relPath)).find(
        (r) => r.rel_path !== f.relPath && !this.movedFrom.has(r.rel_path) && !exists(this.home.abs(r.rel_path)),
      );
      if (from) {
        this.movedFrom.add(from.rel_path);
        renames.push({ from, to: f });
      } else jobs.push({ file: f, resume: false, origin: this.origin, group: this.group });
    }
    return { jobs, renames };
  }

  /** The bytes a job will parse: a known file's growth, or all of a new one. */
  newBytes(j: Job): number {
    return j.resume ? Math.max(0, j.file.size - (this.known.get(j.file.relPath)?.size ?? 0)) : j.file.size;
  }

  /**
   * Rows whose file is gone (and was not found elsewhere under its name) — but not the ones inside
   * a folder the walk could not read this time: their files may well be there.
   */
  gone(problems: readonly ScanProblem[]): string[] {
    const unreadable = problems.filter((p) => p.kind === 'permissionDenied' || p.kind === 'io').map((p) => p.relPath);
    const hidden = (rel: string): boolean => unreadable.some((u) => rel === u || rel.startsWith(`${u}/`));
    return [...this.known.keys()].filter((p) => !this.seen.has(p) && !this.movedFrom.has(p) && !hidden(p));
  }

  private byName(name: string): FileRow[] {
    if (!this.byNameMap) {
      this.byNameMap = new Map();
      for (const r of this.known.values()) {
        const n = path.posix.basename(r.rel_path);
        const list = this.byNameMap.get(n);
        if (list) list.push(r);
        else this.byNameMap.set(n, [r]);
      }
    }
    return this.byNameMap.get(name) ?? [];
  }
}

export interface PathChanges {
  jobs: Job[];
  renames: Rename[];
  gone: string[];
  /** Threads another Spool process on this data folder indexed first: current here, but news. */
  peerChanged: string[];
  /** Rollouts another process found gone or moved first, by thread id. */
  peerGone: string[];
}

/**
 * Some paths (from the watcher, or a read that found a stale row) against their rows. `known` is
 * what this process wrote or announced: a path already current here is news only if it is not in
 * it (and is noted as announced).
 */
export function diffPaths(
  relPaths: readonly string[],
  home: CodexHome,
  files: FileRows,
  known: KnownStates,
  group: JobGroup | null,
): PathChanges {
  const out: PathChanges = { jobs: [], renames: [], gone: [], peerChanged: [], peerGone: [] };
  const handled = new Set<string>();
  for (const rel of relPaths) {
    if (handled.has(rel)) continue;
    handled.add(rel);
    const f = statRollout(home, rel);
    const row = files.row(rel);
    if (f && row) {
      if (row.size !== f.size || row.mtime_ms !== f.mtimeMs)
        out.jobs.push({ file: f, resume: true, origin: 'live', ...(group ? { group } : {}) });
      else if (row.thread_id !== null && !known.has(rel, f)) {
        out.peerChanged.push(row.thread_id);
        known.note(rel, f);
      }
    } else if (f) {
      // New here. Codex may have moved it from its other home (archive / unarchive): find the
      // row that names this file at a path where it no longer is.
      const name = path.posix.basename(rel);
      const from = f.filenameId
        ? files
            .ofThread(f.filenameId)
            .find((r) => path.posix.basename(r.rel_path) === name && r.rel_path !== rel && !exists(home.abs(r.rel_path)))
        : undefined;
      if (from) {
        handled.add(from.rel_path);
        out.renames.push({ from, to: f });
      } else out.jobs.push({ file: f, resume: false, origin: 'live', ...(group ? { group } : {}) });
    } else if (row) {
      // Gone from here. If it went to its archived/active counterpart, that is a move.
      const name = path.posix.basename(rel);
      const other = [archivedRelPathFor(name), activeRelPathFor(name)].find(
        (p) => p !== null && p !== rel && !handled.has(p) && files.row(p) === undefined,
      );
      const to = other ? statRollout(home, other) : null;
      if (to) {
        handled.add(to.relPath);
        out.renames.push({ from: row, to });
      } else out.gone.push(rel);
    } else if (!known.has(rel)) {
      const id = parseRolloutFilename(path.posix.basename(rel))?.uuid;
      if (id) out.peerGone.push(id);
      known.note(rel);
    }
  }
  return out;
}
