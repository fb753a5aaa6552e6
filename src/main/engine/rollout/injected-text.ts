// Texts codex injects into the conversation as "user" messages that are not the user's words (the
// environment context, AGENTS.md instructions, notifications…). The parser, the bare-rollout reader
// and anything that shows or searches user messages tell them apart with this one list.

const INJECTED_PREFIXES = [
  '<environment_context>',
  '<user_instructions>',
  '# AGENTS.md instructions',
  '<permissions instructions>',
  '<user_shell_command>',
  '<turn_aborted>',
  '<subagent_notification>',
];

export const isInjectedUserText = (t: string): boolean => {
  const s = t.trimStart();
  return INJECTED_PREFIXES.some((p) => s.startsWith(p));
};
