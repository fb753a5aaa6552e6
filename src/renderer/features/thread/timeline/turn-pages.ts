// What the turn window (turn-window.ts) holds: entries (a turn and the key the view renders it
// by), grouped in the pages they were fetched in, each page keeping the cursor that continues past
// either of its sides. Shared by the window and the helpers it uses, so none imports the window.
import type { ThreadTurnsListParams, ThreadTurnsListResult, Turn } from '../../../../shared/protocol/index.ts';

/** The most turns codex serves in one `thread/turns/list` page. */
export const MAX_LIMIT = 100;

export type ListTurns = (params: ThreadTurnsListParams) => Promise<ThreadTurnsListResult>;

export interface TurnEntry {
  /** Stable for as long as the window holds the turn (React key); turns refreshed in place keep it. */
  key: number;
  turn: Turn;
}

export interface Boundary {
  cursor: string;
  /** The held entry the cursor yields first (inclusive cursors), or null: it yields the first turn beyond the window. */
  anchorKey: number | null;
}

export interface Page {
  entries: TurnEntry[];
  /** null: the thread's first turn is in this page. */
  older: Boundary | null;
  newer: Boundary;
  /** The last look past this page's newest turn found nothing (the live end). */
  newerIsEnd: boolean;
}
