import type { AuthenticatedUser } from '../../src/application/auth/authenticated-user.js';
import type { VerifiedToken } from '../../src/application/auth/token-verifier.port.js';

/** The user a verification names, for tests that check who a token proved. */
export async function userOf(verification: Promise<VerifiedToken>): Promise<AuthenticatedUser> {
  return (await verification).user;
}
