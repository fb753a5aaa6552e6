// Electron's security checklist, item by item, on the pure decisions security.ts and index.ts wire
// in (docs/SECURITY.md names the test of each item). The last block checks the wiring itself: the
// window is built from these preferences and every decision is installed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  externalUrl,
  isTrustedSender,
  navigationAllowed,
  originOf,
  permissionGranted,
  resolveAppFile,
  trustedOrigins,
  webviewAttachAllowed,
  windowOpenDecision,
  windowWebPreferences,
  withCspHeader,
  type IpcSenderLike,
} from './policy.ts';

const page = `${APP_ORIGIN}/index.html`;

describe('webPreferences (checklist 2, 3, 4, 6, 8, 9, 10)', () => {
  const prefs: Record<string, unknown> = windowWebPreferences('/app/preload.cjs');
  it('isolates and sandboxes the renderer, without Node anywhere', () => {
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      preload: '/app/preload.cjs',
    });
  });
  it('keeps web security on and insecure content, experimental and Blink features, and webviews off', () => {
    expect(prefs).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });
});

describe('permissions (checklist 5)', () => {
  it('refuses every permission a page can ask for', () => {
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'midi',
      'midiSysex',
      'pointerLock',
      'fullscreen',
      'openExternal',
      'clipboard-read',
      'clipboard-sanitized-write',
      'display-capture',
      'hid',
      'serial',
      'usb',
      'storage-access',
      'unknown',
    ]) {
      expect(permissionGranted(p), p).toBe(false);
    }
  });
});

describe('Content-Security-Policy (checklist 7)', () => {
  it('is restrictive: scripts only from the app, no objects, no base or form targets, no framing', () => {
    const d = new Map(CONTENT_SECURITY_POLICY.split('; ').map((x) => [x.split(' ')[0]!, x.split(' ').slice(1)]));
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*|http:|https:/);
  });
  it('is set on every response, replacing a weaker one in any letter case', () => {
    const h = withCspHeader({
      'content-security-policy': ['default-src *'],
      'Content-Type': 'text/html',
      'CONTENT-SECURITY-POLICY': ['x'],
    });
    expect(h['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(Object.keys(h).filter((k) => k.toLowerCase() === 'content-security-policy')).toHaveLength(1);
    expect(h['Content-Type']).toEqual(['text/html']);
    expect(withCspHeader(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('webviews (checklist 11, 12)', () => {
  it('are never attached (so allowpopups and their options never apply)', () => {
    expect(webviewAttachAllowed()).toBe(false);
  });
});

describe('navigation (checklist 13)', () => {
  it('stays within the app’s own origin', () => {
    expect(navigationAllowed(page, `${APP_ORIGIN}/index.html#/thread/x`)).toBe(true);
    for (const to of [
      'https://evil.example/',
      'http://127.0.0.1:1234/',
      'file:///etc/passwd',
      'spool://evil/index.html',
      'spool://app.evil/',
      'javascript:alert(1)',
      'data:text/html,x',
      'about:blank',
      'chrome://settings',
      'not a url',
      '',
    ]) {
      expect(navigationAllowed(page, to), to).toBe(false);
    }
    // A page of no known origin navigates nowhere.
    expect(navigationAllowed('about:blank', 'about:blank')).toBe(false);
    expect(navigationAllowed('', '')).toBe(false);
  });
});

describe('new windows (checklist 14) and shell.openExternal (checklist 15)', () => {
  it('never opens a window; sends allow-listed links to the user’s browser', () => {
    expect(windowOpenDecision('https://github.com/openai/codex')).toEqual({
      action: 'deny',
      openExternally: 'https://github.com/openai/codex',
    });
    expect(windowOpenDecision('mailto:someone@example.com')).toEqual({ action: 'deny', openExternally: 'mailto:someone@example.com' });
    expect(windowOpenDecision(page)).toEqual({ action: 'deny', openExternally: null });
  });
  it('opens externally only http, https and mailto, without credentials', () => {
    for (const bad of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'vbscript:x',
      'data:text/html,<script>1</script>',
      'smb://host/share',
      'ms-msdt:/id',
      'search-ms:query=x',
      'x-apple.systempreferences:',
      'vscode://file/etc/passwd',
      'spool://app/index.html',
      'chrome://settings',
      'https://user:pw@evil.example/',
      '//evil.example',
      'evil.example',
      '',
      ' ',
      'h'.repeat(5000),
    ]) {
      expect(externalUrl(bad), bad).toBeNull();
    }
    expect(externalUrl(42)).toBeNull();
    expect(externalUrl('HTTPS://Example.com/a b')).toBe('https://example.com/a%20b');
  });
});

describe('IPC senders (checklist 17)', () => {
  const origins = trustedOrigins({ isPackaged: true, devUrl: 'http://localhost:5173' });
  const ev = (url: string, top = true): IpcSenderLike => {
    const main = { url: top ? url : page };
    return { senderFrame: top ? main : { url }, sender: { mainFrame: main } };
  };
  it('accepts only the top frame of the app’s own page', () => {
    expect(isTrustedSender(ev(page), origins)).toBe(true);
    expect(isTrustedSender(ev(`${APP_ORIGIN}/other#x`), origins)).toBe(true);
  });
  it('rejects a subframe (even of the app’s origin), foreign origins, and a destroyed frame', () => {
    expect(isTrustedSender(ev(page, false), origins)).toBe(false);
    for (const url of ['https://evil.example/', 'http://localhost:5173/', 'file:///index.html', 'spool://evil/', 'about:blank', 'null', ''])
      expect(isTrustedSender(ev(url), origins), url).toBe(false);
    expect(isTrustedSender({ senderFrame: null, sender: { mainFrame: {} } }, origins)).toBe(false);
    expect(isTrustedSender({ senderFrame: undefined, sender: { mainFrame: undefined } }, origins)).toBe(false);
  });
  it('trusts the dev server only in an unpackaged build', () => {
    expect([...trustedOrigins({ isPackaged: true, devUrl: 'http://localhost:5173/' })]).toEqual([APP_ORIGIN]);
    expect([...trustedOrigins({ isPackaged: false, devUrl: 'http://localhost:5173/' })]).toEqual([APP_ORIGIN, 'http://localhost:5173']);
    expect([...trustedOrigins({ isPackaged: false, devUrl: 'garbage' })]).toEqual([APP_ORIGIN]);
  });
  it('computes spool:// origins (WHATWG gives them the opaque "null")', () => {
    expect(originOf(page)).toBe(APP_ORIGIN);
    expect(originOf('null')).toBeNull();
    expect(originOf('data:text/html,x')).toBeNull();
  });
});

describe('the app scheme instead of file:// (checklist 18)', () => {
  const dir = '/opt/spool/renderer';
  it('serves files of the built renderer only', () => {
    expect(resolveAppFile(dir, `${APP_ORIGIN}/`)).toBe(path.join(dir, 'index.html'));
    expect(resolveAppFile(dir, `${APP_ORIGIN}/assets/app.js`)).toBe(path.join(dir, 'assets/app.js'));
    for (const url of [
      `${APP_ORIGIN}/../../etc/passwd`,
      `${APP_ORIGIN}/%2e%2e/%2e%2e/etc/passwd`,
      `${APP_ORIGIN}/..%2f..%2fetc%2fpasswd`,
      `${APP_ORIGIN}/%E0%A4%A`,
      `${APP_ORIGIN}/a%00b`,
      'spool://evil/index.html',
      'file:///etc/passwd',
      'not a url',
      `${APP_ORIGIN}/%2F`,
    ]) {
      const f = resolveAppFile(dir, url);
      expect(f === null || f.startsWith(`${dir}/`), url).toBe(true);
      expect(f).not.toBe('/etc/passwd');
    }
    expect(resolveAppFile(dir, `${APP_ORIGIN}/%E0%A4%A`)).toBeNull();
    expect(resolveAppFile(dir, 'spool://evil/index.html')).toBeNull();
  });
});

describe('wiring', () => {
  const src = (f: string): string => fs.readFileSync(path.join(import.meta.dirname, f), 'utf8');
  it('the window takes its preferences from policy.ts; IPC goes through the checked handler; the scheme through resolveAppFile', () => {
    const main = src('../index.ts');
    expect(main).toMatch(/webPreferences: windowWebPreferences\(/);
    expect(main.match(/new BrowserWindow\(/g)).toHaveLength(1);
    expect(main).toMatch(/ipcMain\.handle\(\s*IPC_REQUEST,\s*createIpcRequestHandler\(/);
    expect(main.match(/ipcMain\.(handle|on)\(/g)).toHaveLength(1);
    expect(main).toMatch(/resolveAppFile\(rendererDir, req\.url\)/);
    expect(main).not.toMatch(/shell\.openExternal\(/);
    expect(main).toMatch(/installSessionPolicies\(\)/);
  });
  it('security.ts installs every decision', () => {
    const s = src('security.ts');
    for (const hook of [
      "'will-navigate'",
      "'will-frame-navigate'",
      "'will-redirect'",
      "'will-attach-webview'",
      'setWindowOpenHandler',
      'setPermissionRequestHandler',
      'setPermissionCheckHandler',
      'onHeadersReceived',
      "'web-contents-created'",
    ])
      expect(s, hook).toContain(hook);
  });
  it('the preload exposes exactly window.spool, with request and subscribe', () => {
    const pre = src('../../preload/index.ts');
    expect(pre.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(pre).toMatch(/exposeInMainWorld\('spool', \{\n\s+request\(/);
    expect(pre).not.toMatch(/ipcRenderer[,)]\s*\}/);
  });
});
