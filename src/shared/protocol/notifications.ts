// Server → client notifications. Codex's names for thread lifecycle; `spool/*` for the index.
import { z } from 'zod';
import { ThreadStatus } from './thread.ts';

const ThreadId = z.string();

export const IndexProgressSchema = z.object({
  phase: z.enum(['idle', 'scanning', 'backfill', 'live']),
  filesDone: z.number(),
  filesTotal: z.number(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  rate: z.number(),
  etaMs: z.number().nullable(),
  startedAtMs: z.number().nullable(),
  threads: z.number(),
  /** The walk of the home is still finding files: the totals are still growing. */
  scanning: z.boolean().optional(),
});

export const notifications = {
  'thread/archived': z.object({ threadId: ThreadId }),
  'thread/unarchived': z.object({ threadId: ThreadId }),
  'thread/name/updated': z.object({ threadId: ThreadId, threadName: z.string().nullish() }),
  'thread/status/changed': z.object({ threadId: ThreadId, status: ThreadStatus }),
  'thread/closed': z.object({ threadId: ThreadId }),
  /** Spool: an edge was reopened (the inverse of thread/closed for the agent graph). */
  'spool/thread/reopened': z.object({ threadId: ThreadId }),
  'spool/index/progress': IndexProgressSchema,
  /**
   * Spool: the index changed. `threadIds` were inserted or updated (new rollouts, appended turns,
   * moves, names, git edits), `removedIds` vanished. Clients resync with a backwards cursor.
   */
  'spool/index/changed': z.object({
    threadIds: z.array(ThreadId),
    removedIds: z.array(ThreadId),
    reason: z.enum(['backfill', 'append', 'new', 'move', 'delete', 'name', 'metadata', 'archive', 'edge', 'rebuild']),
  }),
  /** Spool: a user-facing message from the engine (e.g. a corrupt index was moved aside and rebuilt). */
  'spool/message': z.object({ level: z.enum(['info', 'warning', 'error']), text: z.string() }),
  /** Spool: progress of a long cascade (archive, close, bulk). */
  'spool/operation/progress': z.object({ operationId: z.string(), done: z.number(), total: z.number() }),
} as const;

export type NotificationName = keyof typeof notifications;
export type NotificationParams<N extends NotificationName> = z.infer<(typeof notifications)[N]>;
export type AnyNotification = { [N in NotificationName]: { method: N; params: NotificationParams<N> } }[NotificationName];
export const isNotificationName = (m: string): m is NotificationName => Object.hasOwn(notifications, m);
