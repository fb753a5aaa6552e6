// Bad input never stops the index: every kind of damage a home can hold is indexed around, counted
// in the index report (`spool/index/report`, `spool index --report`), and crashes nothing. The
// damaged files are real codex rollouts with the damage added.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.ts';
import { createInlinePool, type ParsePool } from './parse-pool.ts';
import type { IndexReportResult } from '../../../shared/protocol/index.ts';
import { ALL_SOURCE_KINDS } from '../../../shared/protocol/index.ts';
import { realHome, REPO_ROOT, STANDARD_HOME } from '../../../../test/support/real-home.ts';
import { tmpDir } from '../../../../test/support/tmp.ts';

const NOBODY = 65534;
let home: string;
const ids: Record<string, string> = {};
let engine: Engine;
let report: IndexReportResult;

function rollout(dir: string, id: string, stamp = '2026-01-05T10-00-00'): string {
  const d = path.join(home, dir);
  fs.mkdirSync(d, { recursive: true });
  return path.join(d, `rollout-${stamp}-${id}.jsonl`);
}

/** A fresh copy of a real codex rollout under a new thread id (its lines rewritten to the new id). */
function realRollout(n: number, dir: string): { file: string; id: string; lines: string[] } {
  const real = realHome(...STANDARD_HOME);
  const r = real.manifest.rollouts.filter((x) => !x.file.startsWith('archived_sessions/'))[n]!;
  const id = `0a0b0c0d-0000-7000-8000-${String(n).padStart(12, '0')}`;
  const text = fs.readFileSync(path.join(real.home, r.file), 'utf8').split(r.id).join(id);
  return { file: rollout(dir, id), id, lines: text.split('\n').filter((l) => l !== '') };
}

/** A pool that deletes one file just before it is parsed: the file vanishes between walk and read. */
function vanishingPool(victim: string): ParsePool {
  const inner = createInlinePool();
  return {
    size: inner.size,
    parseBatch(jobs) {
      for (const j of jobs) if (j.absPath === victim) fs.rmSync(victim);
      return inner.parseBatch(jobs);
    },
    close: () => inner.close(),
  };
}

let vanishing = '';
let lockedFile = '';
let lockedDir = '';

beforeAll(async () => {
  home = tmpDir('spool-bad-');
  fs.copyFileSync(path.join(realHome(...STANDARD_HOME).home, 'config.toml'), path.join(home, 'config.toml'));

  const good = realRollout(0, 'sessions/2026/01/05');
  fs.writeFileSync(good.file, `${good.lines.join('\n')}\n`);
  ids['good'] = good.id;

  // An unfinished last line (a writer died mid-line).
  const trunc = realRollout(1, 'sessions/2026/01/05');
  fs.writeFileSync(trunc.file, `${trunc.lines.join('\n')}\n{"timestamp":"2026-01-05T10:00:09.000Z","type":"event_msg","payl`);
  ids['truncated'] = trunc.id;

  // Garbage between valid lines.
  const bad = realRollout(2, 'sessions/2026/01/05');
  fs.writeFileSync(bad.file, `${[bad.lines[0], '{not json at all', 'null', ...bad.lines.slice(1)].join('\n')}\n`);
  ids['badJson'] = bad.id;

  // A line with bytes that are not UTF-8 inside a JSON string.
  const utf = realRollout(3, 'sessions/2026/01/05');
  const badBytes = Buffer.concat([
    Buffer.from('{"timestamp":"2026-01-05T10:00:08.000Z","type":"event_msg","payload":{"type":"agent_message","message":"caf'),
    Buffer.from([0xff, 0xfe, 0xc3]),
    Buffer.from('"}}\n'),
  ]);
  fs.writeFileSync(utf.file, Buffer.concat([Buffer.from(`${utf.lines.join('\n')}\n`), badBytes]));
  ids['invalidUtf8'] = utf.id;

  // A 10 MB line in the middle of a rollout (a huge tool output), and an item type from the future.
  const big = realRollout(4, 'sessions/2026/01/05');
  const huge = JSON.stringify({
    timestamp: '2026-01-05T10:00:07.000Z',
    type: 'event_msg',
    payload: { type: 'agent_message', message: `start ${'y'.repeat(10 * 1024 * 1024)} end` },
  });
  const future = JSON.stringify({ timestamp: '2026-01-05T10:00:07.500Z', type: 'hologram_item', payload: { shape: 'cube' } });
  fs.writeFileSync(big.file, `${[big.lines[0], huge, future, ...big.lines.slice(1)].join('\n')}\n`);
  ids['longLine'] = big.id;

  // An empty rollout, a non-rollout file, and a .jsonl that is not a rollout.
  fs.writeFileSync(rollout('sessions/2026/01/04', '0a0b0c0d-0000-7000-8000-0000000000e0'), '');
  fs.writeFileSync(path.join(home, 'sessions/2026/01/04/notes.txt'), 'not a rollout\n');
  fs.writeFileSync(path.join(home, 'sessions/export.jsonl'), '{"hello":"world"}\n{"rows":[1,2,3]}\n');

  // Symlink loops: two files pointing at each other, and a directory pointing at its parent.
  const loopDir = path.join(home, 'sessions/2026/01/03');
  fs.mkdirSync(loopDir, { recursive: true });
  fs.symlinkSync('loop-b.jsonl', path.join(loopDir, 'loop-a.jsonl'));
  fs.symlinkSync('loop-a.jsonl', path.join(loopDir, 'loop-b.jsonl'));
  fs.symlinkSync('..', path.join(loopDir, 'up'));

  // A file that disappears between the walk and its parse.
  const gone = realRollout(5, 'sessions/2026/01/02');
  fs.writeFileSync(gone.file, `${gone.lines.join('\n')}\n`);
  vanishing = gone.file;

  // Unreadable: a rollout and a day directory (tested through the CLI as an unprivileged user when root).
  const locked = realRollout(6, 'sessions/2026/01/01');
  fs.writeFileSync(locked.file, `${locked.lines.join('\n')}\n`);
  lockedFile = locked.file;
  lockedDir = path.join(home, 'sessions/2025/12/31');
  fs.mkdirSync(lockedDir, { recursive: true });
  const hidden = realRollout(7, 'sessions/2025/12/31');
  fs.writeFileSync(hidden.file, `${hidden.lines.join('\n')}\n`);

  engine = Engine.open({ home, dataDir: tmpDir('spool-bad-data-'), pool: vanishingPool(vanishing) });
  await engine.sync();
  report = await engine.call('spool/index/report', { limit: 1000 });
}, 120_000);

afterAll(async () => {
  await engine?.close();
  for (const p of [lockedFile, lockedDir]) if (p && fs.existsSync(p)) fs.chmodSync(p, 0o755);
});

const listAll = async (): Promise<string[]> =>
  (
    await engine.call('thread/list', { modelProviders: [], sourceKinds: [...ALL_SOURCE_KINDS], includeEmptyPreview: true, limit: 100 })
  ).data.map((t) => t.id);

describe('bad input', () => {
  it('indexes every readable thread around the damage', async () => {
    const listed = await listAll();
    for (const k of ['good', 'truncated', 'badJson', 'invalidUtf8', 'longLine']) expect(listed, k).toContain(ids[k]);
  });

  it('counts an unfinished last line, and shows the thread as of its last complete line', async () => {
    expect(report.counts['truncatedLastLine']).toBe(1);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'truncatedLastLine', path: expect.stringContaining(ids['truncated']!) }),
    );
    const { thread } = await engine.call('thread/read', { threadId: ids['truncated']! });
    expect(thread.preview).not.toBe('');
  });

  it('counts lines that are not JSON and keeps the rest of the file', async () => {
    expect(report.counts['badJsonLines']).toBe(2);
    const { thread } = await engine.call('thread/read', { threadId: ids['badJson']! });
    expect(thread.preview).not.toBe('');
    expect(thread.cliVersion).toBe('0.169.0');
  });

  it('counts invalid UTF-8 and still reads the line', async () => {
    expect(report.counts['invalidUtf8Lines']).toBe(1);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'invalidUtf8Lines', path: expect.stringContaining(ids['invalidUtf8']!) }),
    );
  });

  it('reads past a 10 MB line, counts it, and skips and counts an unknown item type', async () => {
    expect(report.counts['longLines']).toBe(1);
    expect(report.counts['unknownItemTypes']).toBe(1);
    const { thread } = await engine.call('thread/read', { threadId: ids['longLine']! });
    expect(thread.preview).not.toBe('');
    expect(thread.extra!.spool.turnCount).toBeGreaterThan(0);
  });

  it('counts empty files and files that are not rollouts', () => {
    expect(report.counts['emptyFiles']).toBe(1);
    // notes.txt (not .jsonl) and export.jsonl (JSON, but no rollout header or session_meta)
    expect(report.counts['foreignFiles']).toBe(2);
    expect(report.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['sessions/2026/01/04/notes.txt', 'sessions/export.jsonl']));
  });

  it('reports symlink loops and does not follow a linked directory', () => {
    expect(report.counts['symlinkLoops']).toBe(2);
    expect(report.counts['symlinkDirs']).toBe(1);
  });

  it('counts a file that vanished between the walk and its parse, and leaves no row for it', async () => {
    expect(report.counts['vanished']).toBe(1);
    expect(engine.db.prepare('SELECT count(*) AS n FROM files WHERE rel_path LIKE ?').get(`%${path.basename(vanishing)}`)).toEqual({
      n: 0,
    });
  });

  it('lists every problem in `spool index --report`', () => {
    const r = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'bin/spool.js'), 'index', '--home', home, '--data-dir', tmpDir('spool-bad-cli-'), '--report'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const kinds = [
      'truncatedLastLine',
      'badJsonLines',
      'invalidUtf8Lines',
      'longLines',
      'unknownItemTypes',
      'emptyFiles',
      'foreignFiles',
      'symlinkLoops',
      'symlinkDirs',
    ];
    const summary = r.stdout.split('\n').find((l) => l.trim().startsWith('problems:'))!;
    for (const k of kinds) expect(summary, k).toContain(k);
    for (const k of kinds)
      expect(
        r.stdout.split('\n').some((l) => l.trim().startsWith(k) || l.trim().startsWith(k.replace(/s$/, ''))),
        k,
      ).toBe(true);
  });

  it('counts permission denied for a file and a directory, indexes the rest, and keeps what it indexed before', () => {
    const asUser = process.getuid?.() === 0;
    if (asUser) {
      // Root reads everything: run the real CLI as an unprivileged user instead.
      for (const p of walkAll(home)) fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o755 : 0o644);
      fs.chmodSync(home, 0o755);
    }
    const index = (dataDir: string): IndexReportResult => {
      const args = [path.join(REPO_ROOT, 'bin/spool.js'), 'index', '--home', home, '--data-dir', dataDir, '--report', '--json'];
      const r = asUser
        ? spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, ...args], {
            encoding: 'utf8',
            timeout: 60_000,
          })
        : spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { report: IndexReportResult }).report;
    };
    const dataDir = (): string => {
      const d = tmpDir('spool-bad-perm-');
      if (asUser) {
        fs.chmodSync(d, 0o755);
        fs.chownSync(d, NOBODY, NOBODY);
      }
      return d;
    };
    const earlier = dataDir();
    const all = index(earlier).threads;

    fs.chmodSync(lockedFile, 0o000);
    fs.chmodSync(lockedDir, 0o000);
    const fresh = index(dataDir());
    expect(fresh.counts['permissionDenied']).toBe(2);
    expect(fresh.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'permissionDenied', path: path.relative(home, lockedFile) }),
        expect.objectContaining({ kind: 'permissionDenied', path: 'sessions/2025/12/31' }),
      ]),
    );
    expect(fresh.threads).toBe(all - 2);

    // An index built while they were readable keeps their threads: an unreadable folder is not a
    // deleted one, and the locked file did not change.
    const again = index(earlier);
    expect(again.counts['permissionDenied']).toBe(1);
    expect(again.threads).toBe(all);
  });
});

function walkAll(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    out.push(p);
    if (e.isDirectory()) out.push(...walkAll(p));
  }
  return out;
}
