// Unified diffs as rows for display: each line with its kind and its old/new line numbers (from the
// hunk headers), plus the counts a header shows. Codex's file changes carry a unified diff for
// updates and the whole content for added or deleted files; both come out as rows.

export type DiffRowKind = 'hunk' | 'add' | 'del' | 'ctx' | 'meta';
export interface DiffRow {
  kind: DiffRowKind;
  text: string;
  oldNo: number | null;
  newNo: number | null;
}
export interface ParsedDiff {
  rows: DiffRow[];
  additions: number;
  deletions: number;
}

const HUNK_RE = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function parseUnifiedDiff(diff: string): ParsedDiff {
  const rows: DiffRow[] = [];
  let additions = 0;
  let deletions = 0;
  let oldNo = 0;
  let newNo = 0;
  let inHunk = false;
  for (const line of splitLines(diff)) {
    const h = HUNK_RE.exec(line);
    if (h) {
      oldNo = Number(h[1]);
      newNo = Number(h[2]);
      inHunk = true;
      rows.push({ kind: 'hunk', text: line, oldNo: null, newNo: null });
      continue;
    }
    if (!inHunk || line.startsWith('\\')) {
      rows.push({ kind: 'meta', text: line, oldNo: null, newNo: null });
      continue;
    }
    if (line.startsWith('+')) {
      additions++;
      rows.push({ kind: 'add', text: line.slice(1), oldNo: null, newNo: newNo++ });
    } else if (line.startsWith('-')) {
      deletions++;
      rows.push({ kind: 'del', text: line.slice(1), oldNo: oldNo++, newNo: null });
    } else {
      rows.push({ kind: 'ctx', text: line.startsWith(' ') ? line.slice(1) : line, oldNo: oldNo++, newNo: newNo++ });
    }
  }
  return { rows, additions, deletions };
}

/** A whole file shown as added (or deleted) lines. */
export function wholeFileDiff(content: string, kind: 'add' | 'del'): ParsedDiff {
  const lines = content === '' ? [] : splitLines(content);
  const rows = lines.map((text, i): DiffRow => ({
    kind,
    text,
    oldNo: kind === 'del' ? i + 1 : null,
    newNo: kind === 'add' ? i + 1 : null,
  }));
  return { rows, additions: kind === 'add' ? rows.length : 0, deletions: kind === 'del' ? rows.length : 0 };
}

/** The rows of a codex `fileChange` entry (`kind.type` add / delete / update). */
export function fileChangeDiff(kindType: string, diff: string): ParsedDiff {
  if (kindType === 'add') return wholeFileDiff(diff, 'add');
  if (kindType === 'delete') return wholeFileDiff(diff, 'del');
  return parseUnifiedDiff(diff);
}
