// What went wrong while indexing, kept for the index report: the walk's problems (unreadable
// folders, symlink loops, files that are not rollouts), files that vanished between the walk and
// their parse, and the last errors the indexer caught. Nothing here stops indexing.
import type { IndexReportResult } from '../../../shared/protocol/index.ts';
import type { CodexHome } from '../home.ts';
import type { FileRows } from './file-rows.ts';
import { buildReport } from './report.ts';
import type { ScanProblem } from './scan.ts';

const MAX_ERRORS = 50;
const MAX_VANISHED = 1000;

export class IndexProblems {
  private scan: ScanProblem[] = [];
  /** Files that disappeared between the walk and their parse, since the last full pass began. */
  private vanished: string[] = [];
  private readonly errors: string[] = [];

  error(err: unknown): void {
    const text = err instanceof Error ? err.message : String(err);
    this.errors.push(text);
    if (this.errors.length > MAX_ERRORS) this.errors.shift();
  }

  vanishedFile(relPath: string): void {
    if (this.vanished.length < MAX_VANISHED) this.vanished.push(relPath);
  }

  /** A full walk ended: its problems, and the files that vanished since the last one, are the walk's report. */
  walked(problems: ScanProblem[]): void {
    this.scan = [
      ...problems,
      ...this.vanished.map((v) => ({ relPath: v, kind: 'vanished' as const, detail: 'the file disappeared while it was being indexed' })),
    ];
    this.vanished = [];
  }

  report(files: FileRows, home: CodexHome, threads: number, limit: number): IndexReportResult {
    return buildReport(files, home, this.scan, threads, limit, this.errors, this.vanished);
  }
}
