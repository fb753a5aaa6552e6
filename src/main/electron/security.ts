// Electron hardening wiring: applies the decisions of policy.ts (tested without Electron) to every
// web contents and to the session: navigation, redirects, new windows, webviews and permission
// requests are refused, the CSP header is set on every response, links leave only for the user's
// browser and only with an allow-listed scheme.
import { app, session, shell, type WebContents } from 'electron';
import {
  externalUrl,
  navigationAllowed,
  permissionGranted,
  trustedOrigins as trustedOriginsFor,
  webviewAttachAllowed,
  windowOpenDecision,
  withCspHeader,
} from './policy.ts';

export { APP_ORIGIN, APP_SCHEME } from './policy.ts';

/** Origins whose pages may talk to the engine: the packaged app, and the dev server in development. */
export const trustedOrigins = (): Set<string> =>
  trustedOriginsFor({ devUrl: process.env['ELECTRON_RENDERER_URL'], isPackaged: app.isPackaged });

/** shell.openExternal only for allow-listed schemes. */
export function openExternalSafely(url: string): boolean {
  const safe = externalUrl(url);
  if (safe === null) return false;
  void shell.openExternal(safe);
  return true;
}

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!navigationAllowed(contents.getURL(), url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!navigationAllowed(contents.getURL(), event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!navigationAllowed(contents.getURL(), url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    if (!webviewAttachAllowed()) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    // Links in messages open in the user's browser (allow-listed schemes only), never in the app.
    const d = windowOpenDecision(url);
    if (d.openExternally) void shell.openExternal(d.openExternally);
    return { action: d.action };
  });
}

export function installSessionPolicies(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionGranted(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => permissionGranted(permission));
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders) });
  });
  app.on('web-contents-created', (_e, contents) => hardenWebContents(contents));
}
