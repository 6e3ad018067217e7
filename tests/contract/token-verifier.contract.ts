import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { userOf } from '../support/verified.js';
import type { AuthenticatedUser } from '../../src/application/auth/authenticated-user.js';
import type { TokenVerifier } from '../../src/application/auth/token-verifier.port.js';
import { expectInvalidToken, withOneCharacterChanged } from './token-assertions.js';

export interface TokenVerifierFixture {
  readonly verifier: TokenVerifier;
  /** A token this verifier accepts for `user`. */
  issueValid(user: AuthenticatedUser): Promise<string>;
  /** A token this verifier would have accepted for `user`, but whose lifetime is over. */
  issueExpired(user: AuthenticatedUser): Promise<string>;
  /** A token not yet expired, but that lives longer than the verifier's maximum age (2 days). */
  issueLongLived(user: AuthenticatedUser): Promise<string>;
  teardown(): Promise<void>;
}

const ALICE: AuthenticatedUser = { id: 'user-alice', email: 'alice@example.test', name: 'Alice' };
const BOB: AuthenticatedUser = { id: 'user-bob', email: 'bob@example.test', name: 'Zoë 🚀 Bob' };

/** The TokenVerifier port's promises, run against every adapter. */
export function tokenVerifierContract(
  name: string,
  setup: () => Promise<TokenVerifierFixture>,
): void {
  describe(`${name} honours the TokenVerifier contract`, () => {
    let fixture: TokenVerifierFixture;

    beforeEach(async () => {
      fixture = await setup();
    });

    afterEach(async () => {
      await fixture.teardown();
    });

    it('resolves a valid token to the user it was issued for', async () => {
      const token = await fixture.issueValid(ALICE);

      await expect(userOf(fixture.verifier.verify(token))).resolves.toEqual(ALICE);
    });

    it('tells users apart', async () => {
      const alice = await fixture.issueValid(ALICE);
      const bob = await fixture.issueValid(BOB);

      await expect(userOf(fixture.verifier.verify(bob))).resolves.toEqual(BOB);
      await expect(userOf(fixture.verifier.verify(alice))).resolves.toEqual(ALICE);
    });

    it('resolves a user without email or name with nulls', async () => {
      const anonymous: AuthenticatedUser = { id: 'user-anonymous', email: null, name: null };
      const token = await fixture.issueValid(anonymous);

      await expect(userOf(fixture.verifier.verify(token))).resolves.toEqual(anonymous);
    });

    it('accepts the same token more than once', async () => {
      const token = await fixture.issueValid(ALICE);

      await expect(userOf(fixture.verifier.verify(token))).resolves.toEqual(ALICE);
      await expect(userOf(fixture.verifier.verify(token))).resolves.toEqual(ALICE);
    });

    it('rejects an expired token with InvalidTokenError', async () => {
      const token = await fixture.issueExpired(ALICE);

      await expectInvalidToken(fixture.verifier.verify(token), token);
    });

    it('rejects a token that lives longer than the maximum age, though it has not expired', async () => {
      const token = await fixture.issueLongLived(ALICE);

      await expectInvalidToken(fixture.verifier.verify(token), token);
    });

    it.each(['', 'abc', 'a.b.c', '...', 'Bearer abc', ' '.repeat(10)])(
      'rejects the garbage string %j with InvalidTokenError',
      async (garbage) => {
        await expectInvalidToken(fixture.verifier.verify(garbage), garbage);
      },
    );

    it('rejects a valid token with one character changed', async () => {
      const token = await fixture.issueValid(ALICE);

      for (const changed of withOneCharacterChanged(token)) {
        expect(changed).not.toBe(token);
        await expectInvalidToken(fixture.verifier.verify(changed), changed);
      }
    });

    it('rejects a valid token with characters added or removed', async () => {
      const token = await fixture.issueValid(ALICE);
      const variants = [`x${token}`, ` ${token}`, `${token}x`, `${token}.`, token.slice(1)];

      for (const variant of [...variants, token.slice(0, -1)]) {
        await expectInvalidToken(fixture.verifier.verify(variant), variant);
      }
    });

    it('never resolves for a token another issuer of the same kind issued', async () => {
      const stranger = await setup();
      try {
        const token = await stranger.issueValid(ALICE);
        await expect(userOf(stranger.verifier.verify(token))).resolves.toEqual(ALICE);

        await expectInvalidToken(fixture.verifier.verify(token), token);
      } finally {
        await stranger.teardown();
      }
    });
  });
}
