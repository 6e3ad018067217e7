import { DependencyUnavailableError } from '../shared/dependency-unavailable.error.js';
import {
  NO_TELEMETRY,
  type TaskApiTelemetry,
  type TokenRefusalReason,
} from '../shared/task-api-telemetry.port.js';
import { InvalidTokenError, MissingCredentialsError, SessionEndedError } from './auth.errors.js';
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
 * Every refusal is reported to the telemetry with its reason.
 */
export class AuthenticateUseCase {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly revocations: TokenRevocations,
    private readonly telemetry: TaskApiTelemetry = NO_TELEMETRY,
  ) {}

  async execute(input: AuthenticateInput): Promise<AuthenticatedUser> {
    try {
      if (input.token === null || input.token.length === 0) throw new MissingCredentialsError();
      const { user, sessionId, issuedAt } = await this.verifier.verify(input.token);
      if (this.revocations.isRevoked({ userId: user.id, sessionId, issuedAt })) {
        throw new SessionEndedError();
      }
      return user;
    } catch (error) {
      const reason = refusalReason(error);
      if (reason) this.telemetry.tokenRefused(reason);
      throw error;
    }
  }
}

function refusalReason(error: unknown): TokenRefusalReason | null {
  if (error instanceof InvalidTokenError) return error.reason;
  if (error instanceof MissingCredentialsError) return 'missing';
  if (error instanceof SessionEndedError) return 'session_ended';
  if (error instanceof DependencyUnavailableError) {
    if (error.dependency === 'key-set') return 'key_set_unavailable';
    if (error.dependency === 'revocations') return 'revocations_unavailable';
  }
  return null;
}
