// Validates Spool's responses against the JSON schema the pinned codex generates
// (`codex app-server generate-json-schema`), so "Codex-shaped" is checked, not asserted by hand.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { CACHE_DIR, REPO_ROOT } from './real-home.ts';

const CODEX = path.join(REPO_ROOT, 'node_modules', '.bin', 'codex');

/** Schema file (relative to the generated folder) for each method's response / each notification. */
export const RESPONSE_SCHEMAS: Record<string, string> = {
  initialize: 'v1/InitializeResponse.json',
  'thread/list': 'v2/ThreadListResponse.json',
  'thread/read': 'v2/ThreadReadResponse.json',
  'thread/turns/list': 'v2/ThreadTurnsListResponse.json',
  'thread/items/list': 'v2/ThreadItemsListResponse.json',
  'thread/name/set': 'v2/ThreadSetNameResponse.json',
  'thread/metadata/update': 'v2/ThreadMetadataUpdateResponse.json',
  'thread/archive': 'v2/ThreadArchiveResponse.json',
  'thread/unarchive': 'v2/ThreadUnarchiveResponse.json',
};
export const NOTIFICATION_SCHEMAS: Record<string, string> = {
  'thread/archived': 'v2/ThreadArchivedNotification.json',
  'thread/unarchived': 'v2/ThreadUnarchivedNotification.json',
  'thread/name/updated': 'v2/ThreadNameUpdatedNotification.json',
  'thread/status/changed': 'v2/ThreadStatusChangedNotification.json',
  'thread/closed': 'v2/ThreadClosedNotification.json',
};

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

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const cache = new Map<string, ValidateFunction>();

function validator(file: string): ValidateFunction {
  let v = cache.get(file);
  if (!v) {
    const schema = JSON.parse(fs.readFileSync(path.join(codexSchemaDir(), file), 'utf8')) as object;
    v = ajv.compile(schema);
    cache.set(file, v);
  }
  return v;
}

/** Returns a readable list of schema violations (empty when the value is valid). */
export function schemaErrors(kind: 'response' | 'notification', method: string, value: unknown): string[] {
  const file = (kind === 'response' ? RESPONSE_SCHEMAS : NOTIFICATION_SCHEMAS)[method];
  if (!file) throw new Error(`no codex schema known for ${kind} ${method}`);
  const v = validator(file);
  if (v(value)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
