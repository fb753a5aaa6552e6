// Generates the shared real homes once per test run, before test files run in parallel (the mixed
// home installs older codex versions into .cache/codex-versions the first time: about a minute).
//
// Every test file's temporary folders go under one folder for the run, removed at its end: a test
// that forgets its own clean-up (or dies before it) no longer leaves hundreds of megabytes in /tmp.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIXED_HOME, realHome, STANDARD_HOME } from './support/real-home.ts';
import { codexSchemaDir } from './support/codex-schema.ts';
import { CHECK_RESULTS_ENV } from '../src/main/rpc/result-check.ts';

export default function setup(): () => void {
  realHome(...STANDARD_HOME);
  realHome(...MIXED_HOME);
  const runTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-vitest-'));
  // Passable but not listable by others (mkdtemp makes it 0700): tests that run the CLI as an
  // unprivileged user reach the folders they open to it inside.
  fs.chmodSync(runTmp, 0o711);
  // Read by os.tmpdir() in the test workers, which inherit this environment.
  for (const k of ['TMPDIR', 'TMP', 'TEMP']) process.env[k] = runTmp;
  // Every router in the tests checks the results of codex's methods against codex's schema.
  process.env[CHECK_RESULTS_ENV] = codexSchemaDir();
  return () => fs.rmSync(runTmp, { recursive: true, force: true });
}
