// Real homes for the e2e suite, written by the real codex CLI before any spec runs. Every spec's
// temporary folders (homes, data folders, browser profiles) go under one folder for the run,
// removed at its end, so a failed or interrupted spec leaves nothing in /tmp.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { realHome, STANDARD_HOME } from '../test/support/real-home.ts';

export default function globalSetup(): () => void {
  realHome(...STANDARD_HOME);
  const runTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-e2e-run-'));
  // Passable but not listable by others (mkdtemp makes it 0700): tests that run the CLI as an
  // unprivileged user reach the folders they open to it inside.
  fs.chmodSync(runTmp, 0o711);
  // Read by os.tmpdir() in the Playwright workers, which inherit this environment.
  for (const k of ['TMPDIR', 'TMP', 'TEMP']) process.env[k] = runTmp;
  return () => fs.rmSync(runTmp, { recursive: true, force: true });
}
