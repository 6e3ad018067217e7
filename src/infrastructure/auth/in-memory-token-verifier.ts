import { randomUUID } from 'node:crypto';
import { InvalidTokenError } from '../../application/auth/auth.errors.js';
import type { AuthenticatedUser } from '../../application/auth/authenticated-user.js';
import { DEFAULT_TOKEN_LIFETIME_SECONDS } from '../../application/auth/token-lifetime.js';
import type { TokenVerifier, VerifiedToken } from '../../application/auth/token-verifier.port.js';
import type { Clock } from '../../application/shared/clock.port.js';

interface IssuedToken extends VerifiedToken {
  readonly expiresAt: Date;
}

/**
 * A verifier for unit tests and benchmarks: it accepts exactly the tokens it issued itself, until
 * they expire by its clock. Bound to the same contract suite as the jose verifier.
 */
export class InMemoryTokenVerifier implements TokenVerifier {
  private readonly issued = new Map<string, IssuedToken>();

  constructor(
    private readonly clock: Clock = { now: () => new Date() },
    /** The longest a token may live, as JWT_MAX_AGE_SECONDS bounds the jose verifier's. */
    private readonly maxAgeSeconds = 24 * 60 * 60,
  ) {}

  /** A token for `user`, optionally of a session (its `sid`). */
  issue(
    user: AuthenticatedUser,
    lifetimeSeconds = DEFAULT_TOKEN_LIFETIME_SECONDS,
    sessionId: string | null = null,
  ): string {
    const token = `test-token.${randomUUID()}`;
    const now = this.clock.now().getTime();
    this.issued.set(token, {
      user,
      sessionId,
      issuedAt: Math.floor(now / 1000),
      expiresAt: new Date(now + lifetimeSeconds * 1000),
    });
    return token;
  }

  async verify(token: string): Promise<VerifiedToken> {
    const found = this.issued.get(token);
    if (!found) throw new InvalidTokenError('The token is malformed');
    if (found.expiresAt <= this.clock.now()) throw new InvalidTokenError('The token has expired');
    if (Math.floor(found.expiresAt.getTime() / 1000) - found.issuedAt > this.maxAgeSeconds) {
      throw new InvalidTokenError('The token lives longer than this API accepts');
    }
    const { user, sessionId, issuedAt } = found;
    return { user, sessionId, issuedAt };
  }
}
