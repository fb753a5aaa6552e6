// The git editor's model: tri-state patches, validation as the user types, and credentials
// stripped exactly as the engine strips them.
import { describe, expect, it } from 'vitest';
import { sanitizeOriginUrl } from '../../../../main/engine/rollout/text.ts';
import { applyPatch, buildPatch, credentialNote, emptyDraft, fieldError, stripCredentials } from './git-patch.ts';

describe('git editor model', () => {
  it('builds tri-state patches: unchanged fields are left out, cleared ones are null', () => {
    const d = emptyDraft();
    expect(buildPatch(d)).toEqual({ patch: {}, errors: {} });
    d.branch = { mode: 'set', value: '  feature/x  ' };
    d.sha = { mode: 'clear' };
    expect(buildPatch(d)).toEqual({ patch: { branch: 'feature/x', sha: null }, errors: {} });
    d.originUrl = { mode: 'set', value: 'https://bot:s3cr3t@github.com/acme/x.git' };
    expect(buildPatch(d).patch.originUrl).toBe('https://github.com/acme/x.git');
  });

  it('validates as the user types', () => {
    expect(fieldError('sha', 'abc123')).toMatch(/7 to 40/);
    expect(fieldError('sha', 'abc1234')).toBeNull();
    expect(fieldError('sha', 'g'.repeat(10))).not.toBeNull();
    expect(fieldError('sha', 'a'.repeat(41))).not.toBeNull();
    expect(fieldError('branch', '   ')).toMatch(/Enter a value/);
    expect(fieldError('branch', 'feature/login-page')).toBeNull();
    expect(fieldError('branch', 'has space')).not.toBeNull();
    expect(fieldError('originUrl', 'git@github.com:acme/x.git')).toBeNull();
    const d = emptyDraft();
    d.sha = { mode: 'set', value: 'xyz' };
    expect(Object.keys(buildPatch(d).errors)).toEqual(['sha']);
  });

  it('strips credentials exactly as the engine does, and says so', () => {
    for (const url of [
      'https://bot:tok@github.com/a/b.git',
      'https://tok@host/x',
      'ssh://git@host:22/x',
      'git@github.com:a/b.git',
      'https://github.com/a/b',
      'file:///srv/x',
      'http://u:p@h?x=@y',
    ]) {
      expect(stripCredentials(url).url, url).toBe(sanitizeOriginUrl(url));
    }
    expect(credentialNote('https://bot:tok@github.com/a/b.git')).toContain('https://github.com/a/b.git');
    expect(credentialNote('https://github.com/a/b.git')).toBeNull();
  });

  it('applies a patch for the optimistic view', () => {
    const cur = { sha: 'abcdef1', branch: 'main', originUrl: null };
    expect(applyPatch(cur, { branch: 'dev' })).toEqual({ sha: 'abcdef1', branch: 'dev', originUrl: null });
    expect(applyPatch(cur, { sha: null, branch: null })).toBeNull();
    expect(applyPatch(null, { originUrl: 'https://h/x' })).toEqual({ sha: null, branch: null, originUrl: 'https://h/x' });
  });
});
