// Spool's runtime schemas held against codex's generated types, at compile time: a codex bump
// (npm run gen:codex-types) that changes an enum, a notification or a method's params fails
// `tsc` here rather than drifting unnoticed. Types only; nothing here runs.
import type { z } from 'zod';
import type { SortDirection as CodexSortDirection } from '../codex/v2/SortDirection.ts';
import type { ThreadSortKey as CodexThreadSortKey } from '../codex/v2/ThreadSortKey.ts';
import type { ThreadSourceKind as CodexThreadSourceKind } from '../codex/v2/ThreadSourceKind.ts';
import type { ThreadStatus as CodexThreadStatus } from '../codex/v2/ThreadStatus.ts';
import type { TurnItemsView as CodexTurnItemsView } from '../codex/v2/TurnItemsView.ts';
import type { InitializeParams as CodexInitializeParams } from '../codex/InitializeParams.ts';
import type { ThreadListParams as CodexThreadListParams } from '../codex/v2/ThreadListParams.ts';
import type { ThreadReadParams as CodexThreadReadParams } from '../codex/v2/ThreadReadParams.ts';
import type { ThreadTurnsListParams as CodexThreadTurnsListParams } from '../codex/v2/ThreadTurnsListParams.ts';
import type { ThreadItemsListParams as CodexThreadItemsListParams } from '../codex/v2/ThreadItemsListParams.ts';
import type { ThreadSetNameParams as CodexThreadSetNameParams } from '../codex/v2/ThreadSetNameParams.ts';
import type { ThreadMetadataUpdateParams as CodexThreadMetadataUpdateParams } from '../codex/v2/ThreadMetadataUpdateParams.ts';
import type { ThreadArchiveParams as CodexThreadArchiveParams } from '../codex/v2/ThreadArchiveParams.ts';
import type { ThreadUnarchiveParams as CodexThreadUnarchiveParams } from '../codex/v2/ThreadUnarchiveParams.ts';
import type { ThreadArchivedNotification } from '../codex/v2/ThreadArchivedNotification.ts';
import type { ThreadUnarchivedNotification } from '../codex/v2/ThreadUnarchivedNotification.ts';
import type { ThreadNameUpdatedNotification } from '../codex/v2/ThreadNameUpdatedNotification.ts';
import type { ThreadStatusChangedNotification } from '../codex/v2/ThreadStatusChangedNotification.ts';
import type { ThreadClosedNotification } from '../codex/v2/ThreadClosedNotification.ts';
import type { SortDirection, ThreadSortKey } from './list.ts';
import type { methods } from './methods.ts';
import type { notifications } from './notifications.ts';
import type { CodexThreadItem, ThreadItem, ThreadSourceKind, ThreadStatus, TurnItemsView } from './thread.ts';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Everything codex may send, Spool's schema accepts (by type; its bounds are Spool's own). */
type Accepts<Schema extends z.ZodType, Codex> = Codex extends z.input<Schema> ? true : false;
type Check<T extends true> = T;

type ParamsSchema<M extends keyof typeof methods> = (typeof methods)[M]['params'];
type NotificationSchema<N extends keyof typeof notifications> = (typeof notifications)[N];

export type CodexCompatibility = [
  // The enums Spool validates at runtime are codex's, exactly.
  Check<Equal<z.infer<typeof ThreadSourceKind>, CodexThreadSourceKind>>,
  Check<Equal<z.infer<typeof TurnItemsView>, CodexTurnItemsView>>,
  Check<Equal<z.infer<typeof ThreadStatus>, CodexThreadStatus>>,
  Check<Equal<z.infer<typeof SortDirection>, CodexSortDirection>>,
  Check<Equal<z.infer<typeof ThreadSortKey>, CodexThreadSortKey>>,
  // Every item codex produces is an item Spool serves.
  Check<CodexThreadItem extends ThreadItem ? true : false>,
  // Codex's methods: Spool takes every params object a codex client may send.
  Check<Accepts<ParamsSchema<'initialize'>, CodexInitializeParams>>,
  Check<Accepts<ParamsSchema<'thread/list'>, CodexThreadListParams>>,
  Check<Accepts<ParamsSchema<'thread/read'>, CodexThreadReadParams>>,
  Check<Accepts<ParamsSchema<'thread/turns/list'>, CodexThreadTurnsListParams>>,
  Check<Accepts<ParamsSchema<'thread/items/list'>, CodexThreadItemsListParams>>,
  Check<Accepts<ParamsSchema<'thread/name/set'>, CodexThreadSetNameParams>>,
  Check<Accepts<ParamsSchema<'thread/metadata/update'>, CodexThreadMetadataUpdateParams>>,
  Check<Accepts<ParamsSchema<'thread/archive'>, CodexThreadArchiveParams>>,
  Check<Accepts<ParamsSchema<'thread/unarchive'>, CodexThreadUnarchiveParams>>,
  // Codex's notifications: a client reading Spool's takes codex's.
  Check<Accepts<NotificationSchema<'thread/archived'>, ThreadArchivedNotification>>,
  Check<Accepts<NotificationSchema<'thread/unarchived'>, ThreadUnarchivedNotification>>,
  Check<Accepts<NotificationSchema<'thread/name/updated'>, ThreadNameUpdatedNotification>>,
  Check<Accepts<NotificationSchema<'thread/status/changed'>, ThreadStatusChangedNotification>>,
  Check<Accepts<NotificationSchema<'thread/closed'>, ThreadClosedNotification>>,
];
