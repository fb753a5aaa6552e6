// What the thread view asks of its host: opening links outside the app, revealing a rollout in the
// file manager, saving an export, copying text. Electron answers through its host methods (a native
// save dialog, the shell); in browser mode the page itself downloads and opens a new tab.
import { getBridge } from '../../bridge/index.ts';
import { safeHref } from '../../lib/markdown/parse.ts';
import type { HostInfoResult } from '../../../shared/protocol/index.ts';

export { copyText } from '../../lib/clipboard.ts';

let info: Promise<HostInfoResult> | null = null;

export function hostInfo(): Promise<HostInfoResult> {
  info ??= getBridge()
    .request('host/info')
    .catch((): HostInfoResult => ({ host: 'browser', platform: 'unknown', canReveal: false, canSaveDialog: false }));
  return info;
}

/** Opens an http(s) or mailto link outside the app; anything else is refused. Never navigates the app. */
export async function openExternal(url: string): Promise<void> {
  const safe = safeHref(url);
  if (!safe) return;
  const host = await hostInfo();
  if (host.host === 'electron') await getBridge().request('host/openExternal', { url: safe });
  else window.open(safe, '_blank', 'noopener,noreferrer');
}

export interface SaveOutcome {
  saved: boolean;
  /** Where it went (Electron), or null (a browser download, or cancelled). */
  path: string | null;
}

/** Saves an export: a save dialog in Electron (written atomically by the host), a download in a browser. */
export async function saveFile(suggestedName: string, parts: readonly string[], mimeType: string): Promise<SaveOutcome> {
  const host = await hostInfo();
  if (host.canSaveDialog) return getBridge().request('host/saveFile', { suggestedName, content: parts.join(''), mimeType });
  const url = URL.createObjectURL(new Blob([...parts], { type: mimeType }));
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = suggestedName;
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    // The download has started from the URL by now; give slow browsers a moment before revoking.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
  return { saved: true, path: null };
}

export async function revealRollout(threadId: string): Promise<void> {
  await getBridge().request('host/revealPath', { threadId });
}
