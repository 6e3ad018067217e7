import { beforeEach, describe, expect, it } from '@jest/globals';
import type { TokenRevocations } from '../../src/application/auth/token-revocations.port.js';
import type { FixedClock } from '../support/fixed-clock.js';

const T0_S = Date.parse('2026-06-01T12:00:00.000Z') / 1000;
const HOUR_MS = 3_600_000;

export interface RevocationsFixture {
  readonly revocations: TokenRevocations;
  readonly clock: FixedClock;
  /** Whatever another instance would see after this one's writes (a fresh reader), if any. */
  readonly reread?: () => Promise<TokenRevocations>;
  /** Brings the adapter up to date with its clock (a poll ahead of time), if it polls. */
  readonly catchUp?: () => Promise<void>;
}

/** The promise every TokenRevocations keeps; `create` gives an empty one at 2026-06-01T12:00Z. */
export function tokenRevocationsContract(
  name: string,
  create: () => Promise<RevocationsFixture>,
  { persistent }: { readonly persistent: boolean },
) {
  describe(`${name} honours the TokenRevocations contract`, () => {
    let fixture: RevocationsFixture;
    const token = (sessionId: string | null, issuedAt = T0_S - 60, userId = 'user-1') => ({
      userId,
      sessionId,
      issuedAt,
    });
    const inAnHour = () => new Date(fixture.clock.now().getTime() + HOUR_MS);

    beforeEach(async () => {
      fixture = await create();
    });

    it('revokes every token of an ended session, and only those', async () => {
      await fixture.revocations.revokeSession('session-a', inAnHour());
      expect(fixture.revocations.isRevoked(token('session-a'))).toBe(true);
      expect(fixture.revocations.isRevoked(token('session-a', T0_S + 30))).toBe(true);
      expect(fixture.revocations.isRevoked(token('session-b'))).toBe(false);
      expect(fixture.revocations.isRevoked(token(null))).toBe(false);
    });

    it('cuts off a user’s tokens issued before the cut-off, not after, not of others', async () => {
      await fixture.revocations.revokeUserTokens('user-1', T0_S, inAnHour());
      expect(fixture.revocations.isRevoked(token('s', T0_S - 1))).toBe(true);
      expect(fixture.revocations.isRevoked(token(null, T0_S - 1))).toBe(true);
      expect(fixture.revocations.isRevoked(token('s', T0_S))).toBe(false);
      expect(fixture.revocations.isRevoked(token('s', T0_S - 1, 'user-2'))).toBe(false);
    });

    it('keeps the latest cut-off whatever the order, and takes a repeat calmly', async () => {
      await fixture.revocations.revokeUserTokens('user-1', T0_S + 10, inAnHour());
      await fixture.revocations.revokeUserTokens('user-1', T0_S, inAnHour());
      await fixture.revocations.revokeSession('session-a', inAnHour());
      await fixture.revocations.revokeSession('session-a', inAnHour());
      expect(fixture.revocations.isRevoked(token('s', T0_S + 5))).toBe(true);
      expect(fixture.revocations.isRevoked(token('session-a', T0_S + 20))).toBe(true);
    });

    it('forgets a revocation once every token it covers has expired', async () => {
      await fixture.revocations.revokeSession('session-a', inAnHour());
      await fixture.revocations.revokeUserTokens('user-1', T0_S, inAnHour());
      fixture.clock.advance(HOUR_MS + 1);
      await fixture.catchUp?.();
      expect(fixture.revocations.isRevoked(token('session-a'))).toBe(false);
    });

    // Only an adapter that stores revocations has a fresh reader to show them to.
    if (persistent) {
      it('is seen by a fresh reader (another instance, a restart)', async () => {
        const reread = fixture.reread;
        if (!reread) throw new Error('a persistent adapter gives a fresh reader');
        await fixture.revocations.revokeSession('session-a', inAnHour());
        await fixture.revocations.revokeUserTokens('user-2', T0_S, inAnHour());
        const other = await reread();
        expect(other.isRevoked(token('session-a'))).toBe(true);
        expect(other.isRevoked(token(null, T0_S - 1, 'user-2'))).toBe(true);
        expect(other.isRevoked(token('session-b'))).toBe(false);
      });
    }
  });
}
