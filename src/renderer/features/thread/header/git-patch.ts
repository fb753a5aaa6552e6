// The git metadata editor's model: each field (branch, sha, origin URL) is left unchanged, set to a
// value, or cleared — the tri-state patch of `thread/metadata/update` (omitted / string / null).
// Validation happens as the user types, with codex's rules (non-empty after trimming) plus what a
// value must look like (a sha of 7–40 hex digits); credentials in an origin URL are stripped, as
// the engine strips them, and the editor says so. No DOM: the tests import it.
import type { GitInfo } from '../../../../shared/protocol/index.ts';

export type GitField = 'branch' | 'sha' | 'originUrl';
export const GIT_FIELDS: readonly GitField[] = ['branch', 'sha', 'originUrl'];

export type FieldEdit = { mode: 'keep' } | { mode: 'set'; value: string } | { mode: 'clear' };
export type GitDraft = Record<GitField, FieldEdit>;

export const emptyDraft = (): GitDraft => ({ branch: { mode: 'keep' }, sha: { mode: 'keep' }, originUrl: { mode: 'keep' } });

export interface GitPatch {
  sha?: string | null;
  branch?: string | null;
  originUrl?: string | null;
}

const SCHEME_URL = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#]*@)?(.*)$/s;

/**
 * A git remote without credentials (`https://user:token@host/x` → `https://host/x`); scp-like
 * remotes (`git@host:x`) carry a user name, not a secret, and stay as they are. The same rule as
 * the engine's `sanitizeOriginUrl`, so the editor shows what will be saved.
 */
export function stripCredentials(url: string): { url: string; stripped: boolean } {
  const m = SCHEME_URL.exec(url);
  if (!m || !m[2]) return { url, stripped: false };
  return { url: `${m[1]}${m[3]}`, stripped: true };
}

/** What is wrong with a value typed for `field`, or null. */
export function fieldError(field: GitField, value: string): string | null {
  const v = value.trim();
  if (v === '') return 'Enter a value, or choose Clear to remove it.';
  if (field === 'sha' && !/^[0-9a-fA-F]{7,40}$/.test(v)) return 'A commit sha is 7 to 40 hexadecimal digits.';
  if (field === 'branch' && /[\s~^:?*[\\]|\.\.|@\{|^[-/.]|[/.]$|\.lock$/.test(v))
    return 'Not a valid branch name (no spaces, ~ ^ : ? * [ \\, “..”, or leading “-”).';
  if (field === 'originUrl' && /\s/.test(v)) return 'A remote URL has no spaces.';
  return null;
}

/** The note shown under an origin URL whose credentials will be removed, or null. */
export function credentialNote(value: string): string | null {
  const { url, stripped } = stripCredentials(value.trim());
  return stripped ? `Credentials will be removed: it will be saved as ${url}` : null;
}

export interface BuiltPatch {
  patch: GitPatch;
  errors: Partial<Record<GitField, string>>;
}

/** The request's `gitInfo` for a draft (only fields the user touched), and per-field errors. */
export function buildPatch(draft: GitDraft): BuiltPatch {
  const patch: GitPatch = {};
  const errors: Partial<Record<GitField, string>> = {};
  for (const f of GIT_FIELDS) {
    const e = draft[f];
    if (e.mode === 'clear') patch[f] = null;
    else if (e.mode === 'set') {
      const err = fieldError(f, e.value);
      if (err) errors[f] = err;
      else patch[f] = f === 'originUrl' ? stripCredentials(e.value.trim()).url : e.value.trim();
    }
  }
  return { patch, errors };
}

/** The git info after a patch (for the optimistic view); null when every field is empty, as codex reports it. */
export function applyPatch(current: GitInfo | null, patch: GitPatch): GitInfo | null {
  const next: GitInfo = { sha: current?.sha ?? null, branch: current?.branch ?? null, originUrl: current?.originUrl ?? null };
  for (const f of GIT_FIELDS) if (patch[f] !== undefined) next[f] = patch[f] ?? null;
  return next.sha === null && next.branch === null && next.originUrl === null ? null : next;
}

export const isEmptyPatch = (p: GitPatch): boolean => GIT_FIELDS.every((f) => p[f] === undefined);
