// The engine's errors as the turn window tells them apart: a cursor gone stale under a rewritten
// rollout (start over), a thread that is gone (say so), anything else (show it).

/** A legacy cursor whose anchor turn no longer exists (the rollout was rewritten). */
export function isStaleCursor(err: unknown): boolean {
  return /anchor turn is no longer present|invalid cursor/.test(message(err));
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The thread is not in the index any more (deleted rollout). */
export function isGone(err: unknown): boolean {
  return /thread not loaded|no rollout found/.test(message(err));
}
