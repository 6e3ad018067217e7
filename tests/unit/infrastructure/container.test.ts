import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, jest } from '@jest/globals';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import { CLOCK_TOLERANCE_SECONDS } from '../../../src/application/auth/token-lifetime.js';
import type { Clock } from '../../../src/application/shared/clock.port.js';
import type { TaskRepository } from '../../../src/domain/task/task-repository.port.js';
import { InMemoryTokenRevocations } from '../../../src/infrastructure/auth/in-memory-token-revocations.js';
import { InMemoryTokenVerifier } from '../../../src/infrastructure/auth/in-memory-token-verifier.js';
import { loadConfig } from '../../../src/infrastructure/config/env.js';
import { buildContainer, openServices } from '../../../src/infrastructure/di/container.js';
import { TOKENS } from '../../../src/infrastructure/di/tokens.js';
import { InMemoryIdempotencyStore } from '../../../src/infrastructure/persistence/in-memory/in-memory-idempotency-store.js';
import { InMemoryTaskRepository } from '../../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { FixedClock } from '../../support/fixed-clock.js';

/** A PostgreSQL URL nothing listens on: any adapter that opened it would fail. */
const NOWHERE = 'postgres://postgres@127.0.0.1:9/none';
const SECRET = 's'.repeat(32);

/** Verify-only with a shared secret: no Better Auth, so only the task adapters need a database. */
const verifyOnly = loadConfig({
  DATABASE_URL: NOWHERE,
  AUTH_EMBEDDED: 'false',
  AUTH_JWT_ALG: 'HS256',
  BETTER_AUTH_SECRET: SECRET,
  AUTH_ISSUER: 'https://app.example.com',
  LOG_LEVEL: 'silent',
});

describe('the composition root', () => {
  it('hands back each port as the type its token names', () => {
    const clock = new FixedClock();
    const c = buildContainer(verifyOnly, { clock });
    const resolved: Clock = c.get(TOKENS.Clock);
    expect(resolved).toBe(clock);
    // @ts-expect-error a Clock is not a TaskRepository: a wrong use does not compile
    const wrong: TaskRepository = c.get(TOKENS.Clock);
    expect(wrong).toBe(clock);
  });

  it('refuses, at compile time, a binding of the wrong type', () => {
    const c = buildContainer(verifyOnly, {});
    // @ts-expect-error a string is not a Clock
    c.rebind(TOKENS.Clock).toConstantValue('not a clock');
    expect(c.get(TOKENS.Clock)).toBe('not a clock');
  });

  it('opens no database when every port that needs one is swapped out', async () => {
    const services = await openServices(verifyOnly, {
      logger: pino({ level: 'silent' }),
      tasks: new InMemoryTaskRepository(),
      idempotency: new InMemoryIdempotencyStore(),
      revocations: new InMemoryTokenRevocations(),
      readiness: { isReady: async () => true },
      rateLimiter: null,
      verifier: new InMemoryTokenVerifier(),
    });
    try {
      await expect(services.migrate()).resolves.toBeUndefined();
      expect(services.betterAuth).toBeNull();
      expect(await services.ports.readiness.isReady()).toBe(true);
    } finally {
      await services.close();
    }
  });

  it('gives every time-dependent adapter the one clock', async () => {
    const clock = new FixedClock('2030-01-01T00:00:00.000Z');
    const services = await openServices(verifyOnly, {
      logger: pino({ level: 'silent' }),
      tasks: new InMemoryTaskRepository(),
      idempotency: new InMemoryIdempotencyStore(),
      revocations: new InMemoryTokenRevocations(),
      readiness: { isReady: async () => true },
      rateLimiter: null,
      clock,
    });
    try {
      // A token valid today is expired by the clock the verifier was given.
      const { SignJWT } = await import('jose');
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('user-1')
        .setIssuer('https://app.example.com')
        .setAudience('http://localhost:8000')
        .setIssuedAt(now)
        .setExpirationTime(now + 3600)
        .sign(new TextEncoder().encode(SECRET));
      await expect(services.ports.verifier.verify(token)).rejects.toMatchObject({
        description: 'The token has expired',
      });
      clock.set(new Date().toISOString());
      await expect(services.ports.verifier.verify(token)).resolves.toMatchObject({
        user: { id: 'user-1' },
      });
    } finally {
      await services.close();
    }
  });

  it("gives the verifier and the revocations one clock tolerance, and the issuer's token lifetime", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'container-'));
    const embeddedHs256 = loadConfig({
      AUTH_JWT_ALG: 'HS256',
      BETTER_AUTH_SECRET: SECRET,
      AUTH_JWT_LIFETIME_SECONDS: '600',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    });
    const clock = new FixedClock('2030-01-01T00:00:00.000Z');
    const services = await openServices(embeddedHs256, {
      logger: pino({ level: 'silent' }),
      revocations: new InMemoryTokenRevocations(clock),
      clock,
    });
    try {
      const now = clock.now().getTime() / 1000;
      const expiredAgo = (seconds: number) =>
        new SignJWT({ sid: 'session-1' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('user-1')
          .setIssuer(embeddedHs256.auth.issuer)
          .setAudience(embeddedHs256.auth.audience)
          .setIssuedAt(now - 600)
          .setExpirationTime(now - seconds)
          .sign(new TextEncoder().encode(SECRET));
      await expect(
        services.ports.verifier.verify(await expiredAgo(CLOCK_TOLERANCE_SECONDS - 1)),
      ).resolves.toMatchObject({ sessionId: 'session-1' });
      await expect(
        services.ports.verifier.verify(await expiredAgo(CLOCK_TOLERANCE_SECONDS)),
      ).rejects.toMatchObject({ description: 'The token has expired' });

      await services.useCases.endSession.execute({ sessionId: 'session-1' });
      const token = { userId: 'user-1', sessionId: 'session-1', issuedAt: now };
      clock.advance((600 + CLOCK_TOLERANCE_SECONDS) * 1000 - 1);
      expect(services.ports.revocations.isRevoked(token)).toBe(true);
      clock.advance(1);
      expect(services.ports.revocations.isRevoked(token)).toBe(false);
    } finally {
      await services.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('purges expired Idempotency-Keys once started, until closed', async () => {
    const clock = new FixedClock('2030-01-01T00:00:00.000Z');
    const idempotency = new InMemoryIdempotencyStore();
    const expired = (key: string) =>
      idempotency.claim(
        'user-1',
        key,
        {
          fingerprint: 'f',
          taskId: '00000000-0000-4000-8000-000000000001',
          startedAt: new Date(clock.now().getTime() - 2),
          expiresAt: new Date(clock.now().getTime() - 1),
        },
        1_000,
      );
    await expired('key-1');
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const services = await openServices(verifyOnly, {
      logger: pino({ level: 'silent' }),
      tasks: new InMemoryTaskRepository(),
      idempotency,
      revocations: new InMemoryTokenRevocations(),
      readiness: { isReady: async () => true },
      rateLimiter: null,
      clock,
    });
    try {
      await jest.advanceTimersByTimeAsync(60 * 60 * 1000);
      await expect(idempotency.purgeExpired(clock.now(), 10)).resolves.toBe(1); // not started yet
      await services.start();
      await expired('key-2');
      await jest.advanceTimersByTimeAsync(2 * 60 * 1000);
      await expect(idempotency.purgeExpired(clock.now(), 10)).resolves.toBe(0);
      await services.close();
      await expired('key-3');
      await jest.advanceTimersByTimeAsync(60 * 60 * 1000);
      await expect(idempotency.purgeExpired(clock.now(), 10)).resolves.toBe(1);
    } finally {
      await services.close();
      jest.useRealTimers();
    }
  });
});
