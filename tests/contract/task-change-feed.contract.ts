import { beforeEach, describe, expect, it } from '@jest/globals';
import type {
  TaskChange,
  TaskChangeFeed,
} from '../../src/application/tasks/task-change-feed.port.js';
import type { TaskRepository } from '../../src/domain/task/task-repository.port.js';
import { FixedClock } from '../support/fixed-clock.js';
import { aTask } from '../support/task-builder.js';

export interface TaskChangeFeedFixture {
  /** Records its writes in `feed`. */
  readonly repository: TaskRepository;
  readonly feed: TaskChangeFeed;
}

const OWNER = 'owner-a';
const OTHER_OWNER = 'owner-b';
const START = '2026-06-01T12:00:00.000Z';
const DAY_MS = 24 * 60 * 60 * 1000;
const CLOSED_UNTIL = new Date('2026-06-02T00:00:00.000Z');

const id = (n: number): string => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

/** A change as seq plus the task's id and title, or the deleted id: easy to read in a failure. */
const brief = (change: TaskChange) =>
  'task' in change
    ? { seq: change.seq, id: change.task.id, title: change.task.title }
    : { seq: change.seq, deleted: change.deletedId };

/**
 * The TaskChangeFeed contract, run against every adapter: `create` gets a clock that dates each
 * recorded change and returns an empty repository and the feed it records in.
 */
export function taskChangeFeedContract(
  name: string,
  create: (clock: FixedClock) => Promise<TaskChangeFeedFixture>,
): void {
  describe(`${name} (TaskChangeFeed contract)`, () => {
    let clock: FixedClock;
    let repository: TaskRepository;
    let feed: TaskChangeFeed;

    beforeEach(async () => {
      clock = new FixedClock(START);
      ({ repository, feed } = await create(clock));
    });

    const all = async (ownerId = OWNER) => (await feed.changesSince(ownerId, 0, 100)).map(brief);
    const add = (n: number, ownerId = OWNER, title = `Task ${n}`) =>
      repository.add(aTask().withId(id(n)).ownedBy(ownerId).titled(title).build());
    const rename = async (n: number, title: string) => {
      const task = (await repository.findOwned(OWNER, id(n)))!;
      const read = task.version;
      task.edit({ title }, clock.now());
      return repository.update(task, read);
    };

    it('numbers an owner from 1, each write once, each owner on their own', async () => {
      await expect(feed.latestSeq(OWNER)).resolves.toBe(0);
      await add(1);
      await add(2, OTHER_OWNER);
      await add(3);

      expect(await all()).toEqual([
        { seq: 1, id: id(1), title: 'Task 1' },
        { seq: 2, id: id(3), title: 'Task 3' },
      ]);
      expect(await all(OTHER_OWNER)).toEqual([{ seq: 1, id: id(2), title: 'Task 2' }]);
      await expect(feed.latestSeq(OWNER)).resolves.toBe(2);
      await expect(feed.latestSeq(OTHER_OWNER)).resolves.toBe(1);
    });

    it('shows each task once, at its latest change and in its latest state', async () => {
      await add(1);
      await add(2);
      await rename(1, 'Renamed');
      await rename(1, 'Renamed again');

      expect(await all()).toEqual([
        { seq: 2, id: id(2), title: 'Task 2' },
        { seq: 4, id: id(1), title: 'Renamed again' },
      ]);
      await expect(feed.latestSeq(OWNER)).resolves.toBe(4);
    });

    it('answers the changes after a number, oldest first, at most `limit`', async () => {
      for (let n = 1; n <= 5; n++) await add(n);

      const page = await feed.changesSince(OWNER, 1, 3);

      expect(page.map(brief)).toEqual([
        { seq: 2, id: id(2), title: 'Task 2' },
        { seq: 3, id: id(3), title: 'Task 3' },
        { seq: 4, id: id(4), title: 'Task 4' },
      ]);
      await expect(feed.changesSince(OWNER, 5, 3)).resolves.toEqual([]);
    });

    it('records a deletion as the deleted id', async () => {
      await add(1);
      await add(2);
      await expect(repository.removeOwned(OWNER, id(1))).resolves.toBe('done');

      expect(await all()).toEqual([
        { seq: 2, id: id(2), title: 'Task 2' },
        { seq: 3, deleted: id(1) },
      ]);
    });

    it('leaves out deletions at or below `deletionsAbove`, not those after it', async () => {
      await add(1);
      await add(2);
      await add(3);
      await repository.removeOwned(OWNER, id(1)); // 4
      await repository.removeOwned(OWNER, id(2)); // 5

      const changes = await feed.changesSince(OWNER, 0, 100, { deletionsAbove: 4 });

      expect(changes.map(brief)).toEqual([
        { seq: 3, id: id(3), title: 'Task 3' },
        { seq: 5, deleted: id(2) },
      ]);
    });

    it('records both an update and its follow-up, each with a number of its own', async () => {
      await repository.add(
        aTask()
          .withId(id(1))
          .ownedBy(OWNER)
          .with({ dueAt: new Date('2026-06-01T09:00:00.000Z'), recurrence: 'daily' })
          .build(),
      );
      const task = (await repository.findOwned(OWNER, id(1)))!;
      task.toggleCompletion(clock.now());
      const next = task.nextOccurrence(id(2), clock.now())!;

      await expect(repository.update(task, 1, { task: next, maxPerOwner: null })).resolves.toBe(
        'done',
      );

      const changes = await feed.changesSince(OWNER, 1, 100);
      expect(changes.map((change) => change.seq).sort()).toEqual([2, 3]);
      expect(changes.map((change) => ('task' in change ? change.task.id : null)).sort()).toEqual([
        id(1),
        id(2),
      ]);
      await expect(feed.latestSeq(OWNER)).resolves.toBe(3);
    });

    describe('a write that saves nothing records nothing', () => {
      beforeEach(async () => {
        await add(1);
      });

      const expectUnchanged = async () => {
        expect(await all()).toEqual([{ seq: 1, id: id(1), title: 'Task 1' }]);
        await expect(feed.latestSeq(OWNER)).resolves.toBe(1);
      };

      it('an update from a version that is no longer stored', async () => {
        const task = (await repository.findOwned(OWNER, id(1)))!;
        task.edit({ title: 'Late' }, clock.now());
        await expect(repository.update(task, 7)).resolves.toBe('changed');
        await expectUnchanged();
      });

      it('a delete of a missing task, or of one at another version', async () => {
        await expect(repository.removeOwned(OWNER, id(9))).resolves.toBe('missing');
        await expect(repository.removeOwned(OTHER_OWNER, id(1))).resolves.toBe('missing');
        await expect(repository.removeOwned(OWNER, id(1), [5])).resolves.toBe('changed');
        await expectUnchanged();
        await expect(feed.latestSeq(OTHER_OWNER)).resolves.toBe(0);
      });

      it('an add refused at the limit', async () => {
        await expect(repository.add(aTask().ownedBy(OWNER).build(), 1)).resolves.toBe(
          'limit-reached',
        );
        await expectUnchanged();
      });

      it('an update whose follow-up is refused: both are rolled back', async () => {
        await repository.removeOwned(OWNER, id(1));
        await repository.add(
          aTask()
            .withId(id(2))
            .ownedBy(OWNER)
            .with({ dueAt: new Date('2026-06-01T09:00:00.000Z'), recurrence: 'daily' })
            .build(),
        );
        const before = await all();
        const task = (await repository.findOwned(OWNER, id(2)))!;
        task.toggleCompletion(clock.now());
        const next = task.nextOccurrence(id(3), clock.now())!;

        await expect(repository.update(task, 1, { task: next, maxPerOwner: 1 })).resolves.toBe(
          'limit-reached',
        );

        expect(await all()).toEqual(before);
        await expect(feed.latestSeq(OWNER)).resolves.toBe(3);
      });

      it('an add that fails midway (the id is taken) is rolled back', async () => {
        await expect(add(1, OWNER, 'Again')).rejects.toThrow();
        await expectUnchanged();
      });
    });

    describe('eraseOwner', () => {
      it("records every task's deletion, each with a number, and nothing of another owner", async () => {
        await add(2);
        await add(1);
        await add(3, OTHER_OWNER);

        await repository.eraseOwner(OWNER, CLOSED_UNTIL);

        const changes = await all();
        expect(changes.map((change) => change.seq)).toEqual([3, 4]);
        expect(
          changes.map((change) => ('deleted' in change ? change.deleted : null)).sort(),
        ).toEqual([id(1), id(2)]);
        await expect(feed.latestSeq(OWNER)).resolves.toBe(4);
        expect(await all(OTHER_OWNER)).toEqual([{ seq: 1, id: id(3), title: 'Task 3' }]);
      });

      it('an add it refuses records nothing', async () => {
        await add(1);
        await repository.eraseOwner(OWNER, CLOSED_UNTIL);

        await expect(add(2)).resolves.toBe('owner-closed');

        await expect(feed.latestSeq(OWNER)).resolves.toBe(2);
        expect(await all()).toEqual([{ seq: 2, deleted: id(1) }]);
      });
    });

    describe('pruneDeleted', () => {
      it('forgets deletions recorded before the given time, at most `batch`, and nothing else', async () => {
        for (let n = 1; n <= 5; n++) await add(n);
        await repository.removeOwned(OWNER, id(1));
        await repository.removeOwned(OWNER, id(2));
        await repository.removeOwned(OWNER, id(3), [1]);
        clock.advance(DAY_MS);
        await repository.removeOwned(OWNER, id(4));
        const cutoff = new Date(new Date(START).getTime() + DAY_MS / 2);

        await expect(feed.pruneDeleted(cutoff, 2)).resolves.toBe(2);
        await expect(feed.pruneDeleted(cutoff, 2)).resolves.toBe(1);
        await expect(feed.pruneDeleted(cutoff, 2)).resolves.toBe(0);

        expect(await all()).toEqual([
          { seq: 5, id: id(5), title: 'Task 5' },
          { seq: 9, deleted: id(4) },
        ]);
        // The numbering goes on where it was.
        await add(6);
        await expect(feed.latestSeq(OWNER)).resolves.toBe(10);
      });
    });
  });
}
