// The preload exposes exactly one narrow object to the page: window.spool = { request, subscribe }.
// No ipcRenderer, no Node. The main process validates the sender and every argument.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_NOTIFY, IPC_REQUEST } from '../shared/ipc-channels.ts';

contextBridge.exposeInMainWorld('spool', {
  request(method: unknown, params?: unknown): Promise<unknown> {
    return ipcRenderer.invoke(IPC_REQUEST, method, params);
  },
  subscribe(listener: unknown): () => void {
    if (typeof listener !== 'function') throw new TypeError('subscribe needs a function');
    const wrapped = (_e: IpcRendererEvent, n: unknown): void => {
      (listener as (n: unknown) => void)(n);
    };
    ipcRenderer.on(IPC_NOTIFY, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_NOTIFY, wrapped);
    };
  },
});
