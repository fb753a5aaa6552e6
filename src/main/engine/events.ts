// The engine's notifications, typed by the protocol's notification table.
import type { NotificationName, NotificationParams, AnyNotification } from '../../shared/protocol/index.ts';

export type NotificationListener = (n: AnyNotification) => void;

export class EngineEvents {
  private readonly listeners = new Set<NotificationListener>();

  emit<N extends NotificationName>(method: N, params: NotificationParams<N>): void {
    const n = { method, params } as AnyNotification;
    for (const l of this.listeners) {
      try {
        l(n);
      } catch {
        // A broken listener must not break the engine or the other listeners.
      }
    }
  }

  on(listener: NotificationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
