import type { Clock } from '../shared/clock.port.js';
import { revokedUntil, type RevocationSettings } from './token-lifetime.js';
import type { TokenRevocations } from './token-revocations.port.js';

/**
 * Every token a user holds stops working (a password change, a deleted account). `iat` counts
 * whole seconds, so the cut-off is the next whole second: every token issued until now, this
 * second included, is void; the caller answers only once that second has begun (`cutoff`), so a
 * token fetched after the answer carries an `iat` at or past it and works.
 */
export class EndUserTokensUseCase {
  constructor(
    private readonly revocations: TokenRevocations,
    private readonly clock: Clock,
    private readonly settings: RevocationSettings,
  ) {}

  async execute({ userId }: { readonly userId: string }): Promise<{ cutoff: Date }> {
    const issuedBefore = Math.floor(this.clock.now().getTime() / 1000) + 1;
    await this.revocations.revokeUserTokens(
      userId,
      issuedBefore,
      revokedUntil(this.clock, this.settings),
    );
    return { cutoff: new Date(issuedBefore * 1000) };
  }
}
