import { MissingCredentialsError } from './auth.errors.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import type { TokenVerifier } from './token-verifier.port.js';

export interface AuthenticateInput {
  /** The bearer token taken from the request, or null when none was sent. */
  readonly token: string | null;
}

/** Turns a bearer token into the user it was issued to. */
export class AuthenticateUseCase {
  constructor(private readonly verifier: TokenVerifier) {}

  async execute(input: AuthenticateInput): Promise<AuthenticatedUser> {
    if (input.token === null || input.token.length === 0) throw new MissingCredentialsError();
    return this.verifier.verify(input.token);
  }
}
