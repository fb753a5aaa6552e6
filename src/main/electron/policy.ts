// Electron's security decisions as pure functions (no `electron` import), so Vitest can prove each
// one: the window's webPreferences, the CSP header, which origins may use IPC, where navigation and
// window.open may go, which permissions a page gets, which links leave for the user's browser, and
// which file a spool:// URL may serve. security.ts only wires these into Electron.
import path from 'node:path';
import { isInside } from '../engine/home.ts';
import { CONTENT_SECURITY_POLICY } from '../host/serve-headers.ts';

export { CONTENT_SECURITY_POLICY };
export const APP_SCHEME = 'spool';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Origins whose pages may talk to the engine: the packaged app, and the dev server in development only. */
export function trustedOrigins(opts: { devUrl?: string | undefined; isPackaged: boolean }): Set<string> {
  const set = new Set([APP_ORIGIN]);
  if (opts.devUrl && !opts.isPackaged) {
    const o = originOf(opts.devUrl);
    if (o) set.add(o);
  }
  return set;
}

/** The origin of a URL (for spool:// too, whose WHATWG origin is the opaque "null"); null if unparsable. */
export function originOf(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol === `${APP_SCHEME}:`) return `${APP_SCHEME}://${u.host}`;
  return u.origin === 'null' ? null : u.origin;
}

/** The parts of Electron's IpcMainInvokeEvent the sender check reads. */
export interface IpcSenderLike {
  senderFrame: { url: string } | null | undefined;
  sender: { mainFrame: unknown };
}

/** True when an IPC message comes from the top frame of a page of a trusted origin (never a subframe). */
export function isTrustedSender(event: IpcSenderLike, origins: ReadonlySet<string>): boolean {
  const frame = event.senderFrame;
  if (!frame || frame !== event.sender.mainFrame) return false;
  const origin = typeof frame.url === 'string' ? originOf(frame.url) : null;
  return origin !== null && origins.has(origin);
}

/** A page may navigate only within its own origin (the app's own routes); never to another site. */
export function navigationAllowed(currentUrl: string, targetUrl: string): boolean {
  const from = originOf(currentUrl);
  return from !== null && from === originOf(targetUrl);
}

const EXTERNAL_SCHEMES = new Set(['https:', 'http:', 'mailto:']);

/** The URL to hand to shell.openExternal, or null when its scheme is not allow-listed (file:, javascript:, custom handlers…). */
export function externalUrl(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > 4096) return null;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (!EXTERNAL_SCHEMES.has(u.protocol)) return null;
  // Credentials in a link are a phishing device, and nothing Spool shows needs them.
  if (u.username !== '' || u.password !== '') return null;
  return u.toString();
}

/** window.open and target=_blank: never a new Electron window; allow-listed links open in the user's browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: string | null } {
  return { action: 'deny', openExternally: externalUrl(url) };
}

/** Spool needs no web permission (camera, notifications, clipboard-read, geolocation…): all are refused. */
export function permissionGranted(_permission: string): boolean {
  return false;
}

/** The CSP on every response, replacing any Content-Security-Policy header (in any letter case) a response brought. */
export function withCspHeader(headers: Record<string, string[] | string> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() === 'content-security-policy') continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}

/** The window's webPreferences: isolated, sandboxed, no Node, web security on. */
export function windowWebPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  } as const;
}

/** Per-webview preferences if one were ever attached (it never is: attaching is refused). */
export function webviewAttachAllowed(): boolean {
  return false;
}

/** The file a spool://app/… request serves: inside the built renderer, or null (404). Never throws. */
export function resolveAppFile(rendererDir: string, url: string): string | null {
  let u: URL;
  let pathname: string;
  try {
    u = new URL(url);
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || pathname.includes('\0')) return null;
  const file = path.resolve(rendererDir, `.${pathname === '/' ? '/index.html' : pathname}`);
  return isInside(rendererDir, file) && file !== path.resolve(rendererDir) ? file : null;
}
