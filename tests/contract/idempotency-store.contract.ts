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
      await expect(store.claim(OWNER, 'k1', entry())).resolves.toEqual({
        claimed: true,
        entry: { fingerprint: 'a'.repeat(64), taskId: entry().taskId, startedAt: T0, result: null },
      });
      const again = await store.claim(OWNER, 'k1', entry({ fingerprint: 'b'.repeat(64) }));
      expect(again).toEqual({
        claimed: false,
        entry: { fingerprint: 'a'.repeat(64), taskId: entry().taskId, startedAt: T0, result: null },
      });
    });

    it('keeps keys of different owners apart', async () => {
      await store.claim(OWNER, 'same', entry());
      await expect(store.claim(OTHER, 'same', entry())).resolves.toMatchObject({ claimed: true });
    });

    it('remembers the first answer exactly', async () => {
      await store.claim(OWNER, 'k1', entry());
      await store.complete(OWNER, 'k1', VIEW);
      const held = await store.claim(OWNER, 'k1', entry({ startedAt: at(1000) }));
      expect(held).toEqual({ claimed: false, entry: expect.objectContaining({ result: VIEW }) });
    });

    it('keeps an abandoned key held, ready to be taken over at once', async () => {
      await store.claim(OWNER, 'k1', entry());
      await store.abandon(OWNER, 'k1', entry().taskId);
      await expect(store.claim(OWNER, 'k1', entry({ startedAt: at(1) }))).resolves.toMatchObject({
        claimed: false,
        entry: { taskId: entry().taskId, result: null },
      });
      await expect(store.takeOver(OWNER, 'k1', T0, at(2))).resolves.toBe(true);
    });

    it('abandons and completes only the claim of the task named', async () => {
      await store.claim(OWNER, 'k1', entry());
      const other = '00000000-0000-4000-8000-0000000000ff';
      await store.abandon(OWNER, 'k1', other);
      await expect(store.takeOver(OWNER, 'k1', T0, at(2))).resolves.toBe(false);
      await store.complete(OWNER, 'k1', { ...VIEW, id: other });
      const held = await store.claim(OWNER, 'k1', entry({ startedAt: at(3) }));
      expect(held.entry.result).toBeNull();
    });

    it('treats an expired entry as absent', async () => {
      await store.claim(OWNER, 'k1', entry());
      await store.complete(OWNER, 'k1', VIEW);
      const later = entry({
        startedAt: at(DAY),
        expiresAt: at(2 * DAY),
        fingerprint: 'c'.repeat(64),
      });
      await expect(store.claim(OWNER, 'k1', later)).resolves.toEqual({
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
          store.claim(OWNER, 'race', entry({ taskId: `00000000-0000-4000-8000-00000000000${i}` })),
        ),
      );
      expect(results.filter((r) => r.claimed)).toHaveLength(1);
      const winner = results.find((r) => r.claimed)?.entry.taskId;
      expect(new Set(results.map((r) => r.entry.taskId))).toEqual(new Set([winner]));
    });

    it('takes over only an unfinished entry older than the cut-off, and only once', async () => {
      await store.claim(OWNER, 'k1', entry());
      await expect(store.takeOver(OWNER, 'k1', T0, at(60_000))).resolves.toBe(false);
      await expect(store.takeOver(OWNER, 'k1', at(1), at(60_000))).resolves.toBe(true);
      await expect(store.takeOver(OWNER, 'k1', at(1), at(60_000))).resolves.toBe(false);
      await store.complete(OWNER, 'k1', VIEW);
      await expect(store.takeOver(OWNER, 'k1', at(DAY), at(DAY))).resolves.toBe(false);
      await expect(store.takeOver(OWNER, 'missing', at(DAY), at(DAY))).resolves.toBe(false);
    });

    it('purges expired entries in bounded batches, and only those', async () => {
      for (let i = 0; i < 5; i++) await store.claim(OWNER, `old-${i}`, entry({ expiresAt: at(i) }));
      await store.claim(OWNER, 'live', entry({ expiresAt: at(DAY) }));

      await expect(store.purgeExpired(at(10), 3)).resolves.toBe(3);
      await expect(store.purgeExpired(at(10), 3)).resolves.toBe(2);
      await expect(store.purgeExpired(at(10), 3)).resolves.toBe(0);
      await expect(store.claim(OWNER, 'live', entry({ startedAt: at(10) }))).resolves.toMatchObject(
        {
          claimed: false,
        },
      );
    });
  });
}
