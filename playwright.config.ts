import { defineConfig } from '@playwright/test';

// One suite, two targets: the browser host (`spool serve`) in Debian's Chromium by default, or the
// Electron app with E2E_TARGET=electron where the Electron binary exists. Never a downloaded browser.
const electron = process.env['E2E_TARGET'] === 'electron';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1400, height: 900 },
    ...(electron
      ? {}
      : {
          browserName: 'chromium',
          launchOptions: {
            executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
            args: [
              '--no-sandbox',
              '--disable-gpu',
              '--disable-quic',
              '--no-first-run',
              '--disable-background-networking',
              '--disable-component-update',
              '--disable-sync',
            ],
          },
        }),
  },
});
