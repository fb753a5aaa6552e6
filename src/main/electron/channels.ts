// IPC channel names shared by the main process and the preload (plain strings, no imports).
export const IPC_REQUEST = 'spool:request';
export const IPC_NOTIFY = 'spool:notify';
