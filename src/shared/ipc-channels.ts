// IPC channel names the Electron main process and the preload agree on. They live in src/shared so
// the preload, which runs in its own sandbox, takes them from the protocol and never from src/main.
export const IPC_REQUEST = 'spool:request';
export const IPC_NOTIFY = 'spool:notify';
