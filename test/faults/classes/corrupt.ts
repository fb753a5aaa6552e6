// Every kind of damaged input, end to end through the engine host: rollouts with a truncated last
// line, invalid JSON, invalid UTF-8, a 10 MB line, an empty file, foreign files, unreadable files
// and folders, a file vanishing mid-index, symlink loops; a torn user-journal line; a database from
// a newer Spool, one full of garbage, a truncated one. Each must be handled (engine up, the rest
// indexed, or a clear refusal for the future database), counted and listed in the index report
// (`spool/index/report`, `spool index --report`), and lose nothing the user authored.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { generateAgentTree } from '../../../src/main/engine/demo/generate.ts';
import { realHome, REPO_ROOT, STANDARD_HOME } from '../../support/real-home.ts';
import { EngineChild, FatalStart } from '../lib/child.ts';
import { tempIn } from '../lib/homes.ts';
import { ALL_SOURCE_KINDS } from '../../../src/shared/protocol/index.ts';
import { Tally, type FaultClass, type FaultContext, type FaultRow } from '../lib/report.ts';

const NOBODY = 65534;
interface Report {
  threads: number;
  counts: Record<string, number>;
  problems: { path: string; kind: string }[];
}

/** A real codex rollout under a new thread id, as lines. */
function realRollout(n: number): { id: string; lines: string[] } {
  const real = realHome(...STANDARD_HOME);
  const r = real.manifest.rollouts.filter((x) => !x.file.startsWith('archived_sessions/'))[n]!;
  const id = `0f0a0c0d-0000-7000-8000-${String(n).padStart(12, '0')}`;
  return {
    id,
    lines: fs
      .readFileSync(path.join(real.home, r.file), 'utf8')
      .split(r.id)
      .join(id)
      .split('\n')
      .filter((l) => l !== ''),
  };
}

function place(home: string, day: string, id: string, content: string | Buffer): string {
  const dir = path.join(home, 'sessions', ...day.split('-'));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `rollout-${day}T10-00-00-${id}.jsonl`);
  fs.writeFileSync(file, content);
  return file;
}

interface Damaged {
  home: string;
  ids: Record<string, string>;
  vanishName: string;
  lockedFile: string;
  lockedDir: string;
  treeRoot: string;
}

function damagedHome(workDir: string): Damaged {
  const home = tempIn(workDir, 'corrupt-home-');
  fs.copyFileSync(path.join(realHome(...STANDARD_HOME).home, 'config.toml'), path.join(home, 'config.toml'));
  const ids: Record<string, string> = {};
  const add = (key: string, n: number, make: (lines: string[]) => string | Buffer, day = '2026-01-05'): string => {
    const r = realRollout(n);
    ids[key] = r.id;
    return place(home, day, r.id, make(r.lines));
  };
  add('good', 0, (l) => `${l.join('\n')}\n`);
  add('truncated', 1, (l) => `${l.join('\n')}\n{"timestamp":"2026-01-05T10:00:09.000Z","type":"event_msg","payl`);
  add('badJson', 2, (l) => `${[l[0], '{not json at all', 'null', ...l.slice(1)].join('\n')}\n`);
  add('invalidUtf8', 3, (l) =>
    Buffer.concat([
      Buffer.from(`${l.join('\n')}\n`),
      Buffer.from('{"timestamp":"2026-01-05T10:00:08.000Z","type":"event_msg","payload":{"type":"agent_message","message":"caf'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('"}}\n'),
    ]),
  );
  const huge = JSON.stringify({
    timestamp: '2026-01-05T10:00:07.000Z',
    type: 'event_msg',
    payload: { type: 'agent_message', message: `start ${'y'.repeat(10 * 1024 * 1024)} end` },
  });
  add('longLine', 4, (l) => `${[l[0], huge, ...l.slice(1)].join('\n')}\n`);
  place(home, '2026-01-04', '0f0a0c0d-0000-7000-8000-0000000000e0', '');
  fs.writeFileSync(path.join(home, 'sessions/2026/01/04/notes.txt'), 'not a rollout\n');
  fs.writeFileSync(path.join(home, 'sessions/export.jsonl'), '{"hello":"world"}\n');
  const loopDir = path.join(home, 'sessions/2026/01/03');
  fs.mkdirSync(loopDir, { recursive: true });
  fs.symlinkSync('loop-b.jsonl', path.join(loopDir, 'loop-a.jsonl'));
  fs.symlinkSync('loop-a.jsonl', path.join(loopDir, 'loop-b.jsonl'));
  const vanish = add('vanish', 5, (l) => `${l.join('\n')}\n`, '2026-01-02');
  const lockedFile = add('locked', 6, (l) => `${l.join('\n')}\n`, '2026-01-01');
  add('hidden', 7, (l) => `${l.join('\n')}\n`, '2025-12-31');
  const tree = generateAgentTree({ home, nodes: 12, seed: 5, closedFraction: 0, createdMs: Date.UTC(2026, 0, 6) });
  return {
    home,
    ids,
    vanishName: path.basename(vanish),
    lockedFile,
    lockedDir: path.join(home, 'sessions/2025/12/31'),
    treeRoot: tree.rootId,
  };
}

/** Opens every folder on the way to `p` to others (mkdtemp makes 0700 folders), for an unprivileged run. */
function openUp(p: string): void {
  for (let d = p; d !== path.dirname(d); d = path.dirname(d)) {
    const st = fs.statSync(d);
    if ((st.mode & 0o005) !== 0o005) fs.chmodSync(d, st.mode | 0o005);
  }
}

function walkChmod(dir: string): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isSymbolicLink()) continue;
    fs.chmodSync(p, e.isDirectory() ? 0o755 : 0o644);
    if (e.isDirectory()) walkChmod(p);
  }
}

export const corruptClass: FaultClass = {
  name: 'corrupt',
  async run(ctx: FaultContext): Promise<FaultRow[]> {
    const rows: FaultRow[] = [];
    const t0 = performance.now();
    const d = damagedHome(ctx.workDir);
    const dataDir = tempIn(ctx.workDir, 'corrupt-data-');
    const row = (fault: string, outcome: string, t: Tally, ms: number, extra: Partial<FaultRow> = {}): void => {
      rows.push({ class: 'corrupt input', fault, cases: 1, outcome, failures: t.failures, ms, details: t.details, ...extra });
    };

    // 1. The damaged home, indexed by the engine host (with one file vanishing as it is read).
    const c = await EngineChild.start({
      home: d.home,
      dataDir,
      nodeArgs: ['--import', path.join(REPO_ROOT, 'test/faults/vanish-shim.ts')],
      env: { SPOOL_FAULT_VANISH: d.vanishName },
    });
    await c.settle();
    const report = await c.ok<Report>('spool/index/report', { limit: 1000 });
    const listed = new Set(
      (
        await c.ok<{ data: { id: string }[] }>('thread/list', {
          sourceKinds: [...ALL_SOURCE_KINDS],
          modelProviders: [],
          includeEmptyPreview: true,
          limit: 100,
        })
      ).data.map((t) => t.id),
    );
    const readOk = async (id: string): Promise<boolean> => !!(await c.call('thread/read', { threadId: id })).result;
    const indexMs = performance.now() - t0;
    // n: lines or files counted; files: entries in the report's list (one per file).
    const expectCount = async (fault: string, kind: string, n: number, thread?: string, files = thread ? 1 : n): Promise<void> => {
      const t = new Tally();
      t.check((report.counts[kind] ?? 0) === n, () => `${kind}: counted ${report.counts[kind] ?? 0}, expected ${n}`);
      t.check(
        report.problems.filter((p) => p.kind === kind).length === files,
        () => `${kind}: ${report.problems.filter((p) => p.kind === kind).length} listed in the report`,
      );
      if (thread) {
        t.check(listed.has(d.ids[thread]!), () => `${thread}: thread not listed`);
        t.check(await readOk(d.ids[thread]!), () => `${thread}: thread/read failed`);
      }
      row(fault, `counted ${report.counts[kind] ?? 0} as ${kind}${thread ? ', thread still listed and read' : ''}`, t, indexMs / 10);
    };
    await expectCount('truncated last line', 'truncatedLastLine', 1, 'truncated');
    await expectCount('invalid JSON lines', 'badJsonLines', 2, 'badJson');
    await expectCount('invalid UTF-8', 'invalidUtf8Lines', 1, 'invalidUtf8');
    await expectCount('10 MB line', 'longLines', 1, 'longLine');
    await expectCount('empty file', 'emptyFiles', 1);
    await expectCount('foreign files (.txt, non-rollout .jsonl)', 'foreignFiles', 2);
    await expectCount('symlink loop', 'symlinkLoops', 2);
    {
      const t = new Tally();
      t.check((report.counts['vanished'] ?? 0) === 1, () => `vanished: counted ${report.counts['vanished'] ?? 0}`);
      t.check(!listed.has(d.ids['vanish']!), () => 'the vanished thread is still listed');
      t.check(listed.has(d.ids['good']!), () => 'the good thread is not listed');
      row('a file vanishing mid-index', `counted ${report.counts['vanished'] ?? 0} as vanished, no row left for it`, t, indexMs / 10);
    }

    // 2. The user journal: records before a torn last line survive, the torn line is skipped.
    {
      const s = performance.now();
      const t = new Tally();
      await c.ok('thread/close', { threadId: d.treeRoot });
      await c.ok('thread/metadata/update', { threadId: d.ids['good'], gitInfo: { branch: 'kept/across-rebuilds' } });
      await c.close();
      const journal = path.join(dataDir, 'user-state.jsonl');
      const recordsBefore = fs
        .readFileSync(journal, 'utf8')
        .split('\n')
        .filter((l) => l !== '').length;
      fs.appendFileSync(journal, '{"v":1,"at":"2026-01-07T00:00:00.000Z","type":"edge","childId":"0f0a');
      const c2 = await EngineChild.start({ home: d.home, dataDir });
      await c2.settle();
      const tree = await c2.ok<{ nodes: { edgeStatus: string | null }[] }>('spool/thread/tree', { threadId: d.treeRoot });
      const closed = tree.nodes.filter((n) => n.edgeStatus === 'closed').length;
      t.check(closed === tree.nodes.length - 1, () => `${closed} of ${tree.nodes.length - 1} edges closed after the restart`);
      const g = (await c2.ok<{ thread: { gitInfo: { branch: string | null } | null } }>('thread/read', { threadId: d.ids['good'] })).thread
        .gitInfo;
      t.check(g?.branch === 'kept/across-rebuilds', () => `git edit lost: ${JSON.stringify(g)}`);
      // A later append starts on a line of its own, and everything still loads.
      await c2.ok('spool/thread/reopen', { threadId: d.treeRoot });
      await c2.close();
      const lines = fs
        .readFileSync(journal, 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      const bad = lines.filter((l) => {
        try {
          JSON.parse(l);
          return false;
        } catch {
          return true;
        }
      }).length;
      t.check(bad === 1 && lines.length > recordsBefore + 1, () => `journal: ${lines.length} lines, ${bad} unreadable`);
      row(
        'torn last line of the user journal',
        `${recordsBefore} records kept, torn line skipped, next append on its own line`,
        t,
        performance.now() - s,
      );
    }

    // 3. Permission denied (file and folder): root reads everything, so run the real CLI as nobody.
    {
      const s = performance.now();
      const t = new Tally();
      const root = process.getuid?.() === 0;
      const setpriv = spawnSync('setpriv', ['--version'], { encoding: 'utf8' });
      if (root && setpriv.status !== 0) {
        rows.push({
          class: 'corrupt input',
          fault: 'permission denied (file, folder)',
          cases: 0,
          outcome: '',
          failures: 0,
          notApplicable: 'running as root without setpriv: root reads every file',
          ms: 0,
        });
      } else {
        walkChmod(d.home);
        openUp(d.home);
        const cliData = tempIn(ctx.workDir, 'perm-data-');
        openUp(cliData);
        if (root) fs.chownSync(cliData, NOBODY, NOBODY);
        fs.chmodSync(d.lockedFile, 0o000);
        fs.chmodSync(d.lockedDir, 0o000);
        const args = [path.join(REPO_ROOT, 'bin/spool.js'), 'index', '--home', d.home, '--data-dir', cliData, '--report', '--json'];
        const r = root
          ? spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, ...args], {
              encoding: 'utf8',
              timeout: 120_000,
            })
          : spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
        fs.chmodSync(d.lockedFile, 0o644);
        fs.chmodSync(d.lockedDir, 0o755);
        let n = -1;
        if (r.status !== 0) t.fail(`spool index exited ${r.status}: ${r.stderr.slice(-500)}`);
        else {
          const rep = (JSON.parse(r.stdout) as { report: Report }).report;
          n = rep.counts['permissionDenied'] ?? 0;
          t.check(n === 2, () => `permissionDenied counted ${n}, expected 2`);
          t.check(
            rep.problems.some((p) => p.kind === 'permissionDenied' && p.path === 'sessions/2025/12/31'),
            () => 'the folder is not listed',
          );
        }
        row(
          'permission denied (file, folder)',
          `counted ${n} (${root ? 'the real CLI run as uid 65534 via setpriv: root reads everything' : 'unprivileged run'})`,
          t,
          performance.now() - s,
        );
      }
    }

    // 4. `spool index --report` lists every kind (the real CLI).
    {
      const s = performance.now();
      const t = new Tally();
      const r = spawnSync(
        process.execPath,
        [path.join(REPO_ROOT, 'bin/spool.js'), 'index', '--home', d.home, '--data-dir', tempIn(ctx.workDir, 'cli-data-'), '--report'],
        { encoding: 'utf8', timeout: 120_000 },
      );
      t.check(r.status === 0, () => `spool index --report exited ${r.status}: ${r.stderr.slice(-300)}`);
      const summary = r.stdout.split('\n').find((l) => l.trim().startsWith('problems:')) ?? '';
      for (const k of ['truncatedLastLine', 'badJsonLines', 'invalidUtf8Lines', 'longLines', 'emptyFiles', 'foreignFiles', 'symlinkLoops'])
        t.check(summary.includes(k), () => `${k} missing from: ${summary}`);
      row('`spool index --report` on the damaged home', 'lists every kind above', t, performance.now() - s);
    }

    // 5. The database: from a newer Spool (refused, clearly, and left alone), garbage, truncated.
    const journalOk = async (e: EngineChild, t: Tally): Promise<void> => {
      const g = (await e.ok<{ thread: { gitInfo: { branch: string | null } | null } }>('thread/read', { threadId: d.ids['good'] })).thread
        .gitInfo;
      t.check(g?.branch === 'kept/across-rebuilds', () => `the journal's git edit is lost after the rebuild: ${JSON.stringify(g)}`);
    };
    const dbFile = path.join(dataDir, 'index.sqlite');
    const threadsBefore = report.threads - 0;
    {
      const s = performance.now();
      const t = new Tally();
      const db = new Database(dbFile);
      db.pragma('user_version = 9999');
      db.close();
      const bytes = fs.readFileSync(dbFile);
      let message = '';
      try {
        const e = await EngineChild.start({ home: d.home, dataDir });
        await e.close();
        t.fail('the engine opened a database from a newer Spool');
      } catch (err) {
        message = err instanceof Error ? err.message : String(err);
        t.check(err instanceof FatalStart && /newer Spool/.test(message), () => `unclear refusal: ${message.slice(0, 300)}`);
      }
      t.check(fs.readFileSync(dbFile).equals(bytes), () => 'the newer database was changed');
      const cli = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin/spool.js'), 'index', '--home', d.home, '--data-dir', dataDir], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      // It must also exit by itself: a refused index once left parse workers that kept it running.
      t.check(
        cli.status !== null && cli.status !== 0 && /newer Spool/.test(cli.stderr + cli.stdout),
        () => `spool index: exit ${cli.status ?? `none (${cli.signal ?? 'timed out'})`}, ${cli.stderr.slice(0, 200)}`,
      );
      row('database from a newer Spool', 'refused with a clear error (host and CLI), file left as it was', t, performance.now() - s);
      const db2 = new Database(dbFile);
      db2.pragma('user_version = 0');
      db2.close();
      fs.rmSync(dbFile);
    }
    const rebuiltCase = async (fault: string, damage: () => void): Promise<void> => {
      const s = performance.now();
      const t = new Tally();
      const first = await EngineChild.start({ home: d.home, dataDir });
      await first.settle();
      await first.close();
      damage();
      const e = await EngineChild.start({ home: d.home, dataDir });
      try {
        await e.settle();
        t.check(
          e.startupMessages.some((m) => /damaged/.test(m)) || fs.readdirSync(dataDir).some((f) => f.includes('.corrupt-')),
          () => `no word of the damage (${e.startupMessages.join(' | ')})`,
        );
        const rep = await e.ok<Report>('spool/index/report', {});
        t.check(rep.threads === threadsBefore, () => `${rep.threads} threads after the rebuild, ${threadsBefore} before`);
        await journalOk(e, t);
        const tree = await e.ok<{ nodes: { edgeStatus: string | null }[] }>('spool/thread/tree', { threadId: d.treeRoot });
        t.check(
          tree.nodes.every((n) => n.edgeStatus !== 'closed'),
          () => 'the reopen in the journal was lost',
        );
      } catch (err) {
        t.fail(`${fault}: ${err instanceof Error ? err.message : String(err)} ${e.stderr.slice(-300)}`);
      } finally {
        await e.close();
      }
      row(fault, 'moved aside, rebuilt from the rollouts, journal kept', t, performance.now() - s);
      for (const f of fs.readdirSync(dataDir)) if (f.includes('.corrupt-')) fs.rmSync(path.join(dataDir, f), { force: true });
    };
    await rebuiltCase('corrupt database (garbage bytes)', () => {
      const fd = fs.openSync(dbFile, 'r+');
      fs.writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, 0);
      fs.closeSync(fd);
    });
    await rebuiltCase('truncated database', () => {
      for (const f of ['-wal', '-shm']) fs.rmSync(dbFile + f, { force: true });
      fs.truncateSync(dbFile, Math.floor(fs.statSync(dbFile).size / 3));
    });
    fs.rmSync(d.home, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
    return rows;
  },
};
