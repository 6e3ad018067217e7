import type { Clock } from '../shared/clock.port.js';

/**
 * The slack allowed between an issuer's clock and ours on a token's exp, nbf and iat. The verifier
 * allows it, and revocations outlive the tokens they cover by as much: the composition root gives
 * both this one value.
 */
export const CLOCK_TOLERANCE_SECONDS = 5;

/** How long an issued token lives when AUTH_JWT_LIFETIME_SECONDS does not say. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

/** How long the tokens a revocation covers may still be accepted. */
export interface RevocationSettings {
  /** The lifetime of the tokens issued (AUTH_JWT_LIFETIME_SECONDS). */
  readonly tokenLifetimeSeconds: number;
  /** Clock slack the verifier allows on exp. */
  readonly toleranceSeconds: number;
}

/** Every token issued up to now has expired by then. */
export function revokedUntil(clock: Clock, settings: RevocationSettings): Date {
  const { tokenLifetimeSeconds, toleranceSeconds } = settings;
  return new Date(clock.now().getTime() + (tokenLifetimeSeconds + toleranceSeconds) * 1000);
}
