// Opening Spool's index database: one handle, WAL, busy_timeout, foreign keys, numbered
// migrations applied in one transaction, and a refusal to touch a database from a newer Spool.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export class FutureDatabaseError extends Error {
  readonly file: string;
  readonly found: number;
  readonly supported: number;
  constructor(file: string, found: number, supported: number) {
    super(
      `The index at ${file} was written by a newer Spool (schema version ${found}; this Spool knows up to ${supported}). ` +
        `Update Spool, or point it at another data folder with --data-dir.`,
    );
    this.name = 'FutureDatabaseError';
    this.file = file;
    this.found = found;
    this.supported = supported;
  }
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** The `migrations/` folder next to package.json, found from this module whether bundled or not. */
export function defaultMigrationsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'migrations');
    if (fs.existsSync(path.join(candidate, '0001_init.sql'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the migrations folder');
    dir = parent;
  }
}

export function loadMigrations(dir: string): Migration[] {
  const found: Migration[] = [];
  for (const file of fs.readdirSync(dir).sort()) {
    const m = MIGRATION_FILE.exec(file);
    if (!m) continue;
    found.push({ version: Number(m[1]), name: m[2]!, sql: fs.readFileSync(path.join(dir, file), 'utf8') });
  }
  // Each feature owns a reserved range of numbers, so the sequence may have gaps; a number used
  // twice is a merge mistake.
  found.forEach((mig, i) => {
    if (i > 0 && mig.version === found[i - 1]!.version)
      throw new Error(`two migrations are numbered ${String(mig.version).padStart(4, '0')}`);
  });
  return found;
}

/** A digest of the migrations' text: an index built by exactly these carries it (meta `migrations`). */
export function migrationsDigest(migrations: Migration[]): string {
  const h = createHash('sha256');
  for (const m of migrations) h.update(`${m.version}\0${m.sql}\0`);
  return h.digest('hex');
}

/** Tables, indexes, triggers and views as sqlite_schema records them (their SQL included). */
function schemaOf(db: Db): string {
  return JSON.stringify(
    db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all(),
  );
}

const expectedSchemas = new Map<string, string>();

/**
 * Whether a database's schema is the one these migrations build from nothing. A migration edited
 * after some index applied it (numbers are never reused, but a development build can run one
 * before it is final) leaves that index at the latest version with another schema; only a
 * comparison finds it. Builds the expected schema in memory once per set of migrations.
 */
export function hasSchemaOf(db: Db, migrations: Migration[], digest = migrationsDigest(migrations)): boolean {
  let expected = expectedSchemas.get(digest);
  if (expected === undefined) {
    const fresh = new Database(':memory:');
    try {
      for (const m of migrations) fresh.exec(m.sql);
      expected = schemaOf(fresh);
    } finally {
      fresh.close();
    }
    expectedSchemas.set(digest, expected);
  }
  return schemaOf(db) === expected;
}

/** The schema version a set of migrations brings a database to: the highest number. */
export const latestVersion = (migrations: Migration[]): number =>
  migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;

/** Applies every pending migration in one transaction; refuses a database from the future. */
export function migrate(db: Db, migrations: Migration[], file = db.name): { from: number; to: number } {
  const latest = latestVersion(migrations);
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > latest) throw new FutureDatabaseError(file, from, latest);
  if (from === latest) return { from, to: from };
  db.transaction(() => {
    for (const mig of migrations) if (mig.version > from) db.exec(mig.sql);
    // PRAGMA does not take bound parameters; `latest` is an integer we computed.
    db.pragma(`user_version = ${latest}`);
  }).immediate();
  db.pragma('optimize');
  return { from, to: latest };
}

export interface OpenOptions {
  migrationsDir?: string;
  /** The migrations already loaded (instead of reading `migrationsDir` again). */
  migrations?: Migration[];
  /** Called when a corrupt database was moved aside and a new one created. */
  onRecovered?: (movedTo: string, reason: string) => void;
  /** Called when migrations were applied (from 0: a new database). */
  onMigrated?: (from: number, to: number) => void;
  /**
   * Leave the full integrity check of a large database to the caller (`checkIntegrity`, off the
   * engine's thread): it reads every page, two seconds at 100k threads, before the first page
   * could be served. Called with true when the check was left out.
   */
  deferIntegrityCheck?: (deferred: boolean) => void;
  /** From what size the check is deferred (default DEFER_CHECK_BYTES; tests lower it). */
  deferCheckAtBytes?: number;
}

/** Databases at least this large have their integrity checked after start, when the caller can. */
export const DEFER_CHECK_BYTES = 64 * 1024 * 1024;

/** A marker left next to a database found damaged while in use: the next open rebuilds it. */
export const damagedMarker = (file: string): string => `${file}.damaged`;

/**
 * Reads every page of a database through its own read-only connection: 'ok', or what is wrong.
 * Anything else that stops the check (the file gone, a lock) is not damage and reads as 'ok'.
 */
export function checkIntegrity(file: string): string {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return String(db.pragma('quick_check(1)', { simple: true }));
    } finally {
      db.close();
    }
  } catch (err) {
    return isCorruptionError(err) ? (err as Error).message : 'ok';
  }
}

/**
 * Empties the index: drops every table and view (whatever migrations created them) and applies
 * the migrations again, in one transaction. The index is a cache of the rollouts and the user
 * journal, so this loses nothing; callers reload the journal and backfill afterwards.
 */
export function resetIndex(db: Db, migrations: Migration[] = loadMigrations(defaultMigrationsDir())): void {
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      const objects = db
        .prepare("SELECT type, name, sql FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
        .all() as { type: string; name: string; sql: string | null }[];
      const quoted = (n: string): string => `"${n.replace(/"/g, '""')}"`;
      // Virtual tables first: dropping one drops its shadow tables with it.
      for (const o of objects.filter((x) => x.type === 'table' && /^CREATE VIRTUAL/i.test(x.sql ?? '')))
        db.exec(`DROP TABLE IF EXISTS ${quoted(o.name)}`);
      for (const o of objects.filter((x) => x.type === 'view')) db.exec(`DROP VIEW IF EXISTS ${quoted(o.name)}`);
      for (const o of objects.filter((x) => x.type === 'table')) db.exec(`DROP TABLE IF EXISTS ${quoted(o.name)}`);
      for (const mig of migrations) db.exec(mig.sql);
      db.pragma(`user_version = ${latestVersion(migrations)}`);
    }).immediate();
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

function configure(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -32768');
  db.pragma('temp_store = MEMORY');
}

const CORRUPTION_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_SEQUENCE',
  'SQLITE_CORRUPT_VTAB',
]);
export const isCorruptionError = (err: unknown): boolean =>
  err instanceof Error && 'code' in err && CORRUPTION_CODES.has(String((err as { code: unknown }).code));

/** Moves a database and its -wal/-shm aside, returning where it went. */
export function moveAside(file: string, reason: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dest = `${file}.corrupt-${stamp}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, dest + suffix);
  }
  fs.writeFileSync(`${dest}.reason.txt`, `${reason}\n`);
  return dest;
}

function openOnce(file: string, migrations: Migration[], opts: OpenOptions): Db {
  const { onMigrated, deferIntegrityCheck: deferCheck } = opts;
  const marker = damagedMarker(file);
  if (fs.existsSync(marker)) {
    // A check after the last start found this database damaged: rebuild it now.
    const reason = fs.readFileSync(marker, 'utf8').trim() || 'found damaged while in use';
    fs.rmSync(marker, { force: true });
    const err = new Error(reason) as Error & { code: string };
    err.code = 'SQLITE_CORRUPT';
    throw err;
  }
  const size = fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  const db = new Database(file);
  try {
    // Before changing anything (WAL mode rewrites the header): is this database from the future?
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latestVersion(migrations)) throw new FutureDatabaseError(file, version, latestVersion(migrations));
    configure(db);
    // Reading the schema touches page 1 and the sqlite_schema b-tree: the cheap way to find a
    // database that is not a database at all before we trust it.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    const defer = deferCheck !== undefined && size >= (opts.deferCheckAtBytes ?? DEFER_CHECK_BYTES);
    deferCheck?.(defer);
    const check = defer ? 'ok' : db.pragma('quick_check(1)', { simple: true });
    if (check !== 'ok') {
      const err = new Error(`quick_check: ${String(check)}`) as Error & { code: string };
      err.code = 'SQLITE_CORRUPT';
      throw err;
    }
    const m = migrate(db, migrations, file);
    if (m.from !== m.to) onMigrated?.(m.from, m.to);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Opens (creating if needed) the index database at `file`. A corrupt database is moved aside and
 * replaced by an empty one, which the indexer then rebuilds from the rollouts: the index is a cache.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  const migrations = opts.migrations ?? loadMigrations(opts.migrationsDir ?? defaultMigrationsDir());
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    return openOnce(file, migrations, opts);
  } catch (err) {
    if (!isCorruptionError(err)) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    const movedTo = moveAside(file, reason);
    opts.onRecovered?.(movedTo, reason);
    return openOnce(file, migrations, opts);
  }
}
