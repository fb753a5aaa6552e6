export * from './thread.ts';
export * from './list.ts';
export * from './methods.ts';
export * from './results.ts';
export * from './notifications.ts';
export * from './turn-cursor.ts';
