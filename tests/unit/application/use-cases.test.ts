import { describe, expect, it } from '@jest/globals';
import { SessionEndedError } from '../../../src/application/auth/auth.errors.js';
import {
  CLOCK_TOLERANCE_SECONDS,
  DEFAULT_TOKEN_LIFETIME_SECONDS,
} from '../../../src/application/auth/token-lifetime.js';
import { ownTaskList } from '../../../src/application/tasks/own-task-list.js';
import { createUseCases, type UseCaseSettings } from '../../../src/application/use-cases.js';
import { InMemoryTokenRevocations } from '../../../src/infrastructure/auth/in-memory-token-revocations.js';
import { InMemoryTokenVerifier } from '../../../src/infrastructure/auth/in-memory-token-verifier.js';
import { InMemoryIdempotencyStore } from '../../../src/infrastructure/persistence/in-memory/in-memory-idempotency-store.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { SequentialIdGenerator } from '../../support/sequential-id-generator.js';
import { InMemoryTaskRepository } from '../../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { inMemoryTasks } from '../../support/in-memory-tasks.js';

const START = '2026-01-01T00:00:00.000Z';
const START_SECONDS = Date.parse(START) / 1000;

function useCasesOn(settings?: UseCaseSettings) {
  const clock = new FixedClock(START);
  const revocations = new InMemoryTokenRevocations(clock);
  const tasks = new InMemoryTaskRepository(clock);
  const useCases = createUseCases(
    {
      ...inMemoryTasks(tasks),
      idempotency: new InMemoryIdempotencyStore(),
      verifier: new InMemoryTokenVerifier(clock),
      revocations,
      clock,
      ids: new SequentialIdGenerator(),
      readiness: { isReady: async () => true },
    },
    settings,
  );
  return { useCases, revocations, clock };
}

/** Whether a token of `sessionId`, issued at the start, is still refused `afterSeconds` later. */
function refusedAfter(
  { revocations, clock }: ReturnType<typeof useCasesOn>,
  afterSeconds: number,
  token: { userId: string; sessionId: string | null; issuedAt: number } = {
    userId: 'ada',
    sessionId: 'session-1',
    issuedAt: START_SECONDS,
  },
): boolean {
  clock.set(START);
  clock.advance(afterSeconds * 1000);
  return revocations.isRevoked(token);
}

describe('createUseCases', () => {
  it('keeps an ended session revoked for the token lifetime plus the clock tolerance', async () => {
    const built = useCasesOn({ tokenLifetimeSeconds: 600, clockToleranceSeconds: 7 });
    await built.useCases.endSession.execute({ sessionId: 'session-1' });

    expect(refusedAfter(built, 606.999)).toBe(true);
    expect(refusedAfter(built, 607)).toBe(false);
  });

  it("keeps a user's cut-off for as long, for the tokens issued before it", async () => {
    const built = useCasesOn({ tokenLifetimeSeconds: 600, clockToleranceSeconds: 7 });
    const { cutoff } = await built.useCases.endUserTokens.execute({ userId: 'ada' });
    const later = { userId: 'ada', sessionId: null, issuedAt: cutoff.getTime() / 1000 };

    expect(refusedAfter(built, 606.999, { ...later, issuedAt: START_SECONDS })).toBe(true);
    expect(refusedAfter(built, 607, { ...later, issuedAt: START_SECONDS })).toBe(false);
    expect(refusedAfter(built, 1, later)).toBe(false);
  });

  it("erases a user: their tokens and their list's adds are refused for as long", async () => {
    const built = useCasesOn({ tokenLifetimeSeconds: 600, clockToleranceSeconds: 7 });
    await built.useCases.eraseUser.execute({ userId: 'ada' });
    const before = { userId: 'ada', sessionId: null, issuedAt: START_SECONDS };
    const add = () =>
      built.useCases.createTask.execute({ list: ownTaskList('ada', 'ada'), title: 'Buy milk' });

    expect(refusedAfter(built, 606.999, before)).toBe(true);
    await expect(add()).rejects.toBeInstanceOf(SessionEndedError);
    expect(refusedAfter(built, 607, before)).toBe(false);
    await expect(add()).resolves.toMatchObject({ task: { title: 'Buy milk' } });
  });

  it('defaults to the default token lifetime and the one clock tolerance', async () => {
    const built = useCasesOn();
    await built.useCases.endSession.execute({ sessionId: 'session-1' });
    const kept = DEFAULT_TOKEN_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS;

    expect(refusedAfter(built, kept - 0.001)).toBe(true);
    expect(refusedAfter(built, kept)).toBe(false);
  });
});
