// Validates Spool's responses against the JSON schema the pinned codex generates
// (`codex app-server generate-json-schema`), so "Codex-shaped" is checked, not asserted by hand.
// The schemas of each method and notification are the router's (src/main/rpc/result-check.ts),
// which checks every result of a codex method that passes through it in tests.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { CodexSchemas, newAjv } from '../../src/main/rpc/result-check.ts';
import { CACHE_DIR, REPO_ROOT } from './real-home.ts';

const CODEX = path.join(REPO_ROOT, 'node_modules', '.bin', 'codex');

let dir: string | null = null;
/** The generated schema folder (generated once per codex version, cached). */
export function codexSchemaDir(): string {
  if (dir) return dir;
  const version = (
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules/@openai/codex/package.json'), 'utf8')) as { version: string }
  ).version;
  const out = path.join(CACHE_DIR, 'codex-schema', version);
  if (!fs.existsSync(path.join(out, 'v2', 'ThreadListResponse.json'))) {
    fs.mkdirSync(out, { recursive: true });
    const r = spawnSync(CODEX, ['app-server', 'generate-json-schema', '--out', out], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`generate-json-schema failed: ${r.stderr}`);
  }
  dir = out;
  return out;
}

const schemas = new CodexSchemas(codexSchemaDir(), newAjv(Ajv));

/** Schema file (relative to the generated folder) for each method's response / each notification. */
export const RESPONSE_SCHEMAS: Record<string, string> = Object.fromEntries(schemas.responses);
export const NOTIFICATION_SCHEMAS: Record<string, string> = Object.fromEntries(schemas.notifications);

/** Returns a readable list of schema violations (empty when the value is valid). */
export function schemaErrors(kind: 'response' | 'notification', method: string, value: unknown): string[] {
  const file = (kind === 'response' ? RESPONSE_SCHEMAS : NOTIFICATION_SCHEMAS)[method];
  if (!file) throw new Error(`no codex schema known for ${kind} ${method}`);
  return schemas.errors(file, value);
}
