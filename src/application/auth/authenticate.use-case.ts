import { MissingCredentialsError, SessionEndedError } from './auth.errors.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import type { TokenRevocations } from './token-revocations.port.js';
import type { TokenVerifier } from './token-verifier.port.js';

export interface AuthenticateInput {
  /** The bearer token taken from the request, or null when none was sent. */
  readonly token: string | null;
}

/**
 * Turns a bearer token into the user it was issued to: a genuine token (the verifier) that has
 * not been revoked since (checked on every request, however the verifier came to its answer).
 */
export class AuthenticateUseCase {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly revocations: TokenRevocations,
  ) {}

  async execute(input: AuthenticateInput): Promise<AuthenticatedUser> {
    if (input.token === null || input.token.length === 0) throw new MissingCredentialsError();
    const { user, sessionId, issuedAt } = await this.verifier.verify(input.token);
    if (this.revocations.isRevoked({ userId: user.id, sessionId, issuedAt })) {
      throw new SessionEndedError();
    }
    return user;
  }
}
