// Electron main process: thin glue. It starts the engine in a worker thread, opens one window on
// the bundled renderer (served from the privileged spool:// scheme), and bridges one validated
// IPC channel to the router.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, shell } from 'electron';
import { createRouter } from './rpc/router.ts';
import { RpcError, ErrorCode } from '../shared/jsonrpc.ts';
import { EngineSession } from './host/engine-session.ts';
import { resolveHomePath, isInside } from './engine/home.ts';
import { IPC_NOTIFY, IPC_REQUEST } from '../shared/ipc-channels.ts';
import { APP_ORIGIN, APP_SCHEME, installSessionPolicies, openExternalSafely, trustedOrigins } from './electron/security.ts';
import { resolveAppFile, windowWebPreferences } from './electron/policy.ts';
import { createIpcRequestHandler } from './electron/ipc.ts';
import { writeFileAtomic } from './engine/fsx/atomic.ts';

app.setName('Spool');
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const here = import.meta.dirname;
const argValue = (name: string): string | undefined => {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
};

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  installSessionPolicies();
  const rendererDir = path.join(here, '../renderer');
  protocol.handle(APP_SCHEME, (req) => {
    const file = resolveAppFile(rendererDir, req.url);
    if (file === null || !fs.existsSync(file) || !fs.statSync(file).isFile()) return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });

  const home = resolveHomePath(argValue('home'));
  const dataDir = path.resolve(argValue('data-dir') ?? app.getPath('userData'));
  const session = await EngineSession.start(
    { home, dataDir, live: true, parseWorkerUrl: pathToFileURL(path.join(here, 'parse-worker.js')).toString() },
    pathToFileURL(path.join(here, 'engine-worker.js')),
  );

  const router = createRouter({
    engine: session,
    host: {
      'host/info': () => ({ host: 'electron', platform: process.platform, canReveal: true, canSaveDialog: true }),
      'host/revealPath': async ({ threadId }) => {
        const { thread } = await session.call('thread/read', { threadId });
        if (thread.path && isInside(session.data.home, thread.path)) shell.showItemInFolder(thread.path);
        return {};
      },
      'host/saveFile': async ({ suggestedName, content }) => {
        const win = BrowserWindow.getFocusedWindow();
        const opts = { defaultPath: path.join(app.getPath('downloads'), path.basename(suggestedName)) };
        const res = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
        if (res.canceled || !res.filePath) return { saved: false, path: null };
        writeFileAtomic(res.filePath, content);
        return { saved: true, path: res.filePath };
      },
      'host/openExternal': ({ url }) => {
        if (!openExternalSafely(url)) throw new RpcError(ErrorCode.InvalidParams, 'only http, https and mailto links can be opened');
        return {};
      },
      'host/openDemoHome': () => session.openDemoHome(dataDir),
    },
    onInternalError: (method, err) => console.error(`internal error in ${method}:`, err),
    // Checking results against codex's schema is for development (SPOOL_CHECK_RESULTS): never in a packaged app.
    checkResults: app.isPackaged ? false : undefined,
  });

  const origins = trustedOrigins();
  ipcMain.handle(
    IPC_REQUEST,
    createIpcRequestHandler(router, () => origins),
  );

  session.onNotification((n) => {
    for (const w of BrowserWindow.getAllWindows()) w.webContents.send(IPC_NOTIFY, n);
  });

  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    title: 'Spool',
    backgroundColor: '#111418',
    show: false,
    webPreferences: windowWebPreferences(path.join(here, '../preload/index.cjs')),
  });
  win.once('ready-to-show', () => win.show());
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  await win.loadURL(devUrl && !app.isPackaged ? devUrl : `${APP_ORIGIN}/index.html`);

  app.on('window-all-closed', () => {
    void session.close().finally(() => app.quit());
  });
  // After every load (a reload too): the page should always hear that its index was rebuilt.
  const tellStartup = (): void => {
    for (const m of session.startupMessages)
      win.webContents.send(IPC_NOTIFY, { method: 'spool/message', params: { level: 'warning', text: m } });
  };
  win.webContents.on('did-finish-load', tellStartup);
  tellStartup();
}

main().catch((err: unknown) => {
  dialog.showErrorBox('Spool could not start', err instanceof Error ? err.message : String(err));
  app.exit(1);
});
