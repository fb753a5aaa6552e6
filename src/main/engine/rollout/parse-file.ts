// Parses one rollout file, from the start or from where an earlier parse stopped. Pure with respect
// to the index: it reads the file (never writes it) and returns what the writer should store.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { readLines } from './line-reader.ts';
import { normalizeCwd } from './text.ts';
import { newParserState, PARSER_VERSION, RolloutParser } from './parser.ts';
import type { AgentClose, FtsEntry, ParseCounts, ParserState, ThreadMeta, TurnOp } from './parse-types.ts';
import { trackedTurnCount } from './turns.ts';
import { buildStubFromFile } from './history/stub.ts';

/** How many leading bytes identify a file's content (a rewrite in place changes them). */
const HEAD_BYTES = 4096;

export interface ParseJob {
  absPath: string;
  relPath: string;
  archived: boolean;
  filenameId: string | null;
  /**
   * Resume point from the index, if the file was parsed before. The parser state travels as the
   * JSON the index stores, so the engine thread never decodes it.
   */
  resume: { offset: number; lines: number; headHash: string | null; edgeHash: string | null; stateJson: string } | null;
}

export type FileProblem = 'permissionDenied' | 'vanished' | 'symlinkLoop' | 'notAFile' | 'io';

export interface ParseResult {
  relPath: string;
  archived: boolean;
  status: 'ok' | 'empty' | 'foreign' | 'error';
  problem: FileProblem | null;
  error: string | null;
  size: number;
  mtimeMs: number;
  /** True when parsing started from byte 0 (first parse, or the file was rewritten). */
  reset: boolean;
  fromOffset: number;
  parsedBytes: number;
  parsedLines: number;
  headHash: string | null;
  /** Hash of the bytes just before `parsedBytes`: a rewrite that kept the head is caught by it. */
  edgeHash: string | null;
  /** State after the last complete line (JSON): what the next incremental parse resumes from. */
  stateJson: string | null;
  /** Metadata including an unfinished last line, if it parsed: what the index shows now. */
  meta: ThreadMeta;
  threadId: string | null;
  format: ParserState['format'];
  turnOps: TurnOp[];
  turnCount: number;
  fts: FtsEntry[];
  /** close_agent calls found in the parsed bytes. */
  agentCloses: AgentClose[];
  counts: ParseCounts;
  oversizedLines: number;
  /** Length of an unfinished last line (no newline yet), 0 if none. */
  tailBytes: number;
  bytesRead: number;
}

/**
 * Read buffers kept for the life of the thread (each parse worker has its own module instance):
 * allocating megabytes per file made the garbage collector the biggest cost of a backfill.
 */
const SCRATCH_BYTES = 1024 * 1024;
let scratch: Buffer | null = null;
const headBuf = Buffer.allocUnsafe(HEAD_BYTES);

function headHash(fd: number, size: number): string | null {
  if (size === 0) return null;
  const n = Math.min(HEAD_BYTES, size);
  const got = fs.readSync(fd, headBuf, 0, n, 0);
  return crypto.createHash('sha1').update(headBuf.subarray(0, got)).digest('hex');
}

/** Hash of the (up to) HEAD_BYTES bytes that end at `offset`. */
function edgeHash(fd: number, offset: number): string | null {
  if (offset <= 0) return null;
  const from = Math.max(0, offset - HEAD_BYTES);
  const got = fs.readSync(fd, headBuf, 0, offset - from, from);
  return crypto.createHash('sha1').update(headBuf.subarray(0, got)).digest('hex');
}

function problemOf(err: unknown): FileProblem {
  const code = err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : '';
  if (code === 'EACCES' || code === 'EPERM') return 'permissionDenied';
  if (code === 'ENOENT') return 'vanished';
  if (code === 'ELOOP') return 'symlinkLoop';
  if (code === 'EISDIR') return 'notAFile';
  return 'io';
}

function failed(job: ParseJob, err: unknown): ParseResult {
  const state = newParserState();
  return {
    relPath: job.relPath,
    archived: job.archived,
    status: 'error',
    problem: problemOf(err),
    error: `${problemOf(err)}: ${err instanceof Error ? err.message : String(err)}`,
    size: 0,
    mtimeMs: 0,
    reset: true,
    fromOffset: 0,
    parsedBytes: 0,
    parsedLines: 0,
    headHash: null,
    edgeHash: null,
    stateJson: null,
    meta: state.meta,
    threadId: null,
    format: null,
    turnOps: [],
    turnCount: 0,
    fts: [],
    agentCloses: [],
    counts: state.counts,
    oversizedLines: 0,
    tailBytes: 0,
    bytesRead: 0,
  };
}

/** The stored parser state, or null when it is unreadable or from another parser version. */
function restoreState(json: string): ParserState | null {
  try {
    const st = JSON.parse(json) as ParserState;
    return st.v === PARSER_VERSION ? st : null;
  } catch {
    return null;
  }
}

export function parseFile(job: ParseJob): ParseResult {
  let fd: number;
  try {
    fd = fs.openSync(job.absPath, fs.constants.O_RDONLY);
  } catch (err) {
    return failed(job, err);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return failed(job, Object.assign(new Error('not a regular file'), { code: 'EISDIR' }));
    const size = st.size;
    const hash = headHash(fd, size);
    const r = job.resume;
    // Resume only where the bytes already parsed are still there: same head, same bytes before the
    // resume point (a rewrite in place changes one or the other), and no shrinking.
    const restored =
      r !== null && r.headHash === hash && r.offset <= size && r.offset > 0 && edgeHash(fd, r.offset) === r.edgeHash
        ? restoreState(r.stateJson)
        : null;
    const canResume = restored !== null;
    const state: ParserState = restored ?? newParserState();
    const fromOffset = canResume ? r!.offset : 0;
    const fromLine = canResume ? r!.lines : 0;
    const parser = new RolloutParser(state, job.filenameId);
    scratch ??= Buffer.allocUnsafe(SCRATCH_BYTES);
    const outcome = readLines(
      fd,
      { fromOffset, fromIndex: fromLine, untilOffset: size, scratch },
      (line) => parser.line(line),
      // Too long to hold: its stub (long strings cut) still carries its turn and item.
      (offset, index, length) => {
        const stub = buildStubFromFile(fd, offset, length);
        if (stub) parser.oversized(stub.text, stub.cuts, offset, length, index);
      },
    );

    // Persist the state as of the last complete line; then let an unfinished last line (a writer
    // mid-append, or codex 0.8 leaving no final newline) inform what we show, without keeping it.
    const stateJson = JSON.stringify(state);
    const persisted = state;
    let meta = state.meta;
    let format = persisted.format;
    let turnCount = trackedTurnCount(state.turns);
    if (outcome.tail !== null) {
      const tailParser = new RolloutParser(JSON.parse(stateJson) as ParserState, job.filenameId);
      const tail = outcome.tail;
      tailParser.line({
        buf: tail,
        start: 0,
        end: tail.length,
        offset: outcome.tailOffset,
        nextOffset: outcome.tailOffset + tail.length,
        index: outcome.nextIndex,
      });
      tailParser.flushOpenTurn();
      meta = tailParser.state.meta;
      // A file whose only line is unfinished (an old codex stopped after its header) has its
      // format only there: a bare header must not pass for a legacy rollout.
      format ??= tailParser.state.format;
      turnCount = trackedTurnCount(tailParser.state.turns);
      parser.out.turnOps.push(...tailParser.out.turnOps);
      parser.out.agentCloses.push(...tailParser.out.agentCloses);
    } else {
      parser.flushOpenTurn();
    }

    // Codex compares and stores cwds canonicalised (symlinks resolved) when they exist.
    meta = { ...meta, cwd: normalizeCwd(meta.cwd) };
    const threadId = meta.id ?? job.filenameId;
    // A rollout names its thread (session_meta, the bare header) or at least looks like one and
    // carries the thread id in its file name; anything else in sessions/ is not a rollout.
    const status: ParseResult['status'] =
      size === 0 ? 'empty' : meta.id === null && (format === null || job.filenameId === null) ? 'foreign' : 'ok';
    return {
      relPath: job.relPath,
      archived: job.archived,
      status,
      problem: null,
      error: null,
      size,
      mtimeMs: Math.trunc(st.mtimeMs),
      reset: !canResume,
      fromOffset,
      parsedBytes: outcome.endOffset,
      parsedLines: outcome.nextIndex,
      headHash: hash,
      edgeHash: edgeHash(fd, outcome.endOffset),
      stateJson: status === 'ok' ? stateJson : null,
      meta,
      threadId: status === 'ok' ? threadId : null,
      format,
      turnOps: parser.out.turnOps,
      turnCount,
      fts: parser.out.fts,
      agentCloses: parser.out.agentCloses,
      counts: persisted.counts,
      oversizedLines: outcome.oversized,
      tailBytes: outcome.tail?.length ?? 0,
      bytesRead: outcome.bytesRead,
    };
  } catch (err) {
    return failed(job, err);
  } finally {
    fs.closeSync(fd);
  }
}
