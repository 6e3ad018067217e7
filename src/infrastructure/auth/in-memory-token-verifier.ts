import { randomUUID } from 'node:crypto';
import { InvalidTokenError } from '../../application/auth/auth.errors.js';
import type { AuthenticatedUser } from '../../application/auth/authenticated-user.js';
import type { TokenVerifier } from '../../application/auth/token-verifier.port.js';
import type { Clock } from '../../application/shared/clock.port.js';

interface IssuedToken {
  readonly user: AuthenticatedUser;
  readonly expiresAt: Date;
}

/**
 * A verifier for unit tests and benchmarks: it accepts exactly the tokens it issued itself, until
 * they expire by its clock. Bound to the same contract suite as the jose verifier.
 */
export class InMemoryTokenVerifier implements TokenVerifier {
  private readonly issued = new Map<string, IssuedToken>();

  constructor(private readonly clock: Clock = { now: () => new Date() }) {}

  issue(user: AuthenticatedUser, lifetimeSeconds = 24 * 60 * 60): string {
    const token = `test-token.${randomUUID()}`;
    const expiresAt = new Date(this.clock.now().getTime() + lifetimeSeconds * 1000);
    this.issued.set(token, { user, expiresAt });
    return token;
  }

  async verify(token: string): Promise<AuthenticatedUser> {
    const found = this.issued.get(token);
    if (!found) throw new InvalidTokenError('The token is malformed');
    if (found.expiresAt <= this.clock.now()) throw new InvalidTokenError('The token has expired');
    return found.user;
  }
}
