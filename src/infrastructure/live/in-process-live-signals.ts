import {
  MAX_SIGNAL_PAYLOAD_LENGTH,
  type LiveSignalHandlers,
  type LiveSignals,
  type LiveTopic,
} from '../../application/shared/live-signals.port.js';

/**
 * Live signals within one process (SQLite, in memory): every write goes through this process, so
 * a signal is delivered at once to its subscribers, and none is ever missed (no `onResume`).
 */
export class InProcessLiveSignals implements LiveSignals {
  private readonly subscribers = new Map<LiveTopic, Set<LiveSignalHandlers>>();

  subscribe(topic: LiveTopic, handlers: LiveSignalHandlers): () => void {
    const forTopic = this.subscribers.get(topic) ?? new Set<LiveSignalHandlers>();
    this.subscribers.set(topic, forTopic);
    // Each subscription its own entry, so the same handlers subscribed twice stop one at a time.
    const entry = { ...handlers };
    forTopic.add(entry);
    return () => forTopic.delete(entry);
  }

  async publish(topic: LiveTopic, payload: string): Promise<void> {
    if (payload.length > MAX_SIGNAL_PAYLOAD_LENGTH) {
      throw new RangeError(`a live signal's payload is ${payload.length} characters`);
    }
    // A copy: a subscriber may stop (or another start) while it is told.
    for (const handlers of [...(this.subscribers.get(topic) ?? [])]) {
      deliver(handlers, payload);
    }
  }
}

/** A subscriber that throws does not keep the others from hearing the signal. */
export function deliver(handlers: LiveSignalHandlers, payload: string): void {
  try {
    handlers.onSignal(payload);
  } catch {
    // The subscriber's own failure: it is theirs to log.
  }
}
