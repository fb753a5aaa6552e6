// A rollout move never leaves the file in two places or in none, whatever the file system does and
// wherever a crash stops it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DestinationExistsError, MOVE_INTENT_FILE, moveFileSafely, recoverInterruptedMove } from './move-file.ts';

function scratch(): { dir: string; data: string; from: string; to: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-move-'));
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  const from = path.join(dir, 'sessions', '2026', '01', '02', 'rollout-2026-01-02T12-00-00-01a1fccf-0894-77a2-a6ff-3eb67cb4bee2.jsonl');
  fs.mkdirSync(path.dirname(from), { recursive: true });
  fs.writeFileSync(from, '{"a":1}\n{"b":2}\n');
  fs.utimesSync(from, new Date('2026-01-02T12:00:05.250Z'), new Date('2026-01-02T12:00:05.250Z'));
  return { dir, data, from, to: path.join(dir, 'archived_sessions', path.basename(from)) };
}

const exdev = (): never => {
  throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
};

describe('moveFileSafely', () => {
  it('renames on one file system', () => {
    const s = scratch();
    expect(moveFileSafely(s.from, s.to, s.data)).toEqual({ renamed: true });
    expect(fs.existsSync(s.from)).toBe(false);
    expect(fs.readFileSync(s.to, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
  });

  it('never replaces a file already at the destination', () => {
    const s = scratch();
    fs.mkdirSync(path.dirname(s.to), { recursive: true });
    fs.writeFileSync(s.to, 'someone else’s file\n');
    expect(() => moveFileSafely(s.from, s.to, s.data)).toThrow(DestinationExistsError);
    expect(fs.readFileSync(s.to, 'utf8')).toBe('someone else’s file\n');
    expect(fs.readFileSync(s.from, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
  });

  it('copies, publishes and then removes the source when rename reports another file system', () => {
    const s = scratch();
    const mtime = fs.statSync(s.from).mtimeMs;
    expect(moveFileSafely(s.from, s.to, s.data, { rename: exdev })).toEqual({ renamed: false });
    expect(fs.existsSync(s.from)).toBe(false);
    expect(fs.readFileSync(s.to, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
    expect(Math.abs(fs.statSync(s.to).mtimeMs - mtime)).toBeLessThan(1);
    expect(fs.readdirSync(path.dirname(s.to))).toEqual([path.basename(s.to)]);
    expect(fs.existsSync(path.join(s.data, MOVE_INTENT_FILE))).toBe(false);
  });

  it('moves across real file systems (archived_sessions on a tmpfs)', () => {
    const s = scratch();
    const other = fs.mkdtempSync('/dev/shm/spool-move-');
    expect(fs.statSync(other).dev).not.toBe(fs.statSync(s.dir).dev);
    const to = path.join(other, path.basename(s.to));
    expect(moveFileSafely(s.from, to, s.data)).toEqual({ renamed: false });
    expect(fs.existsSync(s.from)).toBe(false);
    expect(fs.readFileSync(to, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
    fs.rmSync(other, { recursive: true, force: true });
  });

  it('leaves the source in place when the copy cannot be published', () => {
    const s = scratch();
    fs.mkdirSync(path.dirname(s.to), { recursive: true });
    // The destination appears while the copy is made: the copy is dropped, the source kept.
    let first = true;
    const racing = (): never => {
      if (first) {
        first = false;
        fs.writeFileSync(s.to, 'raced\n');
      }
      return exdev();
    };
    expect(() => moveFileSafely(s.from, s.to, s.data, { rename: racing })).toThrow(DestinationExistsError);
    expect(fs.readFileSync(s.from, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
    expect(fs.readFileSync(s.to, 'utf8')).toBe('raced\n');
    expect(fs.readdirSync(path.dirname(s.to))).toEqual([path.basename(s.to)]);
  });
});

describe('recoverInterruptedMove', () => {
  const intent = (s: ReturnType<typeof scratch>): string => {
    const tmp = path.join(path.dirname(s.to), `.${path.basename(s.to)}.spool-move.tmp`);
    fs.mkdirSync(path.dirname(s.to), { recursive: true });
    fs.writeFileSync(path.join(s.data, MOVE_INTENT_FILE), JSON.stringify({ from: s.from, to: s.to, tmp }));
    return tmp;
  };

  it('does nothing when no move was interrupted', () => {
    const s = scratch();
    expect(recoverInterruptedMove(s.data)).toEqual({ action: null });
    expect(fs.existsSync(s.from)).toBe(true);
  });

  it('killed while copying: the half copy goes, the source stays', () => {
    const s = scratch();
    const tmp = intent(s);
    fs.writeFileSync(tmp, '{"a":1}\n{"b"');
    expect(recoverInterruptedMove(s.data).action).toBe('removed-temp');
    expect(fs.existsSync(tmp)).toBe(false);
    expect(fs.readFileSync(s.from, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
    expect(fs.existsSync(s.to)).toBe(false);
    expect(fs.existsSync(path.join(s.data, MOVE_INTENT_FILE))).toBe(false);
  });

  it('killed after publishing the copy: the move is finished', () => {
    const s = scratch();
    intent(s);
    fs.copyFileSync(s.from, s.to);
    expect(recoverInterruptedMove(s.data).action).toBe('finished');
    expect(fs.existsSync(s.from)).toBe(false);
    expect(fs.readFileSync(s.to, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
  });

  it('killed after publishing, but the source grew meanwhile: the move is undone, nothing appended is lost', () => {
    const s = scratch();
    intent(s);
    fs.copyFileSync(s.from, s.to);
    fs.appendFileSync(s.from, '{"c":3}\n');
    expect(recoverInterruptedMove(s.data).action).toBe('undone');
    expect(fs.existsSync(s.to)).toBe(false);
    expect(fs.readFileSync(s.from, 'utf8')).toBe('{"a":1}\n{"b":2}\n{"c":3}\n');
  });

  it('killed after the move completed, before the intent was cleared: nothing to do', () => {
    const s = scratch();
    intent(s);
    fs.renameSync(s.from, s.to);
    expect(recoverInterruptedMove(s.data).action).toBe('none');
    expect(fs.existsSync(s.to)).toBe(true);
  });

  it('a torn intent record (killed while writing it) is dropped', () => {
    const s = scratch();
    fs.writeFileSync(path.join(s.data, MOVE_INTENT_FILE), '{"from":"/x');
    expect(recoverInterruptedMove(s.data).action).toBe('none');
    expect(fs.existsSync(s.from)).toBe(true);
    expect(fs.existsSync(path.join(s.data, MOVE_INTENT_FILE))).toBe(false);
  });
});
