// CodexHome's path checks: relIfInside (read-repair's per-row check, with a prefix fast path) must
// answer exactly what the full resolution answers, for plain paths and for every spelling that
// could sneak out of the home or into a sibling folder.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodexHome, isInside } from './home.ts';

const root = path.resolve('/tmp/spool-home-test/.codex');
const home = new CodexHome(root);
/** The definition relIfInside (and rel(), which uses it) must agree with: resolve, check, relativise. */
const reference = (abs: string): string | null => {
  const p = path.resolve(abs);
  return isInside(root, p) ? path.relative(root, p).split(path.sep).join('/') : null;
};

const CASES = [
  'sessions/2026/01/02/rollout-2026-01-02T10-11-12-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.jsonl',
  'archived_sessions/rollout-2026-01-02T10-11-12-0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b.jsonl',
  'session_index.jsonl',
  'sessions/./2026/x.jsonl',
  'sessions/../sessions/x.jsonl',
  'sessions/../../outside.jsonl',
  '../.codex/sessions/x.jsonl',
  '../.codex-other/sessions/x.jsonl',
  '../.codex2/x.jsonl',
  'sessions//x.jsonl',
  'sessions/x.jsonl/',
  'sessions/..',
  '..',
  '.',
  '',
  'a/b/../../../etc/passwd',
  'sessions/..hidden/x.jsonl',
  'sessions/x..jsonl',
  'sessions/.x.jsonl',
];

describe('CodexHome.relIfInside', () => {
  it('agrees with the full resolution on plain and crafted paths', () => {
    for (const c of CASES) {
      const abs = `${root}${path.sep}${c}`;
      expect(home.relIfInside(abs), c).toBe(reference(abs));
    }
    for (const abs of [root, `${root}${path.sep}`, path.dirname(root), `${root}-other${path.sep}x.jsonl`, '/etc/passwd'])
      expect(home.relIfInside(abs), abs).toBe(reference(abs));
  });

  it('gives the forward-slash relative path of a file inside, and null outside', () => {
    expect(home.relIfInside(path.join(root, 'sessions', '2026', 'a.jsonl'))).toBe('sessions/2026/a.jsonl');
    expect(home.relIfInside(path.join(root, '..', 'x.jsonl'))).toBeNull();
    expect(home.relIfInside(`${root}-other${path.sep}x.jsonl`)).toBeNull();
  });
});
