-- thread/list: the two kind sets a client asks for as a whole get partial indexes, so they are an
-- index walk too: codex's default listing (interactive sources: cli and vscode, with the default
-- provider) and "sub-agents" (every sub-agent kind). The WHERE text must match list-sql.ts exactly:
-- SQLite uses a partial index only for a query that repeats its condition.
CREATE INDEX threads_interactive_created ON threads(archived, model_provider, created_at_ms, id) WHERE source_kind IN ('cli', 'vscode');
CREATE INDEX threads_interactive_updated ON threads(archived, model_provider, updated_at_ms, id) WHERE source_kind IN ('cli', 'vscode');
CREATE INDEX threads_interactive_recency ON threads(archived, model_provider, recency_at_ms, id) WHERE source_kind IN ('cli', 'vscode');
CREATE INDEX threads_subagent_created ON threads(archived, created_at_ms, id) WHERE source_kind IN ('subAgentCompact', 'subAgentMemory', 'subAgentOther', 'subAgentReview', 'subAgentThreadSpawn');
CREATE INDEX threads_subagent_updated ON threads(archived, updated_at_ms, id) WHERE source_kind IN ('subAgentCompact', 'subAgentMemory', 'subAgentOther', 'subAgentReview', 'subAgentThreadSpawn');
CREATE INDEX threads_subagent_recency ON threads(archived, recency_at_ms, id) WHERE source_kind IN ('subAgentCompact', 'subAgentMemory', 'subAgentOther', 'subAgentReview', 'subAgentThreadSpawn');
