import type { InvalidTokenReason } from '../auth/auth.errors.js';

/** Why a request's token was refused: the verifier's reasons, and the authentication's own. */
export type TokenRefusalReason =
  | InvalidTokenReason
  | 'missing'
  | 'session_ended'
  | 'key_set_unavailable'
  | 'revocations_unavailable';

/**
 * What the use cases report for an operator to count (metrics). Each call says only what
 * happened: never a user, a task, a key or a token, so whatever counts it stays bounded. Calls are
 * cheap and never throw.
 */
export interface TaskApiTelemetry {
  /** A request's token was refused, for this reason. */
  tokenRefused(reason: TokenRefusalReason): void;
  /** A guarded task write lost to a concurrent one; it starts again from a fresh read. */
  taskWriteRetried(): void;
  /** A guarded task write lost every attempt and gave up (409). */
  taskWriteConflicted(): void;
  /** A create repeated with its Idempotency-Key got the first answer again. */
  idempotentReplay(): void;
}

/** Counts nothing: the default, so that tests and in-memory apps need no telemetry. */
export const NO_TELEMETRY: TaskApiTelemetry = {
  tokenRefused: () => undefined,
  taskWriteRetried: () => undefined,
  taskWriteConflicted: () => undefined,
  idempotentReplay: () => undefined,
};
