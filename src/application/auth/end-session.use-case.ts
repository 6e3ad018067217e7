import type { Clock } from '../shared/clock.port.js';
import type { TokenRevocations } from './token-revocations.port.js';

/** How long a revocation is kept after the longest-lived token it covers was issued. */
export interface RevocationSettings {
  /** The lifetime of the tokens issued (AUTH_JWT_LIFETIME_SECONDS). */
  readonly tokenLifetimeSeconds: number;
  /** Clock slack the verifier allows on exp. */
  readonly toleranceSeconds: number;
}

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

/** Every token issued up to now has expired by then. */
export function revokedUntil(clock: Clock, settings: RevocationSettings): Date {
  const { tokenLifetimeSeconds, toleranceSeconds } = settings;
  return new Date(clock.now().getTime() + (tokenLifetimeSeconds + toleranceSeconds) * 1000);
}
