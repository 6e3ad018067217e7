import { InMemoryTokenVerifier } from '../../src/infrastructure/auth/in-memory-token-verifier.js';
import { FixedClock } from '../support/fixed-clock.js';
import { tokenVerifierContract } from './token-verifier.contract.js';

tokenVerifierContract('InMemoryTokenVerifier', async () => {
  const clock = new FixedClock('2026-01-01T00:00:00.000Z');
  const verifier = new InMemoryTokenVerifier(clock);
  return {
    verifier,
    issueValid: async (user) => verifier.issue(user),
    issueExpired: async (user) => {
      const token = verifier.issue(user, 60);
      clock.advance(120_000);
      return token;
    },
    issueLongLived: async (user) => verifier.issue(user, 2 * 86_400),
    teardown: async () => {},
  };
});
