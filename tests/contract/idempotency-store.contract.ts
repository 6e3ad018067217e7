import { beforeEach, describe, expect, it } from '@jest/globals';
import type {
  IdempotencyStore,
  NewIdempotentCreate,
} from '../../src/application/tasks/idempotency-store.port.js';
import type { TaskView } from '../../src/application/tasks/task.view.js';
import { aTaskView } from '../support/task-builder.js';

const OWNER = 'owner-1';
const OTHER = 'owner-2';
const T0 = new Date('2026-03-01T10:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
const at = (ms: number) => new Date(T0.getTime() + ms);
/** A cap no test here reaches, for the tests about something else. */
const ROOMY = 1_000;

function entry(overrides: Partial<NewIdempotentCreate> = {}): NewIdempotentCreate {
  return {
    fingerprint: 'a'.repeat(64),
    taskId: '00000000-0000-4000-8000-000000000001',
    startedAt: T0,
    expiresAt: at(DAY),
    ...overrides,
  };
}

const VIEW: TaskView = aTaskView()
  .withId('00000000-0000-4000-8000-000000000001')
  .ownedBy(OWNER)
  .titled('Buy milk ✅')
  .createdAtIso(T0.toISOString())
  .build();

/** The promise every IdempotencyStore keeps; `create` gives an empty store. */
export function idempotencyStoreContract(name: string, create: () => Promise<IdempotencyStore>) {
  describe(`${name} honours the IdempotencyStore contract`, () => {
    let store: IdempotencyStore;

    beforeEach(async () => {
      store = await create();
    });

    it('claims a free key, then hands back the entry that holds it', async () => {
      await expect(store.claim(OWNER, 'k1', entry(), ROOMY)).resolves.toEqual({
        claimed: true,
        entry: { fingerprint: 'a'.repeat(64), taskId: entry().taskId, startedAt: T0, result: null },
      });
      const again = await store.claim(OWNER, 'k1', entry({ fingerprint: 'b'.repeat(64) }), ROOMY);
      expect(again).toEqual({
        claimed: false,
        entry: { fingerprint: 'a'.repeat(64), taskId: entry().taskId, startedAt: T0, result: null },
      });
    });

    it('keeps keys of different owners apart', async () => {
      await store.claim(OWNER, 'same', entry(), ROOMY);
      await expect(store.claim(OTHER, 'same', entry(), ROOMY)).resolves.toMatchObject({
        claimed: true,
      });
    });

    it('remembers the first answer exactly', async () => {
      await store.claim(OWNER, 'k1', entry(), ROOMY);
      await store.complete(OWNER, 'k1', VIEW);
      const held = await store.claim(OWNER, 'k1', entry({ startedAt: at(1000) }), ROOMY);
      expect(held).toEqual({ claimed: false, entry: expect.objectContaining({ result: VIEW }) });
    });

    it('keeps an abandoned key held, ready to be taken over at once', async () => {
      await store.claim(OWNER, 'k1', entry(), ROOMY);
      await store.abandon(OWNER, 'k1', entry().taskId);
      await expect(
        store.claim(OWNER, 'k1', entry({ startedAt: at(1) }), ROOMY),
      ).resolves.toMatchObject({
        claimed: false,
        entry: { taskId: entry().taskId, result: null },
      });
      await expect(store.takeOver(OWNER, 'k1', T0, at(2))).resolves.toBe(true);
    });

    it('abandons and completes only the claim of the task named', async () => {
      await store.claim(OWNER, 'k1', entry(), ROOMY);
      const other = '00000000-0000-4000-8000-0000000000ff';
      await store.abandon(OWNER, 'k1', other);
      await expect(store.takeOver(OWNER, 'k1', T0, at(2))).resolves.toBe(false);
      await store.complete(OWNER, 'k1', { ...VIEW, id: other });
      const held = await store.claim(OWNER, 'k1', entry({ startedAt: at(3) }), ROOMY);
      expect(held.entry.result).toBeNull();
    });

    it('treats an expired entry as absent', async () => {
      await store.claim(OWNER, 'k1', entry(), ROOMY);
      await store.complete(OWNER, 'k1', VIEW);
      const later = entry({
        startedAt: at(DAY),
        expiresAt: at(2 * DAY),
        fingerprint: 'c'.repeat(64),
      });
      await expect(store.claim(OWNER, 'k1', later, ROOMY)).resolves.toEqual({
        claimed: true,
        entry: {
          fingerprint: 'c'.repeat(64),
          taskId: entry().taskId,
          startedAt: at(DAY),
          result: null,
        },
      });
    });

    it('lets exactly one of many concurrent claims win', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.claim(
            OWNER,
            'race',
            entry({ taskId: `00000000-0000-4000-8000-00000000000${i}` }),
            ROOMY,
          ),
        ),
      );
      expect(results.filter((r) => r.claimed)).toHaveLength(1);
      const winner = results.find((r) => r.claimed)?.entry.taskId;
      expect(new Set(results.map((r) => r.entry.taskId))).toEqual(new Set([winner]));
    });

    it('takes over only an unfinished entry older than the cut-off, and only once', async () => {
      await store.claim(OWNER, 'k1', entry(), ROOMY);
      await expect(store.takeOver(OWNER, 'k1', T0, at(60_000))).resolves.toBe(false);
      await expect(store.takeOver(OWNER, 'k1', at(1), at(60_000))).resolves.toBe(true);
      await expect(store.takeOver(OWNER, 'k1', at(1), at(60_000))).resolves.toBe(false);
      await store.complete(OWNER, 'k1', VIEW);
      await expect(store.takeOver(OWNER, 'k1', at(DAY), at(DAY))).resolves.toBe(false);
      await expect(store.takeOver(OWNER, 'missing', at(DAY), at(DAY))).resolves.toBe(false);
    });

    /** The keys of `keys` the owner holds, probed by claims that drop nothing. */
    async function heldOf(owner: string, keys: readonly string[]): Promise<string[]> {
      const probe = entry({ startedAt: at(DAY - 1), expiresAt: at(2 * DAY) });
      const held: string[] = [];
      for (const key of keys) {
        if (!(await store.claim(owner, key, probe, Number.MAX_SAFE_INTEGER)).claimed)
          held.push(key);
      }
      return held;
    }

    it('keeps at most the cap of keys per owner, dropping those claimed first', async () => {
      const keys = Array.from({ length: 7 }, (_, i) => `k${i}`);
      for (const [i, key] of keys.entries()) {
        await store.claim(OWNER, key, entry({ startedAt: at(i), expiresAt: at(DAY + i) }), 3);
      }
      await store.claim(OTHER, 'theirs', entry(), 3);

      await expect(heldOf(OWNER, keys)).resolves.toEqual(['k4', 'k5', 'k6']);
      await expect(heldOf(OTHER, ['theirs'])).resolves.toEqual(['theirs']);
    });

    it('drops nothing for a claim that finds its key held', async () => {
      for (const key of ['a', 'b']) await store.claim(OWNER, key, entry(), 2);
      await store.complete(OWNER, 'a', VIEW);
      const again = await store.claim(OWNER, 'a', entry({ startedAt: at(1) }), 2);
      expect(again).toEqual({ claimed: false, entry: expect.objectContaining({ result: VIEW }) });
      await expect(heldOf(OWNER, ['a', 'b'])).resolves.toEqual(['a', 'b']);
    });

    it('keeps the cap when many claims of new keys run at once: the newest stay', async () => {
      const keys = Array.from({ length: 24 }, (_, i) => `p${String(i).padStart(2, '0')}`);
      await Promise.all(
        keys.map((key, i) =>
          store.claim(OWNER, key, entry({ startedAt: at(i), expiresAt: at(DAY + i) }), 5),
        ),
      );
      await expect(heldOf(OWNER, keys)).resolves.toEqual(keys.slice(-5));
    });

    it('purges expired entries in bounded batches, and only those', async () => {
      for (let i = 0; i < 5; i++)
        await store.claim(OWNER, `old-${i}`, entry({ expiresAt: at(i) }), ROOMY);
      await store.claim(OWNER, 'live', entry({ expiresAt: at(DAY) }), ROOMY);

      await expect(store.purgeExpired(at(10), 3)).resolves.toBe(3);
      await expect(store.purgeExpired(at(10), 3)).resolves.toBe(2);
      await expect(store.purgeExpired(at(10), 3)).resolves.toBe(0);
      await expect(
        store.claim(OWNER, 'live', entry({ startedAt: at(10) }), ROOMY),
      ).resolves.toMatchObject({
        claimed: false,
      });
    });
  });
}
