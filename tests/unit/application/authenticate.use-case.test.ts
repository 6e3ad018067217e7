import { describe, it, expect, beforeEach } from '@jest/globals';
import {
  InvalidTokenError,
  MissingCredentialsError,
} from '../../../src/application/auth/auth.errors.js';
import { AuthenticateUseCase } from '../../../src/application/auth/authenticate.use-case.js';
import type { AuthenticatedUser } from '../../../src/application/auth/authenticated-user.js';
import type {
  TokenVerifier,
  VerifiedToken,
} from '../../../src/application/auth/token-verifier.port.js';
import { InMemoryTokenRevocations } from '../../../src/infrastructure/auth/in-memory-token-revocations.js';
import { DependencyUnavailableError } from '../../../src/application/shared/dependency-unavailable.error.js';
import { InMemoryTokenVerifier } from '../../../src/infrastructure/auth/in-memory-token-verifier.js';
import { FixedClock } from '../../support/fixed-clock.js';

/** Counts how often it is asked, to show the use case does not bother the verifier needlessly. */
class CountingVerifier implements TokenVerifier {
  calls = 0;

  constructor(private readonly inner: TokenVerifier) {}

  verify(token: string): Promise<VerifiedToken> {
    this.calls += 1;
    return this.inner.verify(token);
  }
}

describe('AuthenticateUseCase', () => {
  const ada: AuthenticatedUser = { id: 'user-ada', email: 'ada@example.test', name: 'Ada' };

  let clock: FixedClock;
  let issuer: InMemoryTokenVerifier;
  let verifier: CountingVerifier;
  let authenticate: AuthenticateUseCase;

  beforeEach(() => {
    clock = new FixedClock('2026-07-01T00:00:00.000Z');
    issuer = new InMemoryTokenVerifier(clock);
    verifier = new CountingVerifier(issuer);
    authenticate = new AuthenticateUseCase(verifier, new InMemoryTokenRevocations(clock));
  });

  it('is MissingCredentialsError when no token was sent', async () => {
    await expect(authenticate.execute({ token: null })).rejects.toBeInstanceOf(
      MissingCredentialsError,
    );
    expect(verifier.calls).toBe(0);
  });

  it('is MissingCredentialsError when the token is empty', async () => {
    await expect(authenticate.execute({ token: '' })).rejects.toMatchObject({
      type: 'MissingCredentials',
    });
    expect(verifier.calls).toBe(0);
  });

  it('returns the user the verifier vouches for', async () => {
    const token = issuer.issue(ada);

    await expect(authenticate.execute({ token })).resolves.toEqual(ada);
    expect(verifier.calls).toBe(1);
  });

  it('tells users apart by their tokens', async () => {
    const grace: AuthenticatedUser = { id: 'user-grace', email: null, name: null };
    const adaToken = issuer.issue(ada);
    const graceToken = issuer.issue(grace);

    await expect(authenticate.execute({ token: graceToken })).resolves.toEqual(grace);
    await expect(authenticate.execute({ token: adaToken })).resolves.toEqual(ada);
  });

  it('lets InvalidTokenError from the verifier through for an unknown token', async () => {
    await expect(authenticate.execute({ token: 'not-a-token-it-issued' })).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('lets InvalidTokenError from the verifier through for an expired token', async () => {
    const token = issuer.issue(ada, 60);
    clock.advance(60_000);

    await expect(authenticate.execute({ token })).rejects.toMatchObject({
      type: 'InvalidToken',
      description: 'The token has expired',
    });
  });

  it('lets DependencyUnavailableError from the verifier through', async () => {
    const unreachable: TokenVerifier = {
      verify: () => Promise.reject(new DependencyUnavailableError('key-set')),
    };

    await expect(
      new AuthenticateUseCase(unreachable, new InMemoryTokenRevocations()).execute({
        token: 'any',
      }),
    ).rejects.toBeInstanceOf(DependencyUnavailableError);
  });
});
