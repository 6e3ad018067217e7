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
}
