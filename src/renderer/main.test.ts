// The renderer's boot entry (src/renderer/main.ts) sends the first request while the app's bundle
// loads; that only pays if the entry itself is tiny. This walks its static imports (type-only
// imports are erased, a dynamic import() is the boundary the app loads behind) and fails if it
// reaches React, zod or any other package, or a module that builds the protocol's schemas.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const RENDERER = import.meta.dirname;

/** The specifiers a module imports at run time (not `import type`, not `import()`). */
function runtimeImports(file: string): string[] {
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const st of src.statements) {
    if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) out.push((st.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && !st.isTypeOnly) {
      out.push((st.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return out;
}

/** Every module the entry runs, and the bare (package) specifiers among their imports. */
function staticGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files: [...files].map((f) => path.relative(RENDERER, f)), packages: [...packages] };
}

describe('the boot entry', () => {
  it('runs no package and no schema module: the app comes behind a dynamic import', () => {
    const boot = staticGraph(path.join(RENDERER, 'main.ts'));
    expect(boot.packages).toEqual([]);
    for (const heavy of ['../shared/protocol/index.ts', '../shared/jsonrpc.ts', 'bridge/index.ts', 'start-app.tsx'])
      expect(boot.files).not.toContain(heavy);
    expect(boot.files).toContain('bridge/raw.ts');
    expect(fs.readFileSync(path.join(RENDERER, 'main.ts'), 'utf8')).toMatch(/import\(['"]\.\/start-app\.tsx['"]\)/);
  });

  it('the walk does see what the app loads (it can fail)', () => {
    const app = staticGraph(path.join(RENDERER, 'start-app.tsx'));
    expect(app.packages).toEqual(expect.arrayContaining(['react', 'react-dom/client', 'zod']));
    expect(app.files).toContain('../shared/protocol/index.ts');
  });
});
