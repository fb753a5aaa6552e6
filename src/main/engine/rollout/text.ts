// Small text rules codex applies when it extracts thread metadata (docs/FORMAT.md §2.7, §6.1).
import fs from 'node:fs';
import path from 'node:path';

export const USER_MESSAGE_BEGIN = '## My request for Codex:';
export const IMAGE_PREVIEW = '[Image]';

/** The part of a user message after codex's request marker, trimmed. */
export function stripUserMessagePrefix(text: string): string {
  const at = text.indexOf(USER_MESSAGE_BEGIN);
  return (at >= 0 ? text.slice(at + USER_MESSAGE_BEGIN.length) : text).trim();
}

/**
 * Preview of a user message: its stripped text; "[Image]" when it carries only images; null when
 * it is blank (then the next user message is considered).
 */
export function userMessagePreview(text: string, imageCount: number): string | null {
  const stripped = stripUserMessagePrefix(text);
  if (stripped !== '') return stripped;
  return imageCount > 0 ? IMAGE_PREVIEW : null;
}

const SCHEME_URL = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#]*@)?(.*)$/s;

/** Strips credentials (userinfo) from a URL-shaped git remote; scp-like remotes are left alone. */
export function sanitizeOriginUrl(url: string): string {
  const m = SCHEME_URL.exec(url);
  if (!m || !m[2]) return url;
  return `${m[1]}${m[3]}`;
}

/** True when sanitizing removed something (the UI says so). */
export const hadCredentials = (url: string): boolean => sanitizeOriginUrl(url) !== url;

/** A cwd normalised lexically: no `.`/`..` segments, no trailing separator (except the root). */
export function normalizeCwdLexically(cwd: string): string {
  if (cwd === '') return '';
  let p = path.normalize(cwd);
  while (p.length > 1 && (p.endsWith('/') || p.endsWith('\\')) && !/^[A-Za-z]:[\\/]$/.test(p)) p = p.slice(0, -1);
  return p;
}

/** Canonical forms already resolved in this thread: a home has a few hundred distinct cwds at most. */
const canonical = new Map<string, string>();
const CANONICAL_CACHE_MAX = 4096;

/**
 * A cwd as codex stores and compares it: canonicalised (symlinks resolved) when the directory
 * exists on this machine, else normalised lexically.
 */
export function normalizeCwd(cwd: string): string {
  const lexical = normalizeCwdLexically(cwd);
  if (lexical === '' || !path.isAbsolute(lexical)) return lexical;
  const hit = canonical.get(lexical);
  if (hit !== undefined) return hit;
  let out = lexical;
  try {
    out = fs.realpathSync.native(lexical);
  } catch {
    // Gone, or never on this machine: the recorded path is all there is.
  }
  if (canonical.size >= CANONICAL_CACHE_MAX) canonical.clear();
  canonical.set(lexical, out);
  return out;
}

/** Shortens long text for an index preview column without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}
