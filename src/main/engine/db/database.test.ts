import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { FutureDatabaseError, latestVersion, loadMigrations, defaultMigrationsDir, migrate, openDatabase } from './database.ts';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'spool-db-'));

describe('openDatabase', () => {
  it('applies every migration in order and records user_version', () => {
    const file = path.join(tmp(), 'index.sqlite');
    const db = openDatabase(file);
    const migrations = loadMigrations(defaultMigrationsDir());
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion(migrations));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['threads', 'files', 'turns', 'spawn_edges', 'backfill_state', 'messages_fts']));
    db.close();
  });

  it('refuses a database written by a newer Spool and leaves it untouched', () => {
    const file = path.join(tmp(), 'index.sqlite');
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.exec('CREATE TABLE precious (x)');
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(FutureDatabaseError);
    expect(() => openDatabase(file)).toThrow(/newer Spool \(schema version 999/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('moves a corrupt database aside, says why, and starts a fresh one', () => {
    const dir = tmp();
    const file = path.join(dir, 'index.sqlite');
    fs.writeFileSync(file, Buffer.alloc(8192, 0x5a));
    let moved: string | null = null;
    const db = openDatabase(file, { onRecovered: (to) => (moved = to) });
    expect(moved).not.toBeNull();
    expect(fs.existsSync(moved!)).toBe(true);
    expect(fs.readFileSync(`${moved!}.reason.txt`, 'utf8')).toMatch(/not a database|corrupt|malformed/i);
    expect(db.prepare('SELECT count(*) AS n FROM threads').get()).toEqual({ n: 0 });
    db.close();
  });

  it('rolls back all pending migrations when one fails', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, '0001_a.sql'), 'CREATE TABLE a (x);');
    fs.writeFileSync(path.join(dir, '0002_b.sql'), 'CREATE TABLE b (x); THIS IS NOT SQL;');
    const db = new Database(':memory:');
    expect(() => migrate(db, loadMigrations(dir))).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'a'").get()).toEqual({ n: 0 });
  });

  it('accepts gaps between reserved ranges and rejects a number used twice', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, '0001_a.sql'), 'CREATE TABLE a (x);');
    fs.writeFileSync(path.join(dir, '0020_t.sql'), 'CREATE TABLE t (x);');
    const db = new Database(':memory:');
    expect(migrate(db, loadMigrations(dir))).toEqual({ from: 0, to: 20 });
    expect(db.pragma('user_version', { simple: true })).toBe(20);
    fs.writeFileSync(path.join(dir, '0020_u.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/two migrations are numbered 0020/);
  });
});
