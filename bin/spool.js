#!/usr/bin/env node
// The `spool` command. Spool's sources are TypeScript that Node ≥ 22.18 runs directly (type
// stripping); npm scripts and npx put the project's pinned Node 24 first on PATH.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `spool needs Node 22.18 or newer (this is ${process.version}). Run it through npm (npx spool …), ` +
      'which uses the Node 24 installed with the project.\n',
  );
  process.exit(1);
}
const { run } = await import('../src/main/cli/main.ts');
await run(process.argv.slice(2));
