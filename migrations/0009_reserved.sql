-- Placeholder so this branch's migrations stay gapless (the loader requires it). Migration 0009 belongs to
-- another branch: delete this file when merging that branch's own 0009_*.sql.
SELECT 1;
