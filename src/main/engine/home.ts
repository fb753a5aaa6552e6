// A CODEX_HOME: where its rollouts live, how relative paths map to absolute ones, and what its
// config.toml says about the default model provider. No path a client sends escapes the home.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';

export const SESSIONS_DIR = 'sessions';
export const ARCHIVED_DIR = 'archived_sessions';
export const SESSION_INDEX = 'session_index.jsonl';
/** Codex's built-in default provider when config.toml names none. */
export const BUILTIN_DEFAULT_PROVIDER = 'openai';

export function resolveHomePath(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const raw = explicit ?? env['CODEX_HOME'] ?? path.join(os.homedir(), '.codex');
  return path.resolve(raw);
}

export class CodexHome {
  readonly root: string;
  /** The root with one trailing separator: what every path inside it starts with. */
  private readonly rootPrefix: string;
  readonly sessionsDir: string;
  readonly archivedDir: string;
  readonly sessionIndexPath: string;
  readonly configPath: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.rootPrefix = this.root.endsWith(path.sep) ? this.root : this.root + path.sep;
    this.sessionsDir = path.join(this.root, SESSIONS_DIR);
    this.archivedDir = path.join(this.root, ARCHIVED_DIR);
    this.sessionIndexPath = path.join(this.root, SESSION_INDEX);
    this.configPath = path.join(this.root, 'config.toml');
  }

  /** Absolute path of a home-relative path; throws if the result would leave the home. */
  abs(rel: string): string {
    const p = path.resolve(this.root, ...rel.split('/'));
    if (!isInside(this.root, p)) throw new Error(`path escapes the Codex home: ${rel}`);
    return p;
  }

  /**
   * Absolute path of a home-relative path Spool is about to write (append, replace, move from or
   * to). Beyond abs()'s lexical check, the write must stay inside the home on disk: the file must
   * not be a symbolic link, and the real location of its folder must be inside the home's real
   * location — or inside the real location of `sessions/` or `archived_sessions/`, which a user may
   * keep on another disk through a link (codex and the indexer follow those two). A link deeper
   * down that leads out is refused with a clear error, and nothing is written.
   */
  writable(rel: string): string {
    const p = this.abs(rel);
    if (fs.lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink())
      throw new PathEscapeError(`refusing to write through a symbolic link: ${rel}`);
    // The nearest folder that exists: folders still to be created will be made inside it.
    let dir = path.dirname(p);
    while (dir !== this.root && !fs.lstatSync(dir, { throwIfNoEntry: false })) dir = path.dirname(dir);
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (err) {
      throw new PathEscapeError(`cannot resolve the folder of ${rel}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const top = rel.split('/', 1)[0];
    const roots = [this.root, ...(top === SESSIONS_DIR ? [this.sessionsDir] : top === ARCHIVED_DIR ? [this.archivedDir] : [])];
    if (!roots.some((r) => isInside(realOrNull(r) ?? r, real)))
      throw new PathEscapeError(`refusing to write outside the Codex home: ${rel} leads to ${real}`);
    return p;
  }

  /** Home-relative path with '/' separators; throws for a path outside the home. */
  rel(abs: string): string {
    const rel = this.relIfInside(abs);
    if (rel === null) throw new Error(`path is outside the Codex home: ${abs}`);
    return rel;
  }

  /**
   * rel() for a path that may lie outside the home: null then. Paths the index stores are already
   * normalised, so for them a prefix test decides; anything else (dot segments, doubled
   * separators, another spelling of the root) is resolved in full. Read-repair asks this for every
   * row it serves.
   */
  relIfInside(abs: string): string | null {
    if (abs.startsWith(this.rootPrefix)) {
      const rest = abs.slice(this.rootPrefix.length);
      if (rest !== '' && !NOT_PLAIN.test(rest)) return path.sep === '/' ? rest : rest.split(path.sep).join('/');
    }
    const p = path.resolve(abs);
    return isInside(this.root, p) ? path.relative(this.root, p).split(path.sep).join('/') : null;
  }

  /** The configured default provider (`model_provider` in config.toml), else codex's built-in. */
  defaultProvider(): string {
    try {
      const text = fs.readFileSync(this.configPath, 'utf8');
      const cfg = parseToml(text) as Record<string, unknown>;
      const p = cfg['model_provider'];
      return typeof p === 'string' && p.trim() !== '' ? p.trim() : BUILTIN_DEFAULT_PROVIDER;
    } catch {
      return BUILTIN_DEFAULT_PROVIDER;
    }
  }
}

function realOrNull(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

/** A write that would leave the home on disk (a symbolic link, a linked folder). */
export class PathEscapeError extends Error {
  override name = 'PathEscapeError';
}

/** A relative path with a `.` or `..` segment, an empty segment, or a separator at either end. */
const NOT_PLAIN = /(^|[\\/])\.{1,2}([\\/]|$)|[\\/]{2}|^[\\/]|[\\/]$/;

export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** `rollout-YYYY-MM-DDThh-mm-ss-<uuid>.jsonl` → its parts, or null for any other name. */
const ROLLOUT_NAME =
  /^rollout-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2})-([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\.jsonl$/;
export function parseRolloutFilename(name: string): { timestamp: string; uuid: string } | null {
  const m = ROLLOUT_NAME.exec(name);
  return m ? { timestamp: m[1]!, uuid: m[2]!.toLowerCase() } : null;
}

/** Where codex puts an unarchived rollout: sessions/YYYY/MM/DD/<name>, from the name's date. */
export function activeRelPathFor(fileName: string): string | null {
  const parsed = parseRolloutFilename(fileName);
  if (!parsed) return null;
  const [y, m, d] = parsed.timestamp.slice(0, 10).split('-');
  return `${SESSIONS_DIR}/${y}/${m}/${d}/${fileName}`;
}

export const archivedRelPathFor = (fileName: string): string => `${ARCHIVED_DIR}/${fileName}`;
