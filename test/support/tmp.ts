// Temporary folders a test file creates, removed when the file's tests are done. Import this from
// a test file (at its top level) so the clean-up hook belongs to that file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

afterAll(() => {
  for (const d of made.splice(0)) {
    // A test may have locked a folder (permission tests): unlock before removing.
    try {
      fs.chmodSync(d, 0o755);
    } catch {
      // already gone
    }
    fs.rmSync(d, { recursive: true, force: true });
  }
});

/** A new empty folder under the OS temp dir, removed after the importing file's tests. */
export function tmpDir(prefix = 'spool-test-'): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(d);
  return d;
}
