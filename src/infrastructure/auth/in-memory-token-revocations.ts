import type { TokenRevocations } from '../../application/auth/token-revocations.port.js';
import type { Clock } from '../../application/shared/clock.port.js';
import { RevocationList } from './revocation-list.js';

/** Revocations held in memory only: for tests, and as the contract's reference. */
export class InMemoryTokenRevocations implements TokenRevocations {
  private readonly list = new RevocationList();

  constructor(private readonly clock: Clock = { now: () => new Date() }) {}

  isRevoked(token: Parameters<TokenRevocations['isRevoked']>[0]): boolean {
    return this.list.isRevoked(token, this.clock.now().getTime());
  }

  async revokeSession(sessionId: string, until: Date): Promise<void> {
    this.list.apply({ kind: 'session', subject: sessionId, issuedBefore: null, expiresAt: until });
  }

  async revokeUserTokens(userId: string, issuedBefore: number, until: Date): Promise<void> {
    this.list.apply({ kind: 'user', subject: userId, issuedBefore, expiresAt: until });
  }
}
