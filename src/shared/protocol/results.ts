// Result shapes of codex's own methods: codex's generated response types (../codex/), with Spool's
// thread, turn and item (./thread.ts) in place of codex's. What Spool answers differently from
// codex is marked SPOOL. Spool's own methods' results are in ./spool-results.ts.
import type { InitializeResponse } from '../codex/InitializeResponse.ts';
import type { ThreadListResponse } from '../codex/v2/ThreadListResponse.ts';
import type { ThreadReadResponse } from '../codex/v2/ThreadReadResponse.ts';
import type { ThreadTurnsListResponse } from '../codex/v2/ThreadTurnsListResponse.ts';
import type { ThreadItemsListResponse } from '../codex/v2/ThreadItemsListResponse.ts';
import type { ThreadUnarchiveResponse } from '../codex/v2/ThreadUnarchiveResponse.ts';
import type { ThreadMetadataUpdateResponse } from '../codex/v2/ThreadMetadataUpdateResponse.ts';
import type { Thread, ThreadItemEntry, Turn } from './thread.ts';

export type { ThreadSetNameResponse as ThreadSetNameResult } from '../codex/v2/ThreadSetNameResponse.ts';
export type { ThreadArchiveResponse as ThreadArchiveResult } from '../codex/v2/ThreadArchiveResponse.ts';

export type InitializeResult = InitializeResponse & {
  /** SPOOL: its version and where its own index lives. */
  spool: { version: string; dataDir: string };
};

/** SPOOL: no `readStates` (Spool keeps no read state; codex's schema lets it be left out). */
export type ThreadListResult = Omit<ThreadListResponse, 'data' | 'readStates'> & {
  data: Thread[];
};

/** SPOOL: no `readState` (Spool keeps no read state; codex's schema lets it be left out). */
export type ThreadReadResult = Omit<ThreadReadResponse, 'thread' | 'readState'> & {
  thread: Thread;
};

export type ThreadTurnsListResult = Omit<ThreadTurnsListResponse, 'data'> & {
  data: Turn[];
};

export type ThreadItemsListResult = Omit<ThreadItemsListResponse, 'data'> & {
  data: ThreadItemEntry[];
};

export type ThreadUnarchiveResult = Omit<ThreadUnarchiveResponse, 'thread'> & {
  thread: Thread;
};

export type ThreadMetadataUpdateResult = Omit<ThreadMetadataUpdateResponse, 'thread'> & {
  thread: Thread;
};
