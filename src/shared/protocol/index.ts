// The protocol in one import: the method table, its params and results, notifications, and the
// thread shapes (codex's, with Spool's additions).
export * from './thread.ts';
export * from './list.ts';
export * from './methods.ts';
export * from './results.ts';
export * from './spool-results.ts';
export * from './notifications.ts';
export * from './turn-cursor.ts';
