// A thread, its turns and items as Spool serves them: codex's own types (generated from the pinned
// codex into ../codex/), extended by hand only where Spool adds to them or passes through what a
// rollout recorded. Every extension is marked SPOOL below; everything else is codex's.
//
// Spool-only data travels where a codex client ignores it: `thread.extra.spool` (codex types
// `extra` as implementation-specific data), `turn.spool` and `item.spool`.
import { z } from 'zod';
import { SOURCE_KIND_NAMES } from './source-kinds.ts';
import type { SubAgentSource } from '../codex/SubAgentSource.ts';
import type { Thread as CodexThread } from '../codex/v2/Thread.ts';
import type { ThreadItem as CodexThreadItem } from '../codex/v2/ThreadItem.ts';
import type { ThreadItemEntry as CodexThreadItemEntry } from '../codex/v2/ThreadItemEntry.ts';
import type { ThreadSourceKind as CodexThreadSourceKind } from '../codex/v2/ThreadSourceKind.ts';
import type { ThreadStatus as CodexThreadStatus } from '../codex/v2/ThreadStatus.ts';
import type { Turn as CodexTurn } from '../codex/v2/Turn.ts';
import type { TurnError as CodexTurnError } from '../codex/v2/TurnError.ts';
import type { TurnItemsView as CodexTurnItemsView } from '../codex/v2/TurnItemsView.ts';

export type { GitInfo } from '../codex/v2/GitInfo.ts';
export type { SessionSource } from '../codex/v2/SessionSource.ts';
export type { SubAgentSource } from '../codex/SubAgentSource.ts';
export type { TurnStatus } from '../codex/v2/TurnStatus.ts';
export type { CodexThread, CodexThreadItem, CodexTurn };

/** The params schemas and notifications check these at runtime; ./codex-compat.ts holds them equal to codex's. */
export const ThreadSourceKind = z.enum(SOURCE_KIND_NAMES);
export type ThreadSourceKind = CodexThreadSourceKind;
export const ALL_SOURCE_KINDS: readonly ThreadSourceKind[] = ThreadSourceKind.options;
/** Codex's default when `sourceKinds` is omitted or empty. */
export const INTERACTIVE_SOURCE_KINDS: readonly ThreadSourceKind[] = ['cli', 'vscode'];

export const TurnItemsView = z.enum(['notLoaded', 'summary', 'full']);
export type TurnItemsView = CodexTurnItemsView;

export const ThreadStatus = z.union([
  z.object({ type: z.literal('notLoaded') }),
  z.object({ type: z.literal('idle') }),
  z.object({ type: z.literal('systemError') }),
  z.object({ type: z.literal('active'), activeFlags: z.array(z.enum(['waitingOnApproval', 'waitingOnUserInput'])) }),
]);
export type ThreadStatus = CodexThreadStatus;

/** A sub-agent's spawn record (codex's `SubAgentSource.thread_spawn`). */
export type ThreadSpawnSource = Extract<SubAgentSource, { thread_spawn: unknown }>['thread_spawn'];

/** SPOOL: what `itemsView: full` cut from a long string of an item (`item.spool.truncated`). */
export interface ItemTruncation {
  /** JSON pointer of the string within the item, e.g. `/aggregatedOutput`. */
  path: string;
  /** For `spool/item/text`. */
  handle: string;
  totalBytes: number;
}

/**
 * A v2 `ThreadItem` as Spool serves it. SPOOL: open, not codex's closed union (CodexThreadItem),
 * because an item carries what its rollout recorded: rollouts of older and newer codex versions
 * give their items other fields, and a type this codex does not know passes through. Every codex
 * item is one (./codex-compat.ts checks it); a client switches on `type`.
 */
export type ThreadItem = { type: string; id: string; spool?: { truncated: ItemTruncation[] } } & Record<string, unknown>;

/**
 * SPOOL: a turn's error fields beyond the message pass through as the rollout recorded them
 * (camelCased), so they are open where codex's are typed by this codex's version.
 */
export type TurnError = Omit<CodexTurnError, 'codexErrorInfo' | 'misalignment'> & { codexErrorInfo: unknown; misalignment: unknown };

export type Turn = Omit<CodexTurn, 'items' | 'error'> & {
  items: ThreadItem[];
  error: TurnError | null;
  /** SPOOL (codex clients ignore it): tokens the thread used while the turn ran. */
  spool?: { tokensUsed: number };
};

/** SPOOL: Spool's additions to a thread, carried in `Thread.extra.spool`. */
export interface SpoolThreadExtra {
  archived: boolean;
  archivedAt: number | null;
  createdAtMs: number;
  updatedAtMs: number;
  recencyAtMs: number;
  tokensUsed: number;
  sizeBytes: number;
  agentPath: string | null;
  spawnParentId: string | null;
  spawnDepth: number | null;
  childCount: number;
  turnCount: number;
  format: 'bare' | 'legacy' | 'paginated';
  firstUserMessage: string;
  edgeStatus: 'open' | 'closed' | null;
}

export type Thread = Omit<CodexThread, 'extra' | 'turns'> & {
  /** SPOOL: codex leaves `extra` to the implementation; Spool's always carries `spool`. */
  extra: { spool: SpoolThreadExtra } | null;
  turns: Turn[];
};

/** A `thread/items/list` entry, carrying Spool's item. */
export type ThreadItemEntry = Omit<CodexThreadItemEntry, 'item'> & {
  item: ThreadItem;
};
