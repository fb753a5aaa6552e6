// Diffs: unified diffs numbered from their hunk headers, added and deleted files shown whole.
import { describe, expect, it } from 'vitest';
import { fileChangeDiff, parseUnifiedDiff } from './diff.ts';

describe('diffs', () => {
  it('numbers the lines of a unified diff from its hunk headers', () => {
    const d = parseUnifiedDiff('--- a/f\n+++ b/f\n@@ -10,3 +10,4 @@ fn\n ctx\n-old\n+new\n+added\n ctx2\n\\ No newline at end of file\n');
    expect(d.additions).toBe(2);
    expect(d.deletions).toBe(1);
    expect(d.rows.map((r) => [r.kind, r.oldNo, r.newNo, r.text])).toEqual([
      ['meta', null, null, '--- a/f'],
      ['meta', null, null, '+++ b/f'],
      ['hunk', null, null, '@@ -10,3 +10,4 @@ fn'],
      ['ctx', 10, 10, 'ctx'],
      ['del', 11, null, 'old'],
      ['add', null, 11, 'new'],
      ['add', null, 12, 'added'],
      ['ctx', 12, 13, 'ctx2'],
      ['meta', null, null, '\\ No newline at end of file'],
    ]);
  });

  it('shows added and deleted files whole', () => {
    expect(fileChangeDiff('add', 'a\nb\n').rows.map((r) => [r.kind, r.newNo, r.text])).toEqual([
      ['add', 1, 'a'],
      ['add', 2, 'b'],
    ]);
    const del = fileChangeDiff('delete', 'x');
    expect([del.deletions, del.rows[0]!.oldNo]).toEqual([1, 1]);
    expect(fileChangeDiff('add', '').rows).toEqual([]);
  });
});
