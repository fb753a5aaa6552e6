// The house's plan, held against the code: every module under src/ is parsed and its imports
// (type-only ones too: a type import ties two modules as much as a value import does) make one
// graph, which must have no circle and no arrow that runs back up — neither across the layers of
// docs/DEVELOPING.md nor among the engine's parts, whose order is written down below, lowest first.
// Test files are leaves (nothing imports them) and may reach across layers for their fixtures, so
// they are not part of the plan.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/** An import of one module by another, as repository-relative paths. */
export interface Edge {
  from: string;
  to: string;
}

// ---------------------------------------------------------------------------------------------
// The plan

/** The layers of docs/DEVELOPING.md, and which others each may import (its Node hosts in the order they use each other). */
const LAYERS: Record<string, { holds: string[]; mayImport: string[] }> = {
  shared: { holds: ['src/shared/'], mayImport: [] },
  engine: { holds: ['src/main/engine/'], mayImport: ['shared'] },
  rpc: { holds: ['src/main/rpc/'], mayImport: ['shared', 'engine'] },
  host: { holds: ['src/main/host/'], mayImport: ['shared', 'engine', 'rpc'] },
  cli: { holds: ['src/main/cli/'], mayImport: ['shared', 'engine', 'rpc', 'host'] },
  electron: { holds: ['src/main/index.ts', 'src/main/electron/'], mayImport: ['shared', 'engine', 'rpc', 'host'] },
  // The sandboxed preload takes only the IPC channel names from the protocol (bundled in).
  preload: { holds: ['src/preload/'], mayImport: ['shared'] },
  renderer: { holds: ['src/renderer/'], mayImport: ['shared'] },
};

const ENGINE = 'src/main/engine/';

/**
 * The engine's parts, lowest first: a folder, a top-level file, or `handlers` (every feature's
 * `handlers.ts`, the face engine.ts registers: the one place a low feature such as the indexer
 * meets the EngineContext that holds it). A part may import its own modules and any part of a
 * lower tier; the parts of one tier are independent of each other.
 */
const ENGINE_TIERS: string[][] = [
  ['db', 'fsx', 'home.ts', 'events.ts', 'data-dir.ts', 'handler-types.ts', 'demo'],
  ['rollout'],
  ['user'],
  ['indexer'],
  ['context.ts'],
  ['threads'],
  ['graph', 'search', 'bulk'],
  ['handlers'],
  ['engine.ts'],
];

/**
 * Circles known to exist while another branch breaks them, each as its set of modules: a listed
 * circle must match exactly, and one that no longer exists fails too, so that the entry is removed.
 * rollout/: parser.ts ↔ turns.ts ↔ history/ (the rollout branch moves the shared line types and
 * isInjectedUserText into a leaf). Empty this list once that branch is merged.
 */
const KNOWN_CIRCLES: string[][] = [];

/** Upward arrows known to exist while another branch removes them (`from -> to`); same rules as above. */
const KNOWN_UPWARD: string[] = [];

// ---------------------------------------------------------------------------------------------
// Reading the code

const SOURCE = /\.(ts|tsx)$/;
/** Tests and the fixtures only tests import (`*.fixture.ts`). */
const isTest = (rel: string): boolean => /\.(test|fixture)\.tsx?$/.test(rel);

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (SOURCE.test(e.name)) out.push(p);
  }
  return out;
}

/** Every module specifier a file names: imports and re-exports (type-only too), import() and import types. */
export function specifiersOf(fileName: string, text: string): string[] {
  const src = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier))
      out.push(node.moduleSpecifier.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteralLike(arg)) out.push(arg.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal))
      out.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(src);
  return out;
}

/** The import graph of src/'s modules (tests left out): relative imports only; packages are the linter's business. */
function sourceGraph(): { files: string[]; edges: Edge[] } {
  const files = walk(path.join(ROOT, 'src'))
    .map((f) => path.relative(ROOT, f).split(path.sep).join('/'))
    .filter((f) => !isTest(f))
    .sort();
  const edges: Edge[] = [];
  for (const from of files) {
    for (const spec of specifiersOf(from, fs.readFileSync(path.join(ROOT, from), 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const to = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
      if (SOURCE.test(to)) edges.push({ from, to });
    }
  }
  return { files, edges };
}

// ---------------------------------------------------------------------------------------------
// Judging it

/** The circles of a graph (strongly connected components of more than one module, or a module importing itself). */
export function circlesOf(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, []);
    if (!next.has(e.to)) next.set(e.to, []);
    next.get(e.from)!.push(e.to);
  }
  // Tarjan's algorithm, iterative (a long chain of imports must not overflow the stack).
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const start of next.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; i: number }[] = [{ node: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const succ = next.get(top.node)!;
      if (top.i < succ.length) {
        const w = succ[top.i++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== top.node);
        if (scc.length > 1 || succ.includes(top.node)) out.push(scc.sort());
      }
    }
  }
  return out.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/** A circle with the imports that tie it, one `from -> to` a line. */
function describeCircle(circle: readonly string[], edges: readonly Edge[]): string {
  const members = new Set(circle);
  const ties = edges.filter((e) => members.has(e.from) && members.has(e.to)).map((e) => `    ${e.from} -> ${e.to}`);
  return [`  circle of ${circle.length}:`, ...[...new Set(ties)]].join('\n');
}

function layerOf(file: string): string | null {
  for (const [name, l] of Object.entries(LAYERS)) if (l.holds.some((h) => (h.endsWith('/') ? file.startsWith(h) : file === h))) return name;
  return null;
}

/** The engine part a module belongs to (see ENGINE_TIERS); null outside the engine. */
export function enginePartOf(file: string): string | null {
  if (!file.startsWith(ENGINE)) return null;
  const rest = file.slice(ENGINE.length).split('/');
  if (rest.length === 1) return rest[0]!;
  if (rest.length === 2 && rest[1] === 'handlers.ts') return 'handlers';
  return rest[0]!;
}

const tierOf = (tiers: readonly string[][], part: string): number => tiers.findIndex((t) => t.includes(part));

/** Every import that breaks the order: across layers, or among the engine's parts. */
export function upwardEdges(edges: readonly Edge[], tiers: readonly string[][] = ENGINE_TIERS): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const a = layerOf(e.from);
    const b = layerOf(e.to);
    if (a === null || b === null) {
      const why = e.to.startsWith('src/') ? 'outside every layer: add it to LAYERS' : 'src/ imports nothing outside it';
      out.push(`${e.from} -> ${e.to}  (${why})`);
      continue;
    }
    if (a !== b) {
      if (!LAYERS[a]!.mayImport.includes(b)) out.push(`${e.from} -> ${e.to}  (${a} may not import ${b})`);
      continue;
    }
    const pa = enginePartOf(e.from);
    const pb = enginePartOf(e.to);
    if (pa === null || pb === null || pa === pb) continue;
    const ta = tierOf(tiers, pa);
    const tb = tierOf(tiers, pb);
    if (ta < 0 || tb < 0) out.push(`${e.from} -> ${e.to}  (engine part ${ta < 0 ? pa : pb} is not in ENGINE_TIERS)`);
    else if (tb >= ta) out.push(`${e.from} -> ${e.to}  (engine: ${pa} is ${tb === ta ? 'beside' : 'below'} ${pb})`);
  }
  return [...new Set(out)].sort();
}

/** What is wrong with a graph, measured against the known exceptions; empty when nothing is. */
export function verdict(edges: readonly Edge[], known: { circles: string[][]; upward: string[] }, tiers = ENGINE_TIERS): string[] {
  const problems: string[] = [];
  const key = (c: readonly string[]): string => [...c].sort().join(' ');
  const circles = circlesOf(edges);
  const knownCircles = new Set(known.circles.map(key));
  const found = new Set(circles.map(key));
  const newCircles = circles.filter((c) => !knownCircles.has(key(c)));
  if (newCircles.length > 0) problems.push(`import circles:\n${newCircles.map((c) => describeCircle(c, edges)).join('\n')}`);
  const gone = known.circles.filter((c) => !found.has(key(c)));
  if (gone.length > 0)
    problems.push(`known circles that are gone (remove them from KNOWN_CIRCLES):\n${gone.map((c) => `  ${key(c)}`).join('\n')}`);

  const upward = upwardEdges(edges, tiers);
  const arrow = (u: string): string => u.split('  (')[0]!;
  const knownUp = new Set(known.upward);
  const newUp = upward.filter((u) => !knownUp.has(arrow(u)));
  if (newUp.length > 0) problems.push(`imports against the layer order:\n${newUp.map((u) => `  ${u}`).join('\n')}`);
  const upNow = new Set(upward.map(arrow));
  const goneUp = known.upward.filter((u) => !upNow.has(u));
  if (goneUp.length > 0)
    problems.push(`known upward imports that are gone (remove them from KNOWN_UPWARD):\n${goneUp.map((u) => `  ${u}`).join('\n')}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------

describe('the architecture of src/', () => {
  const graph = sourceGraph();

  it('reads the whole tree', () => {
    expect(graph.files.length).toBeGreaterThan(150);
    expect(graph.edges.length).toBeGreaterThan(graph.files.length);
    // Every import names a module that exists (a stale path would hide an arrow).
    const missing = graph.edges.filter((e) => !fs.existsSync(path.join(ROOT, e.to))).map((e) => `${e.from} -> ${e.to}`);
    expect(missing).toEqual([]);
    // Type imports are arrows too.
    expect(graph.edges).toContainEqual({ from: 'src/main/engine/context.ts', to: 'src/main/engine/indexer/indexer.ts' });
  });

  it('has no import circle and no import that runs back up', () => {
    const problems = verdict(graph.edges, { circles: KNOWN_CIRCLES, upward: KNOWN_UPWARD });
    expect(problems, `\n${problems.join('\n\n')}\n`).toEqual([]);
  });
});

describe('the judge (it can fail)', () => {
  const e = (from: string, to: string): Edge => ({ from: `src/${from}`, to: `src/${to}` });

  it('finds circles and names the imports that tie them', () => {
    const edges = [e('a.ts', 'b.ts'), e('b.ts', 'c.ts'), e('c.ts', 'a.ts'), e('c.ts', 'd.ts'), e('d.ts', 'd.ts'), e('x.ts', 'y.ts')];
    expect(circlesOf(edges)).toEqual([['src/a.ts', 'src/b.ts', 'src/c.ts'], ['src/d.ts']]);
    const problems = verdict(edges, { circles: [], upward: [] });
    expect(problems[0]).toContain('src/c.ts -> src/a.ts');
    expect(problems[0]).toContain('src/d.ts -> src/d.ts');
  });

  it('finds imports against the layers and against the engine order', () => {
    const edges = [
      e('shared/protocol/index.ts', 'main/engine/home.ts'),
      e('renderer/App.tsx', 'main/engine/home.ts'),
      e('main/engine/db/database.ts', 'main/engine/threads/read.ts'),
      e('main/engine/graph/tree.ts', 'main/engine/search/search.ts'),
      // allowed: down the engine, a handlers.ts to the context, shared from anywhere
      e('main/engine/threads/read.ts', 'main/engine/db/database.ts'),
      e('main/engine/indexer/handlers.ts', 'main/engine/context.ts'),
      e('main/engine/threads/read.ts', 'shared/jsonrpc.ts'),
    ];
    expect(upwardEdges(edges)).toEqual([
      'src/main/engine/db/database.ts -> src/main/engine/threads/read.ts  (engine: db is below threads)',
      'src/main/engine/graph/tree.ts -> src/main/engine/search/search.ts  (engine: graph is beside search)',
      'src/renderer/App.tsx -> src/main/engine/home.ts  (renderer may not import engine)',
      'src/shared/protocol/index.ts -> src/main/engine/home.ts  (shared may not import engine)',
    ]);
  });

  it('holds known exceptions to exactly what they name', () => {
    const circle = [e('main/engine/db/a.ts', 'main/engine/db/b.ts'), e('main/engine/db/b.ts', 'main/engine/db/a.ts')];
    const known = [['src/main/engine/db/a.ts', 'src/main/engine/db/b.ts']];
    expect(verdict(circle, { circles: known, upward: [] })).toEqual([]);
    expect(verdict([], { circles: known, upward: [] })[0]).toContain('remove them from KNOWN_CIRCLES');
    // A known circle that grew is a new one.
    const grown = [...circle, e('main/engine/db/b.ts', 'main/engine/db/c.ts'), e('main/engine/db/c.ts', 'main/engine/db/a.ts')];
    expect(verdict(grown, { circles: known, upward: [] })[0]).toContain('src/main/engine/db/c.ts -> src/main/engine/db/a.ts');

    const up = [e('main/engine/db/a.ts', 'main/engine/user/b.ts')];
    expect(verdict(up, { circles: [], upward: ['src/main/engine/db/a.ts -> src/main/engine/user/b.ts'] })).toEqual([]);
    expect(verdict(up, { circles: [], upward: [] })[0]).toContain('db is below user');
    expect(verdict([], { circles: [], upward: ['src/x.ts -> src/y.ts'] })[0]).toContain('remove them from KNOWN_UPWARD');
  });

  it('reads type imports, re-exports, import() and import types', () => {
    const text = `import type { A } from './a.ts';\nexport { b } from './b.ts';\nconst c = import('./c.ts');\ntype D = import('./d.ts').D;\nimport e from 'pkg';`;
    expect(specifiersOf('x.ts', text)).toEqual(['./a.ts', './b.ts', './c.ts', './d.ts', 'pkg']);
  });
});
