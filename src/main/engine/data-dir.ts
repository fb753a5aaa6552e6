// Spool's data folder. Without --data-dir the CLI and the browser host use the same folder as the
// Electron app's userData, so the app and the command line share one index.
import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Spool';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const explicit = env['SPOOL_DATA_DIR'];
  if (explicit) return path.resolve(explicit);
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  if (platform === 'win32') return path.join(env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  return path.join(env['XDG_CONFIG_HOME'] ?? path.join(home, '.config'), APP_NAME);
}
