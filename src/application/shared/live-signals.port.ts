/** What instances tell each other: a session or a user's tokens ended; a user's tasks changed. */
export type LiveTopic = 'revocations' | 'task-changes';

export interface LiveSignalHandlers {
  /** A payload published on the topic, by any instance (this one included). */
  onSignal(payload: string): void;
  /** After every (re)connect: signals may have been missed meanwhile, so catch up. */
  onResume(): void;
}

/**
 * One channel per instance for every live topic (PostgreSQL's LISTEN/NOTIFY, or in-process), so
 * that a broker can replace it for a very large fleet. Delivery is at least once, in no promised
 * order across topics; a subscriber reads what changed from the database, never from a payload.
 */
export interface LiveSignals {
  /** Starts delivering the topic's signals to `handlers`; the returned function stops it. */
  subscribe(topic: LiveTopic, handlers: LiveSignalHandlers): () => void;
  /**
   * Tells every subscriber of the topic, on every instance, this one included. Payloads are
   * short (under 1 000 characters) and never carry content: they say whose data to read again.
   * Rejects when the signal could not be sent (subscribers then catch up when they resume).
   */
  publish(topic: LiveTopic, payload: string): Promise<void>;
}

/** The most characters a payload may have (PostgreSQL's NOTIFY takes under 8 000 bytes). */
export const MAX_SIGNAL_PAYLOAD_LENGTH = 1_000;
