import { describe, expect, it } from '@jest/globals';
import { PurgeExpiredKeysUseCase } from '../../../src/application/tasks/purge-expired-keys.use-case.js';
import { InMemoryIdempotencyStore } from '../../../src/infrastructure/persistence/in-memory/in-memory-idempotency-store.js';
import { FixedClock } from '../../support/fixed-clock.js';

async function storeWith(expired: number, live: number, clock: FixedClock) {
  const store = new InMemoryIdempotencyStore();
  const now = clock.now();
  const entry = (expiresAt: Date) => ({
    fingerprint: 'f',
    taskId: '00000000-0000-4000-8000-000000000001',
    startedAt: new Date(now.getTime() - 1),
    expiresAt,
  });
  const cap = expired + live; // one owner holds them all: none is dropped for the cap
  for (let i = 0; i < expired; i++) await store.claim('owner', `old-${i}`, entry(now), cap);
  for (let i = 0; i < live; i++)
    await store.claim('owner', `live-${i}`, entry(new Date(now.getTime() + 1)), cap);
  return store;
}

describe('PurgeExpiredKeysUseCase', () => {
  const clock = new FixedClock('2026-02-01T00:00:00.000Z');
  const purge = (store: InMemoryIdempotencyStore) =>
    new PurgeExpiredKeysUseCase(store, clock).execute();

  it('deletes every expired key and keeps the live ones', async () => {
    const store = await storeWith(2_500, 3, clock);
    await expect(purge(store)).resolves.toBe(2_500);
    await expect(purge(store)).resolves.toBe(0);
    await expect(store.purgeExpired(new Date(clock.now().getTime() + 1), 100)).resolves.toBe(3);
  });

  it('deletes at most ten batches per run, leaving a larger backlog to the next runs', async () => {
    const store = await storeWith(10_500, 0, clock);
    await expect(purge(store)).resolves.toBe(10_000);
    await expect(purge(store)).resolves.toBe(500);
  });
});
