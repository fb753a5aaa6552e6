// The source kinds of codex's thread/list, as plain data: the renderer's boot code builds its
// first request from them before the schema library is loaded (see src/renderer/main.ts).
export const SOURCE_KIND_NAMES = [
  'cli',
  'vscode',
  'exec',
  'appServer',
  'subAgent',
  'subAgentReview',
  'subAgentCompact',
  'subAgentThreadSpawn',
  'subAgentOther',
  'unknown',
] as const;
export type SourceKindName = (typeof SOURCE_KIND_NAMES)[number];
