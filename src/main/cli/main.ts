// The `spool` command line: call a method, index a home, serve the browser host, write a demo home.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { z } from 'zod';
import { Engine } from '../engine/engine.ts';
import { defaultDataDir } from '../engine/data-dir.ts';
import { resolveHomePath } from '../engine/home.ts';
import { once } from 'node:events';
import readline from 'node:readline';
import { createRouter, type Router } from '../rpc/router.ts';
import { isErrorResponse } from '../../shared/jsonrpc.ts';
import { EngineSession } from '../host/engine-session.ts';
import { startServer } from '../host/serve.ts';
import { generateDemoHome } from '../engine/demo/generate.ts';
import type { IndexProgress } from '../../shared/protocol/index.ts';
import { progressLine } from './progress.ts';
import { formatBytes } from '../../shared/format-bytes.ts';

const USAGE = `spool — browse, search and tidy Codex threads

Usage:
  spool call METHOD [PARAMS_JSON] [--home PATH] [--data-dir DIR]
      Bring the index up to date, call one JSON-RPC method, print the result as JSON
      (or the JSON-RPC error object, with exit code 1).
  spool call - [--home PATH] [--data-dir DIR]
      Batch mode: read JSON-RPC requests from stdin, one per line, and write each response as
      one line of JSON to stdout, in order (notifications get none).
  spool index [--home PATH] [--data-dir DIR] [--report] [--json]
      Index the home with a progress display; --report lists every problem found.
  spool serve [--home PATH] [--port N] [--data-dir DIR]
      Serve the app to a browser on 127.0.0.1 (prints the URL with its access token).
  spool demo --out DIR [--threads N] [--seed N]
      Write a demo CODEX_HOME of generated Codex-format rollouts.

The home is --home, else $CODEX_HOME, else ~/.codex. Spool's index lives in --data-dir, else
$SPOOL_DATA_DIR, else the app's data folder (${defaultDataDir()}).
`;

const Common = z.object({
  home: z.string().min(1).optional(),
  'data-dir': z.string().min(1).optional(),
});
const ServeArgs = Common.extend({ port: z.coerce.number().int().min(0).max(65535).default(0) });
const IndexArgs = Common.extend({ report: z.boolean().default(false), json: z.boolean().default(false) });
const DemoArgs = z.object({
  out: z.string().min(1),
  threads: z.coerce.number().int().min(1).max(1_000_000).default(300),
  seed: z.coerce.number().int().default(1),
});

class UsageError extends Error {}

function parse<T extends z.ZodType>(schema: T, values: unknown): z.infer<T> {
  const r = schema.safeParse(values);
  if (!r.success) throw new UsageError(r.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  return r.data;
}

function locations(args: z.infer<typeof Common>): { home: string; dataDir: string } {
  return { home: resolveHomePath(args.home), dataDir: path.resolve(args['data-dir'] ?? defaultDataDir()) };
}

async function cmdCall(positionals: string[], values: Record<string, unknown>): Promise<number> {
  const [method, paramsText, ...extra] = positionals;
  if (!method) throw new UsageError('spool call needs a METHOD');
  if (extra.length > 0) throw new UsageError('spool call takes METHOD and at most one PARAMS_JSON');
  const args = parse(Common, values);
  if (method === '-') {
    if (paramsText !== undefined) throw new UsageError('spool call - reads its requests from stdin and takes no PARAMS_JSON');
    return cmdCallBatch(args);
  }
  let params: unknown = undefined;
  if (paramsText !== undefined) {
    try {
      params = JSON.parse(paramsText);
    } catch {
      process.stdout.write(`${JSON.stringify({ code: -32700, message: 'Parse error: PARAMS_JSON is not valid JSON' }, null, 2)}\n`);
      return 1;
    }
  }
  const engine = Engine.open(locations(args));
  try {
    for (const m of engine.startupMessages) process.stderr.write(`spool: ${m}\n`);
    await engine.sync();
    const router = cliRouter(engine);
    const res = await router.handle({ jsonrpc: '2.0', id: 1, method, params });
    if (res && isErrorResponse(res)) {
      process.stdout.write(`${JSON.stringify(res.error, null, 2)}\n`);
      return 1;
    }
    process.stdout.write(`${JSON.stringify(res?.result ?? null, null, 2)}\n`);
    return 0;
  } finally {
    await engine.close();
  }
}

const cliRouter = (engine: Engine): Router =>
  createRouter({
    engine,
    host: { 'host/info': () => ({ host: 'cli', platform: process.platform, canReveal: false, canSaveDialog: false }) },
    onInternalError: (method, err) =>
      process.stderr.write(`spool: internal error in ${method}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`),
  });

/** `spool call -`: newline-delimited JSON-RPC on stdin, one response line each on stdout, in order. */
async function cmdCallBatch(args: z.infer<typeof Common>): Promise<number> {
  const engine = Engine.open(locations(args));
  try {
    for (const m of engine.startupMessages) process.stderr.write(`spool: ${m}\n`);
    await engine.sync();
    const router = cliRouter(engine);
    const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      const res = await router.handle(line);
      if (res && !process.stdout.write(`${JSON.stringify(res)}\n`)) await once(process.stdout, 'drain');
    }
    return 0;
  } finally {
    await engine.close();
  }
}

async function cmdIndex(values: Record<string, unknown>): Promise<number> {
  const args = parse(IndexArgs, values);
  const loc = locations(args);
  const engine = Engine.open(loc);
  const tty = process.stderr.isTTY;
  let lastLen = 0;
  const off = engine.events.on((n) => {
    if (n.method !== 'spool/index/progress' || args.json) return;
    const line = progressLine(n.params as IndexProgress);
    if (tty) {
      process.stderr.write(`\r${line.padEnd(lastLen)}`);
      lastLen = line.length;
    }
  });
  try {
    for (const m of engine.startupMessages) process.stderr.write(`${m}\n`);
    const s = await engine.sync();
    off();
    if (tty && lastLen > 0) process.stderr.write('\n');
    const report = { ...engine.indexer.report(args.report ? 10_000 : 20), dataDir: engine.dataDir };
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ summary: s, report }, null, 2)}\n`);
      return 0;
    }
    process.stdout.write(
      `Indexed ${report.threads} threads in ${report.files} files (${formatBytes(report.bytes)}) from ${loc.home}\n` +
        `  this run: ${s.parsed} parsed (${formatBytes(s.bytesParsed)}), ${s.moved} moved, ${s.removed} removed, ${Math.round(s.ms)} ms` +
        `${s.backfill ? ' (full backfill)' : ''}${s.followed ? ' (after waiting for another Spool process to finish its backfill)' : ''}\n` +
        `  index: ${path.join(engine.dataDir, 'index.sqlite')}\n`,
    );
    const counts = Object.entries(report.counts).filter(([, n]) => n > 0);
    if (counts.length > 0) process.stdout.write(`  problems: ${counts.map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
    if (args.report) {
      for (const p of report.problems) process.stdout.write(`  ${p.kind.padEnd(18)} ${p.path}  ${p.detail}\n`);
      if (report.problems.length === 0) process.stdout.write('  no problems found\n');
    }
    return 0;
  } finally {
    await engine.close();
  }
}

async function cmdServe(values: Record<string, unknown>): Promise<number> {
  const args = parse(ServeArgs, values);
  const loc = locations(args);
  const session = await EngineSession.start({ ...loc, live: true });
  for (const m of session.startupMessages) process.stderr.write(`${m}\n`);
  const server = await startServer({
    engine: session,
    port: args.port,
    log: (l) => process.stderr.write(`${l}\n`),
    startupMessages: () => session.startupMessages,
    host: { 'host/openDemoHome': () => session.openDemoHome(loc.dataDir) },
  });
  process.stderr.write(`Spool is serving ${loc.home} (index in ${loc.dataDir})\n`);
  process.stdout.write(`${server.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await session.close();
  return 0;
}

async function cmdDemo(values: Record<string, unknown>): Promise<number> {
  const args = parse(DemoArgs, values);
  const out = path.resolve(args.out);
  const s = generateDemoHome({ home: out, threads: args.threads, seed: args.seed });
  process.stdout.write(`Wrote ${s.threads} threads (${s.files} rollouts, ${formatBytes(s.bytes)}) to ${out}\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      home: { type: 'string' },
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      report: { type: 'boolean' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      threads: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const { help: _help, ...opts } = values;
  switch (command) {
    case 'call':
      return cmdCall(rest, opts);
    case 'index':
      return cmdIndex(opts);
    case 'serve':
      return cmdServe(opts);
    case 'demo':
      return cmdDemo(opts);
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

export async function run(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (err) {
    if (
      err instanceof UsageError ||
      (err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`spool: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`spool: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
