// Electron hardening that applies to every window and web contents (Electron's security
// checklist): deny navigation, new windows, webviews and permission requests; enforce the CSP;
// accept IPC only from the app's own origin, top frame.
import { app, session, shell, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../host/serve.ts';

export const APP_SCHEME = 'spool';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** Origins whose pages may talk to the engine: the packaged app, and the dev server in development. */
export function trustedOrigins(): Set<string> {
  const set = new Set([APP_ORIGIN]);
  const dev = process.env['ELECTRON_RENDERER_URL'];
  if (dev && !app.isPackaged) set.add(new URL(dev).origin);
  return set;
}

export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    // `new URL('spool://app/x').origin` is "null" for non-special schemes: build it ourselves.
    return u.protocol === `${APP_SCHEME}:` ? `${APP_SCHEME}://${u.host}` : u.origin;
  } catch {
    return null;
  }
}

/** True when an IPC message comes from our page's top frame. */
export function isTrustedSender(event: IpcMainInvokeEvent, origins = trustedOrigins()): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  if (frame !== event.sender.mainFrame) return false;
  const origin = originOf(frame.url);
  return origin !== null && origins.has(origin);
}

const EXTERNAL_SCHEMES = new Set(['https:', 'http:', 'mailto:']);

/** shell.openExternal only for allow-listed schemes. */
export function openExternalSafely(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (!EXTERNAL_SCHEMES.has(u.protocol)) return false;
  void shell.openExternal(u.toString());
  return true;
}

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (originOf(url) !== originOf(contents.getURL())) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (originOf(url) !== originOf(contents.getURL())) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links in messages open in the user's browser (allow-listed schemes only), never in the app.
    openExternalSafely(url);
    return { action: 'deny' };
  });
}

export function installSessionPolicies(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents));
}
