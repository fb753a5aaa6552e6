// A name for the format of Spool's index — every migration (number, name, text) and the parser
// version — so that caches of built indexes (e2e homes, bench homes) are reused only by code that
// would build the same index.
import crypto from 'node:crypto';
import { defaultMigrationsDir, loadMigrations } from '../../src/main/engine/db/database.ts';
import { PARSER_VERSION } from '../../src/main/engine/rollout/parser.ts';

export function indexSchemaKey(): string {
  const h = crypto.createHash('sha1');
  for (const m of loadMigrations(defaultMigrationsDir())) h.update(`${m.version}:${m.name}:${m.sql}\n`);
  h.update(`parser:${PARSER_VERSION}`);
  return h.digest('hex').slice(0, 12);
}
