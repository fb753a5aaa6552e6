// The results of codex's methods, checked at the router against the JSON schema the pinned codex
// generates (`codex app-server generate-json-schema`): the types say what Spool answers, this
// proves it on every answer that passes through. Development and tests only: it runs when
// SPOOL_CHECK_RESULTS names the generated schema folder (the test setup sets it; a developer may
// for `npx spool serve` or `npm run dev`), a packaged app never runs it, and the validator (ajv, a
// devDependency) is loaded only then. Spool's own methods have no codex schema and are not checked.
import fs from 'node:fs';
import path from 'node:path';
import type { Ajv, ValidateFunction } from 'ajv';
import { methods, type MethodName } from '../../shared/protocol/methods.ts';
import { notifications } from '../../shared/protocol/notifications.ts';

export const CHECK_RESULTS_ENV = 'SPOOL_CHECK_RESULTS';

const V2_BUNDLE = 'codex_app_server_protocol.v2.schemas';

/** The schema violations of a result (empty when it is valid, or when codex has no schema for the method). */
export type ResultCheck = (method: MethodName, result: unknown) => string[];

/** method → schema file of its params or notification, from one of codex's unions (ClientRequest, ServerNotification). */
function schemaFilesOf(dir: string, union: string, suffix: (paramsName: string) => string, wanted: Iterable<string>): Map<string, string> {
  const schema = JSON.parse(fs.readFileSync(path.join(dir, `${union}.json`), 'utf8')) as {
    oneOf: { properties: { method: { enum: string[] }; params?: { $ref?: string } } }[];
  };
  const names = new Map<string, string>();
  for (const variant of schema.oneOf) {
    const ref = variant.properties.params?.$ref;
    const method = variant.properties.method.enum[0];
    if (ref && method) names.set(method, suffix(ref.slice(ref.lastIndexOf('/') + 1)));
  }
  const out = new Map<string, string>();
  for (const method of wanted) {
    const name = names.get(method);
    const file = name && ['v2', 'v1', '.'].map((sub) => path.posix.join(sub, `${name}.json`)).find((f) => fs.existsSync(path.join(dir, f)));
    if (file) out.set(method, file);
  }
  return out;
}

/** The pinned codex's schemas for the responses and notifications of the codex methods in Spool's tables. */
export class CodexSchemas {
  /** Method → schema file (relative to the folder), for each codex method of the table codex declares a response for. */
  readonly responses: ReadonlyMap<string, string>;
  /** Notification → schema file, for each codex notification Spool sends. */
  readonly notifications: ReadonlyMap<string, string>;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly dir: string;
  private readonly ajv: Ajv;

  constructor(dir: string, ajv: Ajv) {
    this.dir = dir;
    this.ajv = ajv;
    const codexMethods = Object.entries(methods)
      .filter(([, spec]) => spec.codexCompatible)
      .map(([m]) => m);
    this.responses = schemaFilesOf(dir, 'ClientRequest', (p) => p.replace(/Params$/, 'Response'), codexMethods);
    this.notifications = schemaFilesOf(dir, 'ServerNotification', (p) => p, Object.keys(notifications));
  }

  /** Violations of `value` against the schema in `file`, readable, at most all of them. */
  errors(file: string, value: unknown): string[] {
    let v = this.validators.get(file);
    if (!v) {
      v = this.compile(file);
      this.validators.set(file, v);
    }
    if (v(value)) return [];
    return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }

  /**
   * A v2 schema is compiled from codex's v2 bundle, where it is the same definition (each v2 file
   * repeats the definitions it uses): the thread, turn and item definitions are then compiled once
   * for all methods, not once per method (seconds per process otherwise).
   */
  private compile(file: string): ValidateFunction {
    const v2 = /^v2\/(\w+)\.json$/.exec(file)?.[1];
    if (v2 === undefined) return this.ajv.compile(JSON.parse(fs.readFileSync(path.join(this.dir, file), 'utf8')) as object);
    if (!this.ajv.getSchema(V2_BUNDLE)) {
      const bundle = JSON.parse(fs.readFileSync(path.join(this.dir, `${V2_BUNDLE}.json`), 'utf8')) as object;
      this.ajv.addSchema(bundle, V2_BUNDLE, undefined, false);
    }
    return this.ajv.compile({ $ref: `${V2_BUNDLE}#/definitions/${v2}` });
  }

  readonly check: ResultCheck = (method, result) => {
    const file = this.responses.get(method);
    return file ? this.errors(file, result) : [];
  };
}

/** Ajv as codex's schemas need it: draft-07 with codex's own keywords tolerated, formats unchecked. */
export const newAjv = (AjvClass: typeof Ajv): Ajv => new AjvClass({ strict: false, allErrors: true, validateFormats: false });

// A variable, so that no bundler resolves (and ships) the devDependency.
const AJV_MODULE = 'ajv';
let fromEnv: Promise<ResultCheck> | undefined;

/** The check SPOOL_CHECK_RESULTS asks for (loaded once per process), or null when it is not set. */
export function resultCheckFromEnv(): Promise<ResultCheck> | null {
  const dir = process.env[CHECK_RESULTS_ENV];
  if (!dir) return null;
  fromEnv ??= (async () => {
    const { Ajv: AjvClass } = (await import(AJV_MODULE)) as { Ajv: typeof Ajv };
    return new CodexSchemas(dir, newAjv(AjvClass)).check;
  })();
  return fromEnv;
}
