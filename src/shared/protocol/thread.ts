// Codex app-server v2 thread shapes (names and fields as `codex app-server generate-json-schema`
// emits them for codex 0.169.0). Spool-only data travels in `Thread.extra.spool`, which the schema
// types as an open object, so a Codex client can read Spool's answers unchanged.
import { z } from 'zod';
import { SOURCE_KIND_NAMES } from './source-kinds.ts';

export const ThreadSourceKind = z.enum(SOURCE_KIND_NAMES);
export type ThreadSourceKind = z.infer<typeof ThreadSourceKind>;
export const ALL_SOURCE_KINDS: readonly ThreadSourceKind[] = ThreadSourceKind.options;
/** Codex's default when `sourceKinds` is omitted or empty. */
export const INTERACTIVE_SOURCE_KINDS: readonly ThreadSourceKind[] = ['cli', 'vscode'];

export const ThreadSpawnSource = z.object({
  parent_thread_id: z.string(),
  depth: z.number().int(),
  agent_path: z.string().nullable(),
  agent_nickname: z.string().nullable(),
  agent_role: z.string().nullable(),
});
export type ThreadSpawnSource = z.infer<typeof ThreadSpawnSource>;

export const SubAgentSource = z.union([
  z.enum(['review', 'compact', 'memory_consolidation']),
  z.object({ thread_spawn: ThreadSpawnSource }),
  z.object({ other: z.string() }),
]);
export type SubAgentSource = z.infer<typeof SubAgentSource>;

/** API form (camelCase variant names), as opposed to the lower-case form on disk. */
export const SessionSource = z.union([
  z.enum(['cli', 'vscode', 'exec', 'appServer', 'unknown']),
  z.object({ custom: z.string() }),
  z.object({ subAgent: SubAgentSource }),
]);
export type SessionSource = z.infer<typeof SessionSource>;

export const ThreadStatus = z.union([
  z.object({ type: z.literal('notLoaded') }),
  z.object({ type: z.literal('idle') }),
  z.object({ type: z.literal('systemError') }),
  z.object({ type: z.literal('active'), activeFlags: z.array(z.enum(['waitingOnApproval', 'waitingOnUserInput'])) }),
]);
export type ThreadStatus = z.infer<typeof ThreadStatus>;

export const GitInfo = z.object({
  sha: z.string().nullable(),
  branch: z.string().nullable(),
  originUrl: z.string().nullable(),
});
export type GitInfo = z.infer<typeof GitInfo>;

export const TurnStatus = z.enum(['completed', 'interrupted', 'failed', 'inProgress']);
export type TurnStatus = z.infer<typeof TurnStatus>;

export const TurnItemsView = z.enum(['notLoaded', 'summary', 'full']);
export type TurnItemsView = z.infer<typeof TurnItemsView>;

export const TurnError = z.object({
  message: z.string(),
  codexErrorInfo: z.unknown().optional(),
  additionalDetails: z.string().nullable().optional(),
});
export type TurnError = z.infer<typeof TurnError>;

/**
 * A v2 `ThreadItem`. Its variants are many and evolve with codex (userMessage, agentMessage,
 * reasoning, commandExecution, fileChange, mcpToolCall, contextCompaction, …); every one has a
 * `type` and an `id`, and the renderer switches on `type`.
 */
export const ThreadItem = z.looseObject({ type: z.string(), id: z.string() });
export type ThreadItem = z.infer<typeof ThreadItem> & Record<string, unknown>;

export const Turn = z.object({
  id: z.string(),
  rootTurnId: z.string().nullable().optional(),
  items: z.array(ThreadItem),
  itemsView: TurnItemsView,
  status: TurnStatus,
  error: TurnError.nullable(),
  startedAt: z.number().int().nullable(),
  completedAt: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  /** Spool's addition (codex clients ignore it): tokens the thread used while the turn ran. */
  spool: z.object({ tokensUsed: z.number().int() }).optional(),
});
export type Turn = z.infer<typeof Turn>;

/** Spool's additions to a thread, carried in `Thread.extra.spool`. */
export const SpoolThreadExtra = z.object({
  archived: z.boolean(),
  archivedAt: z.number().int().nullable(),
  createdAtMs: z.number().int(),
  updatedAtMs: z.number().int(),
  recencyAtMs: z.number().int(),
  tokensUsed: z.number().int(),
  sizeBytes: z.number().int(),
  agentPath: z.string().nullable(),
  spawnParentId: z.string().nullable(),
  spawnDepth: z.number().int().nullable(),
  childCount: z.number().int(),
  turnCount: z.number().int(),
  format: z.enum(['bare', 'legacy', 'paginated']),
  firstUserMessage: z.string(),
  edgeStatus: z.enum(['open', 'closed']).nullable(),
});
export type SpoolThreadExtra = z.infer<typeof SpoolThreadExtra>;

export const Thread = z.object({
  id: z.string(),
  environments: z.unknown().nullable(),
  extra: z.object({ spool: SpoolThreadExtra }).nullable(),
  sessionId: z.string(),
  forkedFromId: z.string().nullable(),
  attachedToThreadId: z.string().nullable(),
  parentThreadId: z.string().nullable(),
  preview: z.string(),
  ephemeral: z.boolean(),
  section: z.unknown().nullable(),
  sectionEnteredAt: z.number().int().nullable(),
  projectId: z.string().nullable(),
  historyMode: z.enum(['legacy', 'paginated']),
  modelProvider: z.string(),
  model: z.string().nullable(),
  reasoningEffort: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  recencyAt: z.number().int().nullable(),
  status: ThreadStatus,
  path: z.string().nullable(),
  cwd: z.string(),
  cliVersion: z.string(),
  originator: z.string().nullable(),
  source: SessionSource,
  canAcceptDirectInput: z.boolean().nullable(),
  threadSource: z.string().nullable(),
  agentNickname: z.string().nullable(),
  agentRole: z.string().nullable(),
  gitInfo: GitInfo.nullable(),
  name: z.string().nullable(),
  daybreakEnabled: z.boolean().nullable(),
  turns: z.array(Turn),
});
export type Thread = z.infer<typeof Thread>;
