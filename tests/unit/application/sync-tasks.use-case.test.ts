import { beforeEach, describe, expect, it } from '@jest/globals';
import { ownTaskList } from '../../../src/application/tasks/own-task-list.js';
import { PruneDeletedChangesUseCase } from '../../../src/application/tasks/prune-deleted-changes.use-case.js';
import {
  decodeSyncToken,
  encodeSyncToken,
  InvalidSyncTokenError,
  ownerKeyOf,
  retentionMsOf,
  SyncExpiredError,
} from '../../../src/application/tasks/sync-token.js';
import { SyncTasksUseCase } from '../../../src/application/tasks/sync-tasks.use-case.js';
import { InMemoryTaskRepository } from '../../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { aTask } from '../../support/task-builder.js';

const ME = 'user-me';
const DAY_MS = 24 * 60 * 60 * 1000;
const RETENTION_MS = retentionMsOf(30);
const list = ownTaskList(ME, ME);

describe('sync tokens', () => {
  const now = new Date('2026-06-01T00:00:00.000Z');

  it('are opaque base64url that name the owner only by a hash', () => {
    const token = encodeSyncToken(ME, { seq: 7, floor: 0, issuedAt: now.getTime() });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const text = Buffer.from(token, 'base64url').toString();
    expect(text).not.toContain(ME);
    expect(text).toContain(ownerKeyOf(ME));
    expect(ownerKeyOf(ME)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('read back the position they were issued for, for the same owner only', () => {
    const position = { seq: 7, floor: 9, issuedAt: now.getTime() - 1000 };
    const token = encodeSyncToken(ME, position);
    expect(decodeSyncToken(token, ME, now, RETENTION_MS)).toEqual(position);
    expect(() => decodeSyncToken(token, 'someone-else', now, RETENTION_MS)).toThrow(
      InvalidSyncTokenError,
    );
  });

  it('expire after the retention, not before', () => {
    const at = (ageMs: number) =>
      encodeSyncToken(ME, { seq: 1, floor: 0, issuedAt: now.getTime() - ageMs });
    expect(decodeSyncToken(at(RETENTION_MS), ME, now, RETENTION_MS).seq).toBe(1);
    expect(() => decodeSyncToken(at(RETENTION_MS + 1), ME, now, RETENTION_MS)).toThrow(
      SyncExpiredError,
    );
  });

  it.each([
    ['empty', ''],
    ['not JSON', 'bm90IGpzb24'],
    ['another version', Buffer.from('{"v":2,"o":"x","s":1,"t":1}').toString('base64url')],
    [
      'a negative number',
      Buffer.from(`{"v":1,"o":"${ownerKeyOf(ME)}","s":-1,"t":1}`).toString('base64url'),
    ],
    [
      'issued in the future',
      encodeSyncToken(ME, { seq: 1, floor: 0, issuedAt: now.getTime() + 2 * DAY_MS }),
    ],
  ])('refuse one that is %s', (_, token) => {
    expect(() => decodeSyncToken(token, ME, now, RETENTION_MS)).toThrow(InvalidSyncTokenError);
  });
});

describe('SyncTasksUseCase', () => {
  let clock: FixedClock;
  let tasks: InMemoryTaskRepository;
  let sync: SyncTasksUseCase;

  beforeEach(() => {
    clock = new FixedClock('2026-06-01T00:00:00.000Z');
    tasks = new InMemoryTaskRepository(clock);
    sync = new SyncTasksUseCase(tasks.changeFeed, clock, RETENTION_MS);
  });

  const issuedAt = (token: string) =>
    decodeSyncToken(token, ME, clock.now(), Number.MAX_SAFE_INTEGER).issuedAt;

  it('keeps, mid-way, the age of the token it continues from, and renews it at the end', async () => {
    for (let i = 0; i < 3; i++) await tasks.add(aTask().ownedBy(ME).build());
    const start = clock.now().getTime();
    const first = await sync.execute({ list, since: null, limit: 2 });
    clock.advance(DAY_MS);

    const second = await sync.execute({ list, since: first.next, limit: 2 });

    expect(first.more).toBe(true);
    expect(issuedAt(first.next)).toBe(start);
    expect(second.more).toBe(false);
    expect(issuedAt(second.next)).toBe(clock.now().getTime());
  });

  it('shows, during a full sync, a deletion made after it began, of a task it already showed', async () => {
    const a = aTask().ownedBy(ME).titled('a').build();
    await tasks.add(a);
    await tasks.add(aTask().ownedBy(ME).titled('b').build());
    const first = await sync.execute({ list, since: null, limit: 1 });
    await tasks.removeOwned(ME, a.id);

    const rest = await sync.execute({ list, since: first.next, limit: 10 });

    expect(rest.changes).toEqual([
      { task: expect.objectContaining({ title: 'b' }) },
      { deleted: a.id },
    ]);
  });
});

describe('PruneDeletedChangesUseCase', () => {
  it('forgets deletions older than the retention (and an hour), no younger ones', async () => {
    const clock = new FixedClock('2026-06-01T00:00:00.000Z');
    const tasks = new InMemoryTaskRepository(clock);
    const old = aTask().ownedBy(ME).build();
    const young = aTask().ownedBy(ME).build();
    await tasks.add(old);
    await tasks.add(young);
    await tasks.removeOwned(ME, old.id);
    clock.advance(DAY_MS);
    await tasks.removeOwned(ME, young.id);
    const prune = new PruneDeletedChangesUseCase(tasks.changeFeed, clock, RETENTION_MS);

    clock.advance(RETENTION_MS - DAY_MS + 60 * 60 * 1000);
    await expect(prune.execute()).resolves.toBe(0);
    clock.advance(1);
    await expect(prune.execute()).resolves.toBe(1);
    expect(await tasks.changeFeed.changesSince(ME, 0, 10)).toEqual([
      { seq: 4, deletedId: young.id },
    ]);
  });
});
