// `npm start` runs this first: Electron downloads its binary on first use. On a machine that cannot
// reach Electron's download host, say so plainly and point at browser mode.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const dir = path.dirname(require.resolve('electron/package.json'));
const pathFile = path.join(dir, 'path.txt');
const present = fs.existsSync(pathFile) && fs.existsSync(path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8')));
if (!present) {
  process.stderr.write('Downloading the Electron binary (first start only)…\n');
  const r = spawnSync(process.execPath, [path.join(dir, 'install.js')], { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(
      '\nThe Electron binary could not be downloaded on this machine.\n' +
        'Spool also runs in your browser: `npm run serve` prints a local URL to open.\n',
    );
    process.exit(1);
  }
}
