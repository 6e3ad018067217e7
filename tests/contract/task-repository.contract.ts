import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Task } from '../../src/domain/task/task.js';
import type {
  SortOrder,
  TaskListQuery,
  TaskPosition,
  TaskRepository,
  TaskSortField,
} from '../../src/domain/task/task-repository.port.js';
import { aTask } from '../support/task-builder.js';
import { organizingContract } from './task-organizing.contract.js';

export interface TaskRepositoryFixture {
  readonly repository: TaskRepository;
  teardown(): Promise<void>;
}

const OWNER = 'owner-a';
const OTHER_OWNER = 'owner-b';
const LATER = new Date('2026-06-01T12:34:56.789Z');

/** Canonical UUIDs whose order is the order of `n`, so tie-breaks can be written by hand. */
const id = (n: number): string => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

const query = (overrides: Partial<TaskListQuery> = {}): TaskListQuery => ({
  ownerId: OWNER,
  status: 'all',
  sort: 'createdAt',
  order: 'asc',
  limit: 100,
  ...overrides,
});

const positionOf = (task: Task, sort: TaskSortField): TaskPosition => ({
  value: sort === 'title' ? task.title : task[sort],
  id: task.id,
});

const ids = (tasks: Task[]): string[] => tasks.map((task) => task.id);

/** Reads every page, each one starting strictly after the last task of the previous one. */
async function walk(
  repository: TaskRepository,
  base: Omit<TaskListQuery, 'after'>,
): Promise<string[]> {
  const seen: string[] = [];
  let after: TaskPosition | undefined;
  for (let page = 0; page < 1000; page++) {
    const tasks = await repository.list({ ...base, ...(after ? { after } : {}) });
    expect(tasks.length).toBeLessThanOrEqual(base.limit);
    seen.push(...ids(tasks));
    const last = tasks.at(-1);
    if (!last || tasks.length < base.limit) return seen;
    after = positionOf(last, base.sort);
  }
  throw new Error('Paging did not end after 1000 pages');
}

/**
 * Seven tasks of OWNER whose createdAt, updatedAt and title each have ties, inserted in an order
 * that is none of the sort orders. Titles in code-point order: 'B' < 'a' < 'b' < 'É' < '｡' < '😀'
 * (a case-insensitive or locale collation, or UTF-16 comparison, orders them differently).
 */
const SEVEN = [
  {
    n: 3,
    title: 'b',
    createdAt: '2026-01-10T10:00:00.000Z',
    updatedAt: '2026-02-01T12:00:00.000Z',
  },
  {
    n: 1,
    title: 'B',
    createdAt: '2026-01-10T10:00:00.000Z',
    updatedAt: '2026-02-01T11:00:00.000Z',
  },
  {
    n: 6,
    title: 'a',
    createdAt: '2026-01-10T09:00:00.000Z',
    updatedAt: '2026-02-01T12:00:00.000Z',
  },
  {
    n: 2,
    title: 'b',
    createdAt: '2026-01-10T10:00:00.001Z',
    updatedAt: '2026-02-01T10:00:00.000Z',
  },
  {
    n: 5,
    title: '😀',
    createdAt: '2026-01-10T08:00:00.000Z',
    updatedAt: '2026-02-01T13:00:00.000Z',
  },
  {
    n: 4,
    title: '｡',
    createdAt: '2026-01-10T10:00:00.000Z',
    updatedAt: '2026-02-01T12:00:00.000Z',
  },
  {
    n: 7,
    title: 'É',
    createdAt: '2026-01-10T11:00:00.000Z',
    updatedAt: '2026-02-01T11:00:00.000Z',
  },
] as const;
const COMPLETED = new Set([1, 2, 7]);

/** The ascending order of SEVEN for each sort field; descending is its exact reverse. */
/** The sorts SEVEN pins by hand; due dates and priorities are walked by the property test. */
type FixedSort = 'createdAt' | 'updatedAt' | 'title';

const ASCENDING: Record<FixedSort, number[]> = {
  createdAt: [5, 6, 1, 3, 4, 2, 7],
  updatedAt: [2, 1, 7, 3, 4, 6, 5],
  title: [1, 6, 2, 3, 7, 4, 5],
};

const expectedOrder = (sort: FixedSort, order: SortOrder, only?: (n: number) => boolean) => {
  const ascending = ASCENDING[sort].filter((n) => !only || only(n));
  return (order === 'asc' ? ascending : [...ascending].reverse()).map(id);
};

const SORTS: FixedSort[] = ['createdAt', 'updatedAt', 'title'];
const ORDERS: SortOrder[] = ['asc', 'desc'];
const COMBINATIONS = SORTS.flatMap((sort) => ORDERS.map((order) => [sort, order] as const));

/** The TaskRepository port's promises, run against every adapter. */
export function taskRepositoryContract(
  name: string,
  setup: () => Promise<TaskRepositoryFixture>,
): void {
  describe(`${name} honours the TaskRepository contract`, () => {
    let fixture: TaskRepositoryFixture;
    let repository: TaskRepository;

    beforeEach(async () => {
      fixture = await setup();
      repository = fixture.repository;
    });

    afterEach(async () => {
      await fixture.teardown();
    });

    organizingContract(() => repository);

    async function addSeven(): Promise<void> {
      for (const t of SEVEN) {
        const builder = aTask()
          .withId(id(t.n))
          .ownedBy(OWNER)
          .titled(t.title)
          .createdAtIso(t.createdAt)
          .updatedAtIso(t.updatedAt);
        await repository.add((COMPLETED.has(t.n) ? builder.completed() : builder).build());
      }
      // Another owner's tasks sort between OWNER's in every order; they must never show up.
      await repository.add(theirs8().build());
      await repository.add(theirs9().build());
    }
    const theirs8 = () =>
      aTask()
        .withId(id(8))
        .ownedBy(OTHER_OWNER)
        .titled('aa')
        .createdAtIso('2026-01-10T10:00:00.000Z')
        .updatedAtIso('2026-02-01T12:00:00.000Z');
    const theirs9 = () =>
      aTask()
        .withId(id(9))
        .ownedBy(OTHER_OWNER)
        .titled('b')
        .completed()
        .createdAtIso('2026-01-10T09:30:00.000Z')
        .updatedAtIso('2026-02-01T11:30:00.000Z');

    describe('add and findOwned', () => {
      it('returns an equal snapshot of a task without a description', async () => {
        const task = aTask()
          .withId(id(1))
          .ownedBy(OWNER)
          .titled('Buy milk')
          .describedAs(null)
          .createdAtIso('2026-03-04T05:06:07.089Z')
          .updatedAtIso('2026-03-05T06:07:08.912Z')
          .build();
        await repository.add(task);

        const found = await repository.findOwned(OWNER, id(1));

        expect(found).toBeInstanceOf(Task);
        expect(found?.toSnapshot()).toEqual(task.toSnapshot());
        expect(found?.description).toBeNull();
      });

      it('returns an equal snapshot of a completed task with a unicode description', async () => {
        const task = aTask()
          .withId(id(2))
          .ownedBy(OWNER)
          .titled("Überprüfen 🚀 — 東京 “quotes” 'single'")
          .describedAs('Line one\nLine two 🧪 with emoji, ñ and a tab\there')
          .completed()
          .createdAtIso('1999-12-31T23:59:59.999Z')
          .updatedAtIso('2026-01-01T00:00:00.001Z')
          .build();
        await repository.add(task);

        const found = await repository.findOwned(OWNER, id(2));

        expect(found?.toSnapshot()).toEqual(task.toSnapshot());
        expect(found?.createdAt.toISOString()).toBe('1999-12-31T23:59:59.999Z');
        expect(found?.updatedAt.toISOString()).toBe('2026-01-01T00:00:00.001Z');
      });

      it('keeps an empty description apart from no description', async () => {
        await repository.add(aTask().withId(id(3)).ownedBy(OWNER).describedAs('').build());

        expect((await repository.findOwned(OWNER, id(3)))?.description).toBe('');
      });

      it('stores titles and descriptions of the maximum length, counted in characters', async () => {
        const title = '😀'.repeat(200);
        const description = 'é🚀'.repeat(500);
        const task = aTask().withId(id(4)).ownedBy(OWNER).titled(title).describedAs(description);
        await repository.add(task.build());

        const found = await repository.findOwned(OWNER, id(4));

        expect(found?.title).toBe(title);
        expect(found?.description).toBe(description);
      });

      it('returns null for a task of another owner', async () => {
        await repository.add(aTask().withId(id(1)).ownedBy(OWNER).build());

        await expect(repository.findOwned(OTHER_OWNER, id(1))).resolves.toBeNull();
      });

      it('matches owners exactly, not case-insensitively', async () => {
        await repository.add(aTask().withId(id(1)).ownedBy('Owner-A').build());

        await expect(repository.findOwned('owner-a', id(1))).resolves.toBeNull();
        await expect(repository.findOwned('Owner-A', id(1))).resolves.not.toBeNull();
      });

      it('returns null for an unknown id', async () => {
        await repository.add(aTask().withId(id(1)).ownedBy(OWNER).build());

        await expect(repository.findOwned(OWNER, id(2))).resolves.toBeNull();
      });
    });

    describe('update', () => {
      it('persists title, description, completion and updatedAt, and returns true', async () => {
        await repository.add(
          aTask()
            .withId(id(1))
            .ownedBy(OWNER)
            .titled('Before')
            .createdAtIso('2026-01-01T00:00:00.000Z')
            .build(),
        );
        const task = await repository.findOwned(OWNER, id(1));
        if (!task) throw new Error('The task was not stored');
        task.edit({ title: 'After ✅', description: 'Now described', completed: true }, LATER);

        await expect(repository.update(task, 1)).resolves.toBe('done');

        expect((await repository.findOwned(OWNER, id(1)))?.toSnapshot()).toEqual(
          aTask()
            .withId(id(1))
            .ownedBy(OWNER)
            .titled('After ✅')
            .describedAs('Now described')
            .completed()
            .createdAtIso('2026-01-01T00:00:00.000Z')
            .updatedAtIso(LATER.toISOString())
            .atVersion(2)
            .buildSnapshot(),
        );
      });

      it('clears a description and reopens a task', async () => {
        await repository.add(
          aTask().withId(id(1)).ownedBy(OWNER).describedAs('Something').completed().build(),
        );
        const task = await repository.findOwned(OWNER, id(1));
        if (!task) throw new Error('The task was not stored');
        task.edit({ description: null, completed: false }, LATER);

        await expect(repository.update(task, 1)).resolves.toBe('done');

        const stored = await repository.findOwned(OWNER, id(1));
        expect(stored?.description).toBeNull();
        expect(stored?.completed).toBe(false);
        expect(stored?.updatedAt).toEqual(LATER);
      });

      it('changes only the task it is given', async () => {
        await repository.add(aTask().withId(id(1)).ownedBy(OWNER).titled('One').build());
        await repository.add(aTask().withId(id(2)).ownedBy(OWNER).titled('Two').build());
        const one = await repository.findOwned(OWNER, id(1));
        if (!one) throw new Error('The task was not stored');
        one.edit({ title: 'One, renamed' }, LATER);

        await repository.update(one, 1);

        expect((await repository.findOwned(OWNER, id(2)))?.title).toBe('Two');
      });

      it('is missing for a task that does not exist, and does not create it', async () => {
        const ghost = aTask().withId(id(1)).ownedBy(OWNER).titled('Ghost').build();

        await expect(repository.update(ghost, 1)).resolves.toBe('missing');

        await expect(repository.findOwned(OWNER, id(1))).resolves.toBeNull();
        await expect(repository.list(query())).resolves.toEqual([]);
      });

      it('is missing for a task that was removed', async () => {
        await repository.add(aTask().withId(id(1)).ownedBy(OWNER).build());
        const task = await repository.findOwned(OWNER, id(1));
        if (!task) throw new Error('The task was not stored');
        await repository.removeOwned(OWNER, id(1));
        task.edit({ title: 'Too late' }, LATER);

        await expect(repository.update(task, 1)).resolves.toBe('missing');
        await expect(repository.findOwned(OWNER, id(1))).resolves.toBeNull();
      });

      it("is missing for another owner's task and leaves that task unchanged", async () => {
        const original = aTask()
          .withId(id(1))
          .ownedBy(OWNER)
          .titled('Mine')
          .describedAs('Private')
          .createdAtIso('2026-01-01T00:00:00.000Z')
          .build();
        await repository.add(original);
        const forged = aTask()
          .withId(id(1))
          .ownedBy(OTHER_OWNER)
          .titled('Hijacked')
          .describedAs(null)
          .completed()
          .createdAtIso('2026-01-01T00:00:00.000Z')
          .updatedAtIso('2026-05-05T05:05:05.555Z')
          .build();

        await expect(repository.update(forged, 1)).resolves.toBe('missing');

        expect((await repository.findOwned(OWNER, id(1)))?.toSnapshot()).toEqual(
          original.toSnapshot(),
        );
        await expect(repository.findOwned(OTHER_OWNER, id(1))).resolves.toBeNull();
      });

      it('saves nothing over a change it has not seen', async () => {
        await repository.add(aTask().withId(id(1)).ownedBy(OWNER).titled('Read twice').build());
        const first = await repository.findOwned(OWNER, id(1));
        const second = await repository.findOwned(OWNER, id(1));
        if (!first || !second) throw new Error('The task was not stored');
        first.edit({ title: 'First writer' }, LATER);
        second.edit({ description: 'Second writer' }, LATER);

        await expect(repository.update(first, 1)).resolves.toBe('done');
        await expect(repository.update(second, 1)).resolves.toBe('changed');

        expect((await repository.findOwned(OWNER, id(1)))?.toSnapshot()).toMatchObject({
          title: 'First writer',
          description: null,
          version: 2,
        });
      });

      it('lets exactly one of many writers from the same read win, even at once', async () => {
        await repository.add(aTask().withId(id(1)).ownedBy(OWNER).build());
        const copies = await Promise.all(
          Array.from({ length: 8 }, () => repository.findOwned(OWNER, id(1))),
        );
        const outcomes = await Promise.all(
          copies.map((copy, i) => {
            if (!copy) throw new Error('The task was not stored');
            copy.edit({ title: `Writer ${i}` }, LATER);
            return repository.update(copy, 1);
          }),
        );

        expect(outcomes.filter((o) => o === 'done')).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'changed')).toHaveLength(7);
        expect((await repository.findOwned(OWNER, id(1)))?.version).toBe(2);
      });
    });

    describe('add with a limit per owner', () => {
      it('refuses the task past the limit, for that owner only', async () => {
        await repository.add(aTask().withId(id(1)).ownedBy(OWNER).build(), 2);
        await repository.add(aTask().withId(id(2)).ownedBy(OWNER).build(), 2);

        await expect(repository.add(aTask().withId(id(3)).ownedBy(OWNER).build(), 2)).resolves.toBe(
          'limit-reached',
        );
        await expect(
          repository.add(aTask().withId(id(4)).ownedBy(OTHER_OWNER).build(), 2),
        ).resolves.toBe('added');
        expect(ids(await repository.list(query()))).toEqual([id(1), id(2)]);
      });

      it('makes room again when a task is removed', async () => {
        await repository.add(aTask().withId(id(1)).ownedBy(OWNER).build(), 1);
        await repository.removeOwned(OWNER, id(1));

        await expect(repository.add(aTask().withId(id(2)).ownedBy(OWNER).build(), 1)).resolves.toBe(
          'added',
        );
      });

      it('never lets concurrent adds take an owner past the limit', async () => {
        const added = await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            repository.add(
              aTask()
                .withId(id(i + 1))
                .ownedBy(OWNER)
                .build(),
              5,
            ),
          ),
        );

        expect(added.filter((outcome) => outcome === 'added')).toHaveLength(5);
        expect(await repository.list(query({ limit: 100 }))).toHaveLength(5);
      });
    });

    describe('eraseOwner', () => {
      const CLOSED_UNTIL = new Date('2026-01-02T00:00:00.000Z');

      it("deletes every task of the owner, and no one else's", async () => {
        await repository.add(aTask().withId(id(1)).ownedBy(OWNER).build());
        await repository.add(aTask().withId(id(2)).ownedBy(OWNER).completed().build());
        await repository.add(aTask().withId(id(3)).ownedBy(OTHER_OWNER).build());

        await repository.eraseOwner(OWNER, CLOSED_UNTIL);

        await expect(repository.list(query())).resolves.toEqual([]);
        expect(ids(await repository.list(query({ ownerId: OTHER_OWNER })))).toEqual([id(3)]);
      });

      it('refuses an add for the erased owner until the closing time has passed', async () => {
        await repository.eraseOwner(OWNER, CLOSED_UNTIL);

        const before = aTask()
          .withId(id(1))
          .ownedBy(OWNER)
          .createdAtIso('2026-01-01T12:00:00.000Z');
        await expect(repository.add(before.build())).resolves.toBe('owner-closed');
        const after = aTask().withId(id(2)).ownedBy(OWNER).createdAtIso('2026-01-02T00:00:01.000Z');
        await expect(repository.add(after.build())).resolves.toBe('added');
      });

      it('leaves no task of an owner whose adds race the erasure', async () => {
        const adds = Array.from({ length: 10 }, (_, i) =>
          repository.add(
            aTask()
              .withId(id(i + 1))
              .ownedBy(OWNER)
              .createdAtIso('2026-01-01T12:00:00.000Z')
              .build(),
          ),
        );
        await Promise.all([...adds, repository.eraseOwner(OWNER, CLOSED_UNTIL)]);
        // Whatever landed before the erasure went with it; whatever came after was refused.
        await expect(repository.list(query())).resolves.toEqual([]);
        const late = aTask().withId(id(99)).ownedBy(OWNER).createdAtIso('2026-01-01T12:00:00.000Z');
        await expect(repository.add(late.build())).resolves.toBe('owner-closed');
      });
    });

    describe('removeOwned', () => {
      it('is done once, then missing, and the task is gone', async () => {
        await repository.add(aTask().withId(id(1)).ownedBy(OWNER).build());

        await expect(repository.removeOwned(OWNER, id(1))).resolves.toBe('done');
        await expect(repository.removeOwned(OWNER, id(1))).resolves.toBe('missing');

        await expect(repository.findOwned(OWNER, id(1))).resolves.toBeNull();
        await expect(repository.list(query())).resolves.toEqual([]);
      });

      it("is missing for another owner's task and keeps it", async () => {
        const task = aTask().withId(id(1)).ownedBy(OWNER).titled('Keep me').build();
        await repository.add(task);

        await expect(repository.removeOwned(OTHER_OWNER, id(1))).resolves.toBe('missing');

        expect((await repository.findOwned(OWNER, id(1)))?.toSnapshot()).toEqual(task.toSnapshot());
      });

      it('is missing for an unknown id and removes nothing', async () => {
        await repository.add(aTask().withId(id(1)).ownedBy(OWNER).build());

        await expect(repository.removeOwned(OWNER, id(2))).resolves.toBe('missing');

        await expect(repository.findOwned(OWNER, id(1))).resolves.not.toBeNull();
      });

      it('removes only the task it names', async () => {
        await repository.add(aTask().withId(id(1)).ownedBy(OWNER).build());
        await repository.add(aTask().withId(id(2)).ownedBy(OWNER).build());

        await repository.removeOwned(OWNER, id(1));

        expect(ids(await repository.list(query()))).toEqual([id(2)]);
      });

      it('removes only at one of the versions named, and says when it changed', async () => {
        await repository.add(aTask().withId(id(1)).ownedBy(OWNER).build());

        await expect(repository.removeOwned(OWNER, id(1), [2, 3])).resolves.toBe('changed');
        await expect(repository.findOwned(OWNER, id(1))).resolves.not.toBeNull();
        await expect(repository.removeOwned(OWNER, id(1), [1])).resolves.toBe('done');
        await expect(repository.removeOwned(OWNER, id(1), [1])).resolves.toBe('missing');
      });
    });

    describe('list', () => {
      it("returns only the owner's tasks, as full snapshots", async () => {
        await addSeven();

        const tasks = await repository.list(query({ ownerId: OTHER_OWNER }));

        expect(tasks.map((task) => task.toSnapshot())).toEqual([
          theirs9().buildSnapshot(),
          theirs8().buildSnapshot(),
        ]);
      });

      it('returns an empty list for an owner without tasks', async () => {
        await addSeven();

        await expect(repository.list(query({ ownerId: 'nobody' }))).resolves.toEqual([]);
      });

      it.each(COMBINATIONS)(
        'orders by %s %s, ties by id in the same direction',
        async (sort, order) => {
          await addSeven();

          const tasks = await repository.list(query({ sort, order }));

          expect(ids(tasks)).toEqual(expectedOrder(sort, order));
        },
      );

      it('orders titles by code point, not by a locale or UTF-16 comparison', async () => {
        const titles = ['b', 'a', 'Z', 'B', 'é', 'E', 'ﬀ', '😀', '｡', 'A'];
        for (const [i, title] of titles.entries()) {
          await repository.add(
            aTask()
              .withId(id(i + 1))
              .ownedBy(OWNER)
              .titled(title)
              .build(),
          );
        }

        const tasks = await repository.list(query({ sort: 'title' }));

        expect(tasks.map((task) => task.title)).toEqual([
          'A',
          'B',
          'E',
          'Z',
          'a',
          'b',
          'é',
          'ﬀ',
          '｡',
          '😀',
        ]);
      });

      it.each([
        ['pending', [5, 6, 3, 4]],
        ['completed', [1, 2, 7]],
        ['all', [5, 6, 1, 3, 4, 2, 7]],
      ] as const)('filters status %s', async (status, expected) => {
        await addSeven();

        const tasks = await repository.list(query({ status }));

        expect(ids(tasks)).toEqual(expected.map(id));
        if (status !== 'all') {
          expect(tasks.every((task) => task.completed === (status === 'completed'))).toBe(true);
        }
      });

      it('combines a status filter with an order', async () => {
        await addSeven();

        const tasks = await repository.list(
          query({ status: 'pending', sort: 'title', order: 'desc' }),
        );

        expect(ids(tasks)).toEqual(expectedOrder('title', 'desc', (n) => !COMPLETED.has(n)));
      });

      it.each([1, 3, 7, 50])('returns at most limit=%i tasks, the first ones', async (limit) => {
        await addSeven();

        const tasks = await repository.list(query({ sort: 'title', limit }));

        expect(ids(tasks)).toEqual(expectedOrder('title', 'asc').slice(0, limit));
      });

      it.each(COMBINATIONS)(
        'starts strictly after the position given, sorted by %s %s',
        async (sort, order) => {
          await addSeven();
          const full = await repository.list(query({ sort, order }));
          const third = full[2];
          if (!third) throw new Error('Expected seven tasks');

          const tasks = await repository.list(
            query({ sort, order, after: positionOf(third, sort) }),
          );

          expect(ids(tasks)).toEqual(expectedOrder(sort, order).slice(3));
        },
      );

      it('starts after a position inside a tie that names no stored task', async () => {
        await addSeven();
        // Tasks 1, 3 and 4 share createdAt 10:00; the position sits between ids 2 and 3.
        const after = { value: new Date('2026-01-10T10:00:00.000Z'), id: id(2) };

        const ascending = await repository.list(query({ sort: 'createdAt', order: 'asc', after }));
        const descending = await repository.list(
          query({ sort: 'createdAt', order: 'desc', after }),
        );

        expect(ids(ascending)).toEqual([3, 4, 2, 7].map(id));
        expect(ids(descending)).toEqual([1, 6, 5].map(id));
      });

      it('starts after a title position that names no stored task', async () => {
        await addSeven();
        const after = { value: 'b', id: id(2) };

        const ascending = await repository.list(query({ sort: 'title', order: 'asc', after }));
        const descending = await repository.list(query({ sort: 'title', order: 'desc', after }));

        expect(ids(ascending)).toEqual([3, 7, 4, 5].map(id));
        expect(ids(descending)).toEqual([6, 1].map(id));
      });

      it('compares positions to the millisecond', async () => {
        await addSeven();
        // Task 2 was created one millisecond after tasks 1, 3 and 4.
        const after = { value: new Date('2026-01-10T10:00:00.000Z'), id: id(9) };

        const tasks = await repository.list(query({ sort: 'createdAt', after }));

        expect(ids(tasks)).toEqual([2, 7].map(id));
      });

      it('combines a position with a status filter and a limit', async () => {
        await addSeven();
        // Pending tasks by title: 6 'a', 3 'b', 4 '｡', 5 '😀'.
        const after = { value: 'a', id: id(6) };

        const tasks = await repository.list(
          query({ sort: 'title', status: 'pending', after, limit: 2 }),
        );

        expect(ids(tasks)).toEqual([3, 4].map(id));
      });

      it('returns nothing after the last task', async () => {
        await addSeven();
        const full = await repository.list(query({ sort: 'updatedAt', order: 'desc' }));
        const last = full.at(-1);
        if (!last) throw new Error('Expected seven tasks');

        const tasks = await repository.list(
          query({ sort: 'updatedAt', order: 'desc', after: positionOf(last, 'updatedAt') }),
        );

        expect(tasks).toEqual([]);
      });

      it.each(COMBINATIONS)(
        'pages through every task exactly once, sorted by %s %s',
        async (sort, order) => {
          await addSeven();

          for (const limit of [1, 2, 3]) {
            expect(await walk(repository, query({ sort, order, limit }))).toEqual(
              expectedOrder(sort, order),
            );
          }
          expect(
            await walk(repository, query({ sort, order, limit: 2, status: 'completed' })),
          ).toEqual(expectedOrder(sort, order, (n) => COMPLETED.has(n)));
        },
      );

      it.each(COMBINATIONS)(
        'pages through many tasks sharing one sort value exactly once, sorted by %s %s',
        async (sort, order) => {
          const count = 23;
          // Inserted in a scrambled order so that insertion order cannot pass for id order.
          for (let i = 0; i < count; i++) {
            const n = ((i * 7) % count) + 1;
            await repository.add(
              aTask()
                .withId(id(n))
                .ownedBy(OWNER)
                .titled('Same title')
                .createdAtIso('2026-01-10T10:00:00.000Z')
                .updatedAtIso('2026-01-10T10:00:00.000Z')
                .build(),
            );
          }
          await repository.add(
            aTask().withId(id(100)).ownedBy(OTHER_OWNER).titled('Same title').build(),
          );
          const ascending = Array.from({ length: count }, (_, i) => id(i + 1));

          const seen = await walk(repository, query({ sort, order, limit: 4 }));

          expect(seen).toEqual(order === 'asc' ? ascending : [...ascending].reverse());
        },
      );
    });

    describe('isolation of returned tasks', () => {
      it('does not store changes made to a found task until update is called', async () => {
        const task = aTask().withId(id(1)).ownedBy(OWNER).titled('Original').build();
        await repository.add(task);
        const found = await repository.findOwned(OWNER, id(1));
        if (!found) throw new Error('The task was not stored');

        found.edit({ title: 'Changed', description: 'Changed too' }, LATER);
        found.toggleCompletion(LATER);

        expect((await repository.findOwned(OWNER, id(1)))?.toSnapshot()).toEqual(task.toSnapshot());
      });

      it('does not store changes made to a listed task until update is called', async () => {
        const task = aTask().withId(id(1)).ownedBy(OWNER).titled('Original').build();
        await repository.add(task);
        const [listed] = await repository.list(query());
        if (!listed) throw new Error('The task was not listed');

        listed.edit({ title: 'Changed', completed: true }, LATER);

        expect((await repository.findOwned(OWNER, id(1)))?.toSnapshot()).toEqual(task.toSnapshot());
      });

      it('does not store changes made to an added task until update is called', async () => {
        const task = aTask().withId(id(1)).ownedBy(OWNER).titled('Original').build();
        const before = task.toSnapshot();
        await repository.add(task);

        task.edit({ title: 'Changed' }, LATER);

        expect((await repository.findOwned(OWNER, id(1)))?.toSnapshot()).toEqual(before);
      });

      it.each(['added', 'found', 'listed'] as const)(
        'shares no Date with the store through a task it %s',
        async (via) => {
          const task = aTask()
            .withId(id(1))
            .ownedBy(OWNER)
            .createdAtIso('2026-01-01T00:00:00.000Z')
            .updatedAtIso('2026-01-02T00:00:00.000Z')
            .build();
          await repository.add(task);
          const held =
            via === 'added'
              ? task
              : via === 'found'
                ? await repository.findOwned(OWNER, id(1))
                : (await repository.list(query()))[0];
          if (!held) throw new Error('The task was not stored');

          held.createdAt.setTime(0);
          held.updatedAt.setTime(0);

          const stored = await repository.findOwned(OWNER, id(1));
          expect(stored?.createdAt).toEqual(new Date('2026-01-01T00:00:00.000Z'));
          expect(stored?.updatedAt).toEqual(new Date('2026-01-02T00:00:00.000Z'));
        },
      );
    });
  });
}
