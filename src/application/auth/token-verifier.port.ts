import type { AuthenticatedUser } from './authenticated-user.js';

/** What a verified token proves: who is calling, and the facts revocation is judged on. */
export interface VerifiedToken {
  readonly user: AuthenticatedUser;
  /** The Better Auth session the token was issued from (its `sid`), when it names one. */
  readonly sessionId: string | null;
  /** When it was issued (`iat`), in seconds since the epoch. */
  readonly issuedAt: number;
}

/**
 * Checks a bearer token without any per-request state. Resolves with what the token proves, or
 * rejects with InvalidTokenError (bad token) or DependencyUnavailableError (keys cannot be fetched).
 * A token that lives longer than the verifier's maximum age (from `iat` to `exp`) is a bad token,
 * however far its `exp`.
 */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}
