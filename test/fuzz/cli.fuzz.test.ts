// Fuzz of the command line: thousands of hostile requests through `spool call -` (newline-delimited
// JSON-RPC on stdin, one process, the real engine on a copy of a real home), then separate
// `spool call` invocations with hostile argv. Every request gets a JSON-RPC answer, every
// invocation a clean exit (1 with a JSON-RPC error object, or 2 with the usage), never a crash;
// the process's memory stays bounded.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyHome, realHome, REPO_ROOT, STANDARD_HOME } from '../support/real-home.ts';
import { tmpDir } from '../support/tmp.ts';
import {
  checkAnswer,
  describeOutcomes,
  expectsAnswer,
  FUZZ_SEED,
  hostileText,
  methodOf,
  newOutcomes,
  PATH_LIKE,
  samples,
} from './requests.ts';

const RUNS = 2600;
const WARMUP = 300;
const SPOOL = path.join(REPO_ROOT, 'bin', 'spool.js');
let home: string;
let dataDir: string;

beforeAll(() => {
  home = copyHome(realHome(...STANDARD_HOME).home, tmpDir('spool-cli-fuzz-home-'));
  dataDir = tmpDir('spool-cli-fuzz-data-');
});

/** VmRSS and VmHWM (peak) of a process, in MB. */
function procMemory(pid: number): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

describe('CLI fuzz', () => {
  let ids: string[] = [];

  it(`spool call - answers ${RUNS} hostile lines with JSON-RPC, in order, and stays up`, async () => {
    const child = spawn(process.execPath, [SPOOL, 'call', '-', '--home', home, '--data-dir', dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = readline.createInterface({ input: child.stdout, crlfDelay: Infinity })[Symbol.asyncIterator]();
    const ask = async (text: string): Promise<unknown> => {
      child.stdin.write(`${text}\n`);
      const r = await lines.next();
      if (r.done) throw new Error(`spool call - ended early: ${stderr}`);
      return JSON.parse(r.value) as unknown;
    };
    const first = (await ask(JSON.stringify({ id: 0, method: 'thread/list', params: { limit: 100, includeEmptyPreview: true } }))) as {
      result: { data: { id: string }[] };
    };
    ids = first.result.data.map((t) => t.id);
    expect(ids.length).toBeGreaterThan(5);
    const start = procMemory(child.pid!);
    let before = start;

    const out = newOutcomes();
    const problems: string[] = [];
    let silent = 0;
    let i = 0;
    for (const raw of samples(hostileText(ids), RUNS)) {
      if (i++ === WARMUP) before = procMemory(child.pid!);
      // One request per line: a line break inside a malformed text would make it two.
      const text = raw.replace(/[\r\n]/g, ' ');
      if (text.trim() === '' || !expectsAnswer(text)) {
        child.stdin.write(`${text}\n`);
        silent++;
        continue;
      }
      const method = methodOf(text);
      const p = checkAnswer(await ask(text), method, out);
      if (p) problems.push(`${p}\n  sent: ${text.slice(0, 300)}`);
    }
    const last = await ask(JSON.stringify({ jsonrpc: '2.0', id: 'final', method: 'thread/list', params: { limit: 1 } }));
    expect(last).toMatchObject({ id: 'final', result: { data: expect.any(Array) } });
    const after = procMemory(child.pid!);
    child.stdin.end();
    const code = await new Promise<number | null>((r) => child.on('close', r));
    console.log(
      `${describeOutcomes('CLI (spool call -)', out)}; ${silent} notifications/blank lines (no answer); seed ${FUZZ_SEED}; process memory at start rss ${start.rssMb} MB, after warm-up ${before.rssMb} MB, after rss ${after.rssMb} MB, peak ${after.peakMb} MB`,
    );
    expect(problems.slice(0, 5)).toEqual([]);
    expect(code).toBe(0);
    expect(out.requests + silent).toBe(RUNS);
    expect(after.rssMb - before.rssMb).toBeLessThan(600);
    expect(after.peakMb).toBeLessThan(2048);
  });

  it('spool call tells the user on stderr when it found its index damaged (and still answers)', () => {
    const damaged = tmpDir('spool-cli-damaged-');
    fs.writeFileSync(path.join(damaged, 'index.sqlite'), Buffer.alloc(8192, 0x42));
    const r = spawnSync(process.execPath, [SPOOL, 'call', 'thread/list', '{"limit":1}', '--home', home, '--data-dir', damaged], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^spool: Spool's index was damaged .* rebuilt/m);
    expect(JSON.parse(r.stdout)).toMatchObject({ data: [expect.any(Object)] });
  });

  it('spool call with hostile argv exits cleanly: a JSON-RPC error (1) or the usage (2), never a crash', () => {
    const id = ids[0] ?? '019a0000-0000-7000-8000-000000000000';
    const cases: { argv: string[]; code: 0 | 1 | 2 }[] = [
      { argv: ['../../etc/passwd'], code: 1 },
      { argv: ['thread/read', JSON.stringify({ threadId: '../../etc/passwd' })], code: 1 },
      { argv: ['thread/read', JSON.stringify({ threadId: '/etc/passwd' })], code: 1 },
      { argv: ['thread/read', JSON.stringify({ threadId: `${id}/../../..` })], code: 1 },
      { argv: ['spool/item/text', JSON.stringify({ threadId: id, handle: '../../etc/passwd' })], code: 1 },
      {
        argv: [
          'thread/turns/list',
          JSON.stringify({
            threadId: id,
            cursor: '{"requestedThreadId":"../../x","rolloutOrdinal":1e300,"includeAnchor":true,"scope":{"kind":"turns"}}',
          }),
        ],
        code: 1,
      },
      { argv: ['thread/list', JSON.stringify({ cursor: '9999-99-99T99:99:99Z|../../etc' })], code: 1 },
      { argv: ['thread/list', '{not json'], code: 1 },
      { argv: ['thread/list', 'x'.repeat(100_000)], code: 1 },
      { argv: ['thread/list', JSON.stringify({ cwd: PATH_LIKE })], code: 0 },
      { argv: ['host/saveFile', JSON.stringify({ suggestedName: '../../../tmp/owned', content: 'x', mimeType: 'text/plain' })], code: 1 },
      { argv: ['m'.repeat(5000)], code: 1 },
      { argv: ['thread/list', '{}', 'extra'], code: 2 },
      { argv: ['-', '{}'], code: 2 },
      { argv: ['thread/list', '--no-such-flag'], code: 2 },
      { argv: [], code: 2 },
    ];
    for (const c of cases) {
      const r = spawnSync(process.execPath, [SPOOL, 'call', ...c.argv, '--home', home, '--data-dir', dataDir], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      const label = `spool call ${c.argv.map((a) => a.slice(0, 60)).join(' ')}`;
      expect(r.stderr, label).not.toMatch(/\n\s+at /); // no stack trace
      if (c.code === 0) {
        expect(r.status, label).toBe(0);
        expect(JSON.parse(r.stdout), label).toMatchObject({ data: [] });
        continue;
      }
      expect(r.status, `${label}: ${r.stderr.slice(0, 300)}`).toBe(c.code);
      if (c.code === 1) expect(JSON.parse(r.stdout), label).toMatchObject({ code: expect.any(Number), message: expect.any(String) });
      else expect(r.stderr, label).toMatch(/Usage:/);
    }
  });
});
