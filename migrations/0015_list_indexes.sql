-- thread/list: every sort key the UI offers (created, updated, recency) gets an ordered index for
-- each single-value filter (cwd, provider, source kind), so a page is an index range walk in
-- (key, id) order that stops after limit + 1 rows: no full scan, no sort. 0001 covered the
-- created-at key for all three and the updated-at key for cwd.
CREATE INDEX threads_cwd_recency ON threads(archived, cwd, recency_at_ms, id);
CREATE INDEX threads_provider_updated ON threads(archived, model_provider, updated_at_ms, id);
CREATE INDEX threads_provider_recency ON threads(archived, model_provider, recency_at_ms, id);
CREATE INDEX threads_kind_updated ON threads(archived, source_kind, updated_at_ms, id);
CREATE INDEX threads_kind_recency ON threads(archived, source_kind, recency_at_ms, id);
