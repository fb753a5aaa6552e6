// What the user journal holds: one record per user edit (an agent edge closed or reopened, a
// thread's git info patched), as validated JSON. Its own module, apart from the journal's file, so
// that the features writing records (graph's cascades, threads' metadata edits) and the overlay
// applying them share the record types without the file handling.
import { z } from 'zod';

const Uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const GitField = z.string().nullable().optional();

export const JournalRecord = z.discriminatedUnion('type', [
  z.object({ v: z.literal(1), at: z.string(), type: z.literal('edge'), childId: Uuid, parentId: Uuid, status: z.enum(['open', 'closed']) }),
  z.object({
    v: z.literal(1),
    at: z.string(),
    type: z.literal('git'),
    threadId: Uuid,
    sha: GitField,
    branch: GitField,
    originUrl: GitField,
  }),
]);
export type JournalRecord = z.infer<typeof JournalRecord>;
export type EdgeRecord = Extract<JournalRecord, { type: 'edge' }>;
export type GitRecord = Extract<JournalRecord, { type: 'git' }>;

/** A later git record's present fields override an earlier one's (tri-state: absent = unchanged). */
export function mergeGit(prev: GitRecord | undefined, next: GitRecord): GitRecord {
  if (!prev) return next;
  const out: GitRecord = { ...prev, at: next.at };
  if (next.sha !== undefined) out.sha = next.sha;
  if (next.branch !== undefined) out.branch = next.branch;
  if (next.originUrl !== undefined) out.originUrl = next.originUrl;
  return out;
}

export const nowIso = (): string => new Date().toISOString();
