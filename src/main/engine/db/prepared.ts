// Prepared statements by SQL text, per database: a short query's SQL takes longer to prepare than
// to run, and the shapes a client asks for are few.
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.ts';

const statements = new WeakMap<Db, Map<string, Statement>>();
const MAX_STATEMENTS = 200;

export function prepared(db: Db, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let st = cache.get(sql);
  if (!st) {
    st = db.prepare(sql);
    // If something sends many shapes, forget the oldest.
    if (cache.size >= MAX_STATEMENTS) cache.delete(cache.keys().next().value!);
    cache.set(sql, st);
  }
  return st;
}
