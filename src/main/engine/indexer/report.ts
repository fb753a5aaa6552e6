// The index report (`spool index --report`, `spool/index/report`): every problem the indexer met,
// counted by kind, with the files concerned. Nothing here stops indexing; it only tells.
import type { CodexHome } from '../home.ts';
import type { IndexReportResult } from '../../../shared/protocol/index.ts';
import type { FileProblemRow, FileRows } from './file-rows.ts';
import type { ScanProblem } from './scan.ts';

/** The problem kinds a file row can show, in the order the report lists them. */
function fileKinds(f: FileProblemRow): { kind: string; detail: string }[] {
  const out: { kind: string; detail: string }[] = [];
  if (f.status === 'error') {
    const kind = f.error?.split(':')[0] ?? '';
    out.push({ kind: kind === 'permissionDenied' || kind === 'symlinkLoop' ? kind : 'unreadable', detail: f.error ?? 'unreadable' });
  }
  if (f.status === 'empty') out.push({ kind: 'emptyFile', detail: 'the file is empty' });
  if (f.status === 'foreign') out.push({ kind: 'foreignFile', detail: 'no rollout header or session_meta: not a Codex rollout' });
  if (f.status === 'duplicate') out.push({ kind: 'duplicate', detail: 'another file holds the same thread' });
  if (f.bad_lines > 0) out.push({ kind: 'badJsonLines', detail: `${f.bad_lines} line(s) are not valid JSON` });
  if (f.invalid_utf8_lines > 0) out.push({ kind: 'invalidUtf8Lines', detail: `${f.invalid_utf8_lines} line(s) are not valid UTF-8` });
  if (f.huge_lines > 0) out.push({ kind: 'hugeLines', detail: `${f.huge_lines} line(s) too long to read, skipped` });
  if (f.long_lines > 0) out.push({ kind: 'longLines', detail: `${f.long_lines} line(s) of a megabyte or more (read in full)` });
  if (f.tail_bytes > 0) out.push({ kind: 'truncatedLastLine', detail: `the last line (${f.tail_bytes} bytes) has no newline yet` });
  if (f.unknown_items > 0)
    out.push({ kind: 'unknownItemTypes', detail: `${f.unknown_items} item(s) of a type this Spool does not know, skipped` });
  return out;
}

export function buildReport(
  files: FileRows,
  home: CodexHome,
  scanProblems: ScanProblem[],
  threads: number,
  limit: number,
  errors: string[],
  vanished: string[],
): IndexReportResult {
  const agg = files.totals();
  const rows = files.problems();
  const counts: Record<string, number> = {
    badJsonLines: 0,
    invalidUtf8Lines: 0,
    hugeLines: 0,
    longLines: 0,
    truncatedLastLine: 0,
    unknownItemTypes: 0,
    emptyFiles: 0,
    foreignFiles: 0,
    duplicates: 0,
    permissionDenied: 0,
    unreadable: 0,
    vanished: 0,
    symlinkLoops: 0,
    symlinkDirs: 0,
  };
  const problems: IndexReportResult['problems'] = [];
  const add = (kind: string, n: number, p: string, detail: string): void => {
    counts[kind] = (counts[kind] ?? 0) + n;
    if (problems.length < limit) problems.push({ path: p, kind, detail });
  };
  for (const p of scanProblems) {
    const kind =
      p.kind === 'foreignFile'
        ? 'foreignFiles'
        : p.kind === 'symlinkLoop'
          ? 'symlinkLoops'
          : p.kind === 'symlinkDir'
            ? 'symlinkDirs'
            : p.kind === 'io'
              ? 'unreadable'
              : p.kind;
    add(kind, 1, p.relPath, p.detail);
  }
  for (const f of rows) {
    for (const k of fileKinds(f)) {
      const n =
        k.kind === 'badJsonLines'
          ? f.bad_lines
          : k.kind === 'invalidUtf8Lines'
            ? f.invalid_utf8_lines
            : k.kind === 'hugeLines'
              ? f.huge_lines
              : k.kind === 'longLines'
                ? f.long_lines
                : k.kind === 'unknownItemTypes'
                  ? f.unknown_items
                  : 1;
      const kind =
        k.kind === 'emptyFile'
          ? 'emptyFiles'
          : k.kind === 'foreignFile'
            ? 'foreignFiles'
            : k.kind === 'duplicate'
              ? 'duplicates'
              : k.kind === 'symlinkLoop'
                ? 'symlinkLoops'
                : k.kind;
      add(kind, n, f.rel_path, k.detail);
    }
  }
  for (const v of vanished) add('vanished', 1, v, 'the file disappeared while it was being indexed');
  for (const e of errors) add('indexerErrors', 1, '', e);
  return { home: home.root, dataDir: '', files: agg.files, threads, bytes: agg.bytes, counts, problems };
}
