// Notifications of a mutation go out after its response, in codex's order: codex answers a request
// first and then reports what happened (thread/archived for each thread, …), so a client that acts
// on the response never sees the notifications of its own request before it.
import type { EngineEvents } from '../events.ts';
import type { AnyNotification } from '../../../shared/protocol/index.ts';

export function notifyAfterResponse(events: EngineEvents, notes: AnyNotification[]): void {
  if (notes.length === 0) return;
  setImmediate(() => {
    for (const n of notes) events.emit(n.method, n.params as never);
  });
}
