// Parses one rollout file, from the start or from where an earlier parse stopped. Pure with respect
// to the index: it reads the file (never writes it) and returns what the writer should store.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { readLines } from './line-reader.ts';
import { newParserState, PARSER_VERSION, RolloutParser, type AgentClose, type FtsEntry, type ParseCounts, type ParserState, type ThreadMeta, type TurnOp } from './parser.ts';

/** How many leading bytes identify a file's content (a rewrite in place changes them). */
const HEAD_BYTES = 4096;

export interface ParseJob {
  absPath: string;
  relPath: string;
  archived: boolean;
  filenameId: string | null;
  /** Resume point from the index, if the file was parsed before. */
  resume: { offset: number; lines: number; headHash: string | null; state: ParserState } | null;
}

export type FileProblem = 'permission' | 'vanished' | 'symlinkLoop' | 'notAFile' | 'io';

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
  /** State after the last complete line: what the next incremental parse resumes from. */
  state: ParserState;
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
  hasTail: boolean;
  bytesRead: number;
}

function headHash(fd: number, size: number): string | null {
  if (size === 0) return null;
  const n = Math.min(HEAD_BYTES, size);
  const buf = Buffer.allocUnsafe(n);
  const got = fs.readSync(fd, buf, 0, n, 0);
  return crypto.createHash('sha1').update(buf.subarray(0, got)).digest('hex');
}

function problemOf(err: unknown): FileProblem {
  const code = err instanceof Error && 'code' in err ? String((err as { code: unknown }).code) : '';
  if (code === 'EACCES' || code === 'EPERM') return 'permission';
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
    error: err instanceof Error ? err.message : String(err),
    size: 0,
    mtimeMs: 0,
    reset: true,
    fromOffset: 0,
    parsedBytes: 0,
    parsedLines: 0,
    headHash: null,
    state,
    meta: state.meta,
    threadId: null,
    format: null,
    turnOps: [],
    turnCount: 0,
    fts: [],
    agentCloses: [],
    counts: state.counts,
    oversizedLines: 0,
    hasTail: false,
    bytesRead: 0,
  };
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
    const canResume = r !== null && r.state.v === PARSER_VERSION && r.headHash === hash && r.offset <= size && r.offset > 0;
    const state: ParserState = canResume ? r.state : newParserState();
    const fromOffset = canResume ? r.offset : 0;
    const fromLine = canResume ? r.lines : 0;
    const parser = new RolloutParser(state, job.filenameId);
    const outcome = readLines(fd, { fromOffset, fromIndex: fromLine, untilOffset: size }, (line) => parser.line(line));

    // Persist the state as of the last complete line; then let an unfinished last line (a writer
    // mid-append, or codex 0.8 leaving no final newline) inform what we show, without keeping it.
    const persisted: ParserState = structuredClone(state);
    let meta = state.meta;
    let turnCount = state.nextSeq;
    if (outcome.tail !== null) {
      const tailParser = new RolloutParser(structuredClone(persisted), job.filenameId);
      const tail = outcome.tail;
      tailParser.line({ buf: tail, start: 0, end: tail.length, offset: outcome.tailOffset, nextOffset: outcome.tailOffset + tail.length, index: outcome.nextIndex });
      tailParser.flushOpenTurn();
      meta = tailParser.state.meta;
      turnCount = tailParser.state.nextSeq;
      parser.out.turnOps.push(...tailParser.out.turnOps);
      parser.out.agentCloses.push(...tailParser.out.agentCloses);
    } else {
      parser.flushOpenTurn();
    }

    const threadId = meta.id ?? job.filenameId;
    const status: ParseResult['status'] = size === 0 ? 'empty' : persisted.format === null && meta.id === null ? 'foreign' : 'ok';
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
      state: persisted,
      meta,
      threadId: status === 'ok' ? threadId : null,
      format: persisted.format ?? (meta.id ? 'legacy' : null),
      turnOps: parser.out.turnOps,
      turnCount,
      fts: parser.out.fts,
      agentCloses: parser.out.agentCloses,
      counts: persisted.counts,
      oversizedLines: outcome.oversized,
      hasTail: outcome.tail !== null,
      bytesRead: outcome.bytesRead,
    };
  } catch (err) {
    return failed(job, err);
  } finally {
    fs.closeSync(fd);
  }
}
