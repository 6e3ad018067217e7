import { InvalidTokenError } from '../src/application/auth/auth.errors.js';
import type { TokenVerifier, VerifiedToken } from '../src/application/auth/token-verifier.port.js';
import { DependencyUnavailableError } from '../src/application/shared/dependency-unavailable.error.js';

/** Better Auth's session cookie; its signed value is what the bearer carries here. */
export const SESSION_COOKIE = 'better-auth.session_token';

/** `(headers) => auth.api.getSession({ headers })` of some Better Auth instance. */
export type GetSession = (headers: Headers) => Promise<{
  user: { id: string; email: string; name: string };
  session: { id: string };
} | null>;

/**
 * The stateful alternative the service rejects, for the benchmark only: the bearer value is a
 * signed Better Auth session cookie, and every request asks Better Auth for the session
 * (`auth.api.getSession`, a session-table lookup in PostgreSQL).
 */
export class BetterAuthSessionVerifier implements TokenVerifier {
  constructor(private readonly getSession: GetSession) {}

  async verify(token: string): Promise<VerifiedToken> {
    let found: Awaited<ReturnType<GetSession>>;
    try {
      found = await this.getSession(new Headers({ cookie: `${SESSION_COOKIE}=${token}` }));
    } catch (error) {
      throw new DependencyUnavailableError('database', { cause: error });
    }
    if (!found) throw new InvalidTokenError('expired', 'The session is unknown or has expired');
    const { user, session } = found;
    return {
      user: { id: user.id, email: user.email, name: user.name },
      sessionId: session.id,
      issuedAt: Math.floor(Date.now() / 1000),
    };
  }
}
