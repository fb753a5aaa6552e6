// The app under test, started for real: `spool serve` on a private copy of a real home (browser
// target), or the Electron app on it (E2E_TARGET=electron). Specs only see a Page.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { test as base, expect, _electron, type Page } from '@playwright/test';
import { REPO_ROOT } from '../test/support/real-home.ts';
import { AppPage } from './pages/app-page.ts';

export interface LaunchedApp {
  page: Page;
  app: AppPage;
  home: string;
  dataDir: string;
  /** Runs `spool call` against the same home and data folder (the CLI is a real client too). */
  cli(method: string, params?: unknown): Promise<unknown>;
}

export interface AppFixtures {
  /** `dataDir`: an existing Spool data folder to start on (default: a fresh one). */
  launch: (home: string, opts?: { dataDir?: string }) => Promise<LaunchedApp>;
}

const NODE = path.join(REPO_ROOT, 'node_modules', '.bin', 'node');
const SPOOL = path.join(REPO_ROOT, 'bin', 'spool.js');

async function startServe(home: string, dataDir: string): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(NODE, [SPOOL, 'serve', '--home', home, '--data-dir', dataDir, '--port', '0'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = readline.createInterface({ input: proc.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`spool serve did not start:\n${stderr}`)), 30_000);
    lines.on('line', (line) => {
      if (/^http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(line)) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    proc.once('exit', (code) => reject(new Error(`spool serve exited (${code}):\n${stderr}`)));
  });
  return { url, proc };
}

function runCli(home: string, dataDir: string, method: string, params?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const args = [SPOOL, 'call', method, ...(params === undefined ? [] : [JSON.stringify(params)]), '--home', home, '--data-dir', dataDir];
    const p = spawn(NODE, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => {
      try {
        const v = JSON.parse(out) as unknown;
        if (code === 0) resolve(v);
        else reject(Object.assign(new Error(`spool call ${method} failed: ${out}`), { rpc: v }));
      } catch {
        reject(new Error(`spool call ${method}: exit ${code}\n${out}\n${err}`));
      }
    });
  });
}

/** Records the page's Content-Security-Policy violations: the app must never trip its own policy. */
const RECORD_CSP_VIOLATIONS = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));`;

async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate<string[]>('window.__cspViolations ?? []').catch(() => []);
}

export const test = base.extend<AppFixtures>({
  launch: async ({ page, browserName: _browserName }, use) => {
    const stops: (() => Promise<void>)[] = [];
    const pages: Page[] = [];
    await use(async (home: string, opts?: { dataDir?: string }) => {
      const dataDir = opts?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'spool-e2e-data-'));
      if (process.env['E2E_TARGET'] === 'electron') {
        const electronApp = await _electron.launch({ args: [REPO_ROOT, `--home=${home}`, `--data-dir=${dataDir}`], cwd: REPO_ROOT });
        stops.push(() => electronApp.close());
        const win = await electronApp.firstWindow();
        await win.addInitScript(RECORD_CSP_VIOLATIONS);
        await win.evaluate(RECORD_CSP_VIOLATIONS);
        pages.push(win);
        return { page: win, app: new AppPage(win), home, dataDir, cli: (m, p) => runCli(home, dataDir, m, p) };
      }
      const { url, proc } = await startServe(home, dataDir);
      stops.push(
        () =>
          new Promise<void>((resolve) => {
            if (proc.exitCode !== null) return resolve();
            proc.once('exit', () => resolve());
            proc.kill('SIGTERM');
          }),
      );
      await page.addInitScript(RECORD_CSP_VIOLATIONS);
      pages.push(page);
      await page.goto(url);
      return { page, app: new AppPage(page), home, dataDir, cli: (m, p) => runCli(home, dataDir, m, p) };
    });
    const violations = (await Promise.all(pages.map(cspViolations))).flat();
    for (const stop of stops.reverse()) await stop();
    expect(violations, 'Content-Security-Policy violations').toEqual([]);
  },
});

export { expect } from '@playwright/test';
