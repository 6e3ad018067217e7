import type { AuthenticatedUser } from './authenticated-user.js';

/**
 * Checks a bearer token without any per-request state. Resolves with the caller, or rejects with
 * InvalidTokenError (bad token) or DependencyUnavailableError (keys cannot be fetched).
 */
export interface TokenVerifier {
  verify(token: string): Promise<AuthenticatedUser>;
}
