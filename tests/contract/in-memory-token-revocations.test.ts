import { InMemoryTokenRevocations } from '../../src/infrastructure/auth/in-memory-token-revocations.js';
import { FixedClock } from '../support/fixed-clock.js';
import { tokenRevocationsContract } from './token-revocations.contract.js';

tokenRevocationsContract(
  'InMemoryTokenRevocations',
  async () => {
    const clock = new FixedClock('2026-06-01T12:00:00.000Z');
    return { revocations: new InMemoryTokenRevocations(clock), clock };
  },
  { persistent: false },
);
