// appendLines on a disk that fills up mid-write: the file keeps no partial line of ours.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appendLines } from './atomic.ts';
import { tmpDir } from '../../../../test/support/tmp.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('appendLines', () => {
  it('cuts the file back to its old length when the write fails part-way', () => {
    const file = path.join(tmpDir('spool-atomic-'), 'session_index.jsonl');
    fs.writeFileSync(file, '{"id":"a"}\n{"torn":');
    const real = fs.writeSync;
    // A full disk: the first write is short (what fits), the next one fails.
    let calls = 0;
    vi.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: Buffer, off: number) => {
      calls++;
      if (calls === 1) return real(fd, data, off, 5);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as typeof fs.writeSync);
    expect(() => appendLines(file, ['{"id":"b","thread_name":"x"}'])).toThrow(/ENOSPC/);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"id":"a"}\n{"torn":');
    vi.restoreAllMocks();
    appendLines(file, ['{"id":"b"}']);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"id":"a"}\n{"torn":\n{"id":"b"}\n');
  });
});
