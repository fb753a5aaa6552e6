// Property-based fuzz of the rollout parser: random bytes, random JSON, random envelopes, and lines
// of the real rollouts of the standard home (written by the real codex CLI) mutated — truncated,
// bytes flipped, spliced, given huge values, given invalid UTF-8. The parser never throws; its
// counts stay consistent with the lines it was given; its state survives the JSON round trip the
// index stores; and a file parsed in two steps (resumed after an append) ends where a one-shot
// parse ends.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { newParserState, RolloutParser } from '../../src/main/engine/rollout/parser.ts';
import type { ParseCounts } from '../../src/main/engine/rollout/parse-types.ts';
import { parseFile, type ParseResult } from '../../src/main/engine/rollout/parse-file.ts';
import { realHome, STANDARD_HOME } from '../support/real-home.ts';
import { tmpDir } from '../support/tmp.ts';
import { FUZZ_SEED } from './requests.ts';

const ID = '019a0000-0000-7000-8000-0000000000aa';
let realLines: Buffer[] = [];

beforeAll(() => {
  const home = realHome(...STANDARD_HOME).home;
  const files = fs
    .readdirSync(home, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.jsonl') && path.basename(f).startsWith('rollout-'));
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(home, f));
    let at = 0;
    for (let nl = bytes.indexOf(0x0a); nl !== -1; at = nl + 1, nl = bytes.indexOf(0x0a, at)) realLines.push(bytes.subarray(at, nl));
  }
  realLines = realLines.filter((l) => l.length > 0);
});

const TYPES = [
  'session_meta',
  'response_item',
  'event_msg',
  'turn_context',
  'compacted',
  'world_state',
  'inter_agent_communication',
  'from_the_future',
  '',
];

function lineArb(): fc.Arbitrary<Buffer> {
  const real = fc.nat().map((i) => realLines[i % realLines.length]!);
  const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v) ?? 'null');
  return fc.oneof(
    { weight: 6, arbitrary: real },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a.filter((b) => b !== 0x0a))) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(json) },
    {
      weight: 3,
      arbitrary: fc
        .record({
          timestamp: fc.oneof(
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
            fc.string(),
            fc.integer(),
          ),
          type: fc.constantFrom(...TYPES),
          payload: fc.jsonValue({ maxDepth: 3 }),
        })
        .map(json),
    },
    // A real line cut short, as a writer killed mid-append leaves it.
    { weight: 3, arbitrary: fc.tuple(real, fc.nat()).map(([l, n]) => l.subarray(0, n % (l.length + 1))) },
    // Bytes flipped (never to a newline).
    {
      weight: 3,
      arbitrary: fc
        .tuple(real, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }))
        .map(([l, flips]) => {
          const b = Buffer.from(l);
          for (const [at, v] of flips) b[at % b.length] = v === 0x0a ? 0x0b : v;
          return b;
        }),
    },
    // Two real lines spliced (the joined objects of a crashed writer, or a cut and paste).
    {
      weight: 2,
      arbitrary: fc
        .tuple(real, real, fc.nat(), fc.nat())
        .map(([a, b, i, j]) => Buffer.concat([a.subarray(0, i % (a.length + 1)), b.subarray(j % (b.length + 1))])),
    },
    { weight: 1, arbitrary: fc.tuple(real, real).map(([a, b]) => Buffer.concat([a, b])) },
    // A huge value inside a real line (past the heavy-line cut), sometimes with invalid UTF-8 in it.
    {
      weight: 1,
      arbitrary: fc.tuple(real, fc.integer({ min: 40_000, max: 2_500_000 }), fc.boolean()).map(([l, n, bad]) => {
        const text = l.toString('latin1');
        const at = text.indexOf('":"');
        if (at === -1) return l;
        const filler = bad ? Buffer.alloc(n, 0xff) : Buffer.alloc(n, 0x61);
        return Buffer.concat([l.subarray(0, at + 3), filler, l.subarray(at + 3)]);
      }),
    },
  );
}

/** A file: often starting with a real session_meta line, lines joined by newlines, the last one maybe unfinished. */
const fileArb = (): fc.Arbitrary<{ lines: Buffer[]; trailingNewline: boolean }> =>
  fc.record({ lines: fc.array(lineArb(), { minLength: 1, maxLength: 25 }), trailingNewline: fc.boolean() });

function expectConsistent(c: ParseCounts, lines: number): void {
  for (const [k, v] of Object.entries(c)) expect(Number.isInteger(v) && v >= 0, `${k} = ${v}`).toBe(true);
  expect(c.lines).toBe(lines);
  expect(c.invalidUtf8).toBeLessThanOrEqual(lines);
  expect(c.longLines).toBeLessThanOrEqual(lines);
}

describe('rollout parser fuzz', () => {
  it('never throws, counts every line fed, and keeps a state that survives the JSON round trip', () => {
    expect(realLines.length).toBeGreaterThan(100);
    let fed = 0;
    fc.assert(
      fc.property(fc.array(lineArb(), { minLength: 1, maxLength: 40 }), fc.constantFrom(ID, null), (lines, filenameId) => {
        const parser = new RolloutParser(newParserState(), filenameId);
        let offset = 0;
        lines.forEach((buf, index) => {
          parser.line({ buf, start: 0, end: buf.length, offset, nextOffset: offset + buf.length + 1, index });
          offset += buf.length + 1;
        });
        parser.flushOpenTurn();
        fed += lines.length;
        expectConsistent(parser.state.counts, lines.length);
        expect(parser.state.counts.badJson).toBeLessThanOrEqual(lines.length * 2);
        expect(JSON.parse(JSON.stringify(parser.state))).toEqual(JSON.parse(JSON.stringify(parser.state)));
        // Every turn op refers to a line range it was given.
        for (const op of parser.out.turnOps)
          if ('offset' in op && typeof op.offset === 'number') expect(op.offset).toBeLessThanOrEqual(offset);
      }),
      { numRuns: 1000, seed: FUZZ_SEED },
    );
    console.log(`rollout parser: ${fed} lines fed over 1000 runs (seed ${FUZZ_SEED})`);
  });

  it('parses a file in one go or resumed after an append to the same end, never failing on its own bytes', () => {
    const dir = tmpDir('spool-parser-fuzz-');
    const file = path.join(dir, `rollout-2025-01-02T12-00-00-${ID}.jsonl`);
    const job = { absPath: file, relPath: `sessions/2025/01/02/${path.basename(file)}`, archived: false, filenameId: ID };
    const same = (a: ParseResult, b: ParseResult): void => {
      expect(b.status).toBe(a.status);
      expect(b.counts).toEqual(a.counts);
      expect(b.meta).toEqual(a.meta);
      expect(b.turnCount).toBe(a.turnCount);
      expect(b.parsedLines).toBe(a.parsedLines);
      expect(b.parsedBytes).toBe(a.parsedBytes);
    };
    let resumed = 0;
    fc.assert(
      fc.property(fileArb(), fileArb(), ({ lines }, second) => {
        const head = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')]));
        const tail = Buffer.concat(
          second.lines.flatMap((l, i) => (i < second.lines.length - 1 || second.trailingNewline ? [l, Buffer.from('\n')] : [l])),
        );
        fs.writeFileSync(file, head);
        const first = parseFile({ ...job, resume: null });
        expect(first.status, first.error ?? '').not.toBe('error');
        expectConsistent(first.counts, first.parsedLines - first.oversizedLines);
        expect(first.parsedLines).toBe(lines.length);

        fs.appendFileSync(file, tail);
        const oneShot = parseFile({ ...job, resume: null });
        expect(oneShot.status, oneShot.error ?? '').not.toBe('error');
        const complete = lines.length + second.lines.length - (second.trailingNewline ? 0 : 1);
        expect(oneShot.parsedLines).toBe(complete);
        expectConsistent(oneShot.counts, complete - oneShot.oversizedLines);
        if (first.stateJson === null) return;
        const again = parseFile({
          ...job,
          resume: {
            offset: first.parsedBytes,
            lines: first.parsedLines,
            headHash: first.headHash,
            edgeHash: first.edgeHash,
            stateJson: first.stateJson,
          },
        });
        if (!again.reset) resumed++;
        same(oneShot, again);
      }),
      { numRuns: 300, seed: FUZZ_SEED },
    );
    console.log(`rollout parser: 300 files parsed one-shot and resumed (${resumed} really resumed), seed ${FUZZ_SEED}`);
    expect(resumed).toBeGreaterThan(10);
  });
});
