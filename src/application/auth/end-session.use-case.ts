import type { Clock } from '../shared/clock.port.js';
import { revokedUntil, type RevocationSettings } from './token-lifetime.js';
import type { TokenRevocations } from './token-revocations.port.js';

/** A Better Auth session ended (sign-out, revoked, its user deleted): its tokens stop working. */
export class EndSessionUseCase {
  constructor(
    private readonly revocations: TokenRevocations,
    private readonly clock: Clock,
    private readonly settings: RevocationSettings,
  ) {}

  /** Idempotent: ending a session twice (two deletes racing) changes nothing more. */
  async execute({ sessionId }: { readonly sessionId: string }): Promise<void> {
    await this.revocations.revokeSession(sessionId, revokedUntil(this.clock, this.settings));
  }
}
