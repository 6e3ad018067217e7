import { describe, expect, it } from '@jest/globals';
import { Task } from '../../src/domain/task/task.js';
import type {
  SortOrder,
  TaskListQuery,
  TaskRepository,
} from '../../src/domain/task/task-repository.port.js';
import { aTask } from '../support/task-builder.js';

const OWNER = 'owner-a';
const OTHER_OWNER = 'owner-b';
const NOW = new Date('2026-06-01T12:00:00.000Z');
const id = (n: number): string => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const query = (overrides: Partial<TaskListQuery> = {}): TaskListQuery => ({
  ownerId: OWNER,
  status: 'all',
  sort: 'createdAt',
  order: 'asc',
  limit: 100,
  ...overrides,
});
const idsOf = (tasks: Task[]) => tasks.map((task) => task.id);

/** Priorities, tags, due dates, recurrence and search: the promises every adapter keeps. */
export function organizingContract(repository: () => TaskRepository): void {
  describe('organizing', () => {
    it('stores and returns every organizing field exactly', async () => {
      const task = aTask()
        .withId(id(1))
        .ownedBy(OWNER)
        .with({
          priority: 'high',
          tags: ['日本', 'café', 'to-do_2'],
          dueAt: new Date('2026-12-31T23:59:59.999Z'),
          recurrence: 'monthly',
          completed: true,
          completedAt: new Date('2026-06-01T10:00:00.123Z'),
          nextOccurrenceId: id(2),
        })
        .build();
      await repository().add(task);

      const found = await repository().findOwned(OWNER, id(1));

      expect(found?.toSnapshot()).toEqual(task.toSnapshot());
      expect((await repository().list(query()))[0]?.toSnapshot()).toEqual(task.toSnapshot());
    });

    describe('an update with a follow-up', () => {
      const recurring = () =>
        aTask()
          .withId(id(1))
          .ownedBy(OWNER)
          .with({ dueAt: new Date('2026-06-01T09:00:00.000Z'), recurrence: 'daily' })
          .build();

      it('saves the change and adds the next occurrence together', async () => {
        await repository().add(recurring());
        const task = (await repository().findOwned(OWNER, id(1)))!;
        task.toggleCompletion(NOW);
        const next = task.nextOccurrence(id(2), NOW)!;

        await expect(repository().update(task, 1, { task: next, maxPerOwner: null })).resolves.toBe(
          'done',
        );

        expect((await repository().findOwned(OWNER, id(1)))?.toSnapshot()).toEqual(
          task.toSnapshot(),
        );
        expect((await repository().findOwned(OWNER, id(2)))?.toSnapshot()).toEqual(
          next.toSnapshot(),
        );
      });

      it('saves neither when the owner is at the limit', async () => {
        await repository().add(recurring());
        const task = (await repository().findOwned(OWNER, id(1)))!;
        task.toggleCompletion(NOW);
        const next = task.nextOccurrence(id(2), NOW)!;

        await expect(repository().update(task, 1, { task: next, maxPerOwner: 1 })).resolves.toBe(
          'limit-reached',
        );

        const stored = await repository().findOwned(OWNER, id(1));
        expect(stored?.version).toBe(1);
        expect(stored?.completed).toBe(false);
        expect(await repository().findOwned(OWNER, id(2))).toBeNull();
        // The count was not taken either: a new task still fits under a limit of 2.
        await expect(repository().add(aTask().ownedBy(OWNER).build(), 2)).resolves.toBe('added');
      });

      it('adds nothing when the task changed since it was read', async () => {
        await repository().add(recurring());
        const first = (await repository().findOwned(OWNER, id(1)))!;
        const second = (await repository().findOwned(OWNER, id(1)))!;
        first.edit({ title: 'Renamed' }, NOW);
        await repository().update(first, 1);
        second.toggleCompletion(NOW);
        const next = second.nextOccurrence(id(2), NOW)!;

        await expect(
          repository().update(second, 1, { task: next, maxPerOwner: null }),
        ).resolves.toBe('changed');

        expect(await repository().findOwned(OWNER, id(2))).toBeNull();
      });
    });

    describe('filters', () => {
      async function addTasks(): Promise<void> {
        const add = (n: number, fields: Parameters<ReturnType<typeof aTask>['with']>[0]) =>
          repository().add(aTask().withId(id(n)).ownedBy(OWNER).with(fields).build());
        await add(1, {
          title: 'Pay RENT',
          priority: 'high',
          tags: ['home', 'bills'],
          dueAt: new Date('2026-05-31T00:00:00.000Z'),
        });
        await add(2, {
          title: 'Call mum',
          description: 'About the 100% discount_code',
          priority: 'low',
          tags: ['home'],
          dueAt: new Date('2026-06-01T12:00:00.000Z'),
        });
        await add(3, {
          title: 'Report',
          priority: 'medium',
          tags: ['work'],
          dueAt: new Date('2026-05-01T00:00:00.000Z'),
          completed: true,
        });
        await add(4, { title: 'Someday', priority: 'high', tags: [] });
        await add(5, { title: 'Ωμέγα ΟΔΟΣ', description: 'Überall' });
        await repository().add(
          aTask()
            .withId(id(9))
            .ownedBy(OTHER_OWNER)
            .with({ title: 'rent too', priority: 'high', tags: ['home', 'bills'], dueAt: NOW })
            .build(),
        );
      }
      const list = async (filter: Partial<TaskListQuery>) =>
        idsOf(await repository().list(query(filter)));

      it('keeps any of the given priorities', async () => {
        await addTasks();
        expect(await list({ priorities: ['high'] })).toEqual([id(1), id(4)]);
        expect(await list({ priorities: ['low', 'medium'] })).toEqual([id(2), id(3), id(5)]);
      });

      it('keeps tasks that carry all of the given tags', async () => {
        await addTasks();
        expect(await list({ tags: ['home'] })).toEqual([id(1), id(2)]);
        expect(await list({ tags: ['home', 'bills'] })).toEqual([id(1)]);
        expect(await list({ tags: ['home', 'work'] })).toEqual([]);
        // A tag is matched whole, never as a part of another.
        expect(await list({ tags: ['bill'] })).toEqual([]);
      });

      it('finds a substring of the title or description, whatever its case', async () => {
        await addTasks();
        expect(await list({ text: 'rent' })).toEqual([id(1)]);
        expect(await list({ text: 'MUM' })).toEqual([id(2)]);
        expect(await list({ text: 'discount' })).toEqual([id(2)]);
        expect(await list({ text: 'überall' })).toEqual([id(5)]);
        expect(await list({ text: 'οδοσ' })).toEqual([id(5)]);
        expect(await list({ text: 'ωμέγα οδος' })).toEqual([id(5)]);
      });

      it('reads %, _ and \\ in a search as themselves', async () => {
        await addTasks();
        expect(await list({ text: '100%' })).toEqual([id(2)]);
        expect(await list({ text: '%' })).toEqual([id(2)]);
        expect(await list({ text: 't_c' })).toEqual([id(2)]);
        expect(await list({ text: 'r_nt' })).toEqual([]);
        expect(await list({ text: '\\' })).toEqual([]);
      });

      it('never matches across the end of the title and the start of the description', async () => {
        await addTasks();
        expect(await list({ text: 'mumabout' })).toEqual([]);
        expect(await list({ text: 'mum about' })).toEqual([]);
      });

      it('keeps dueAfter ≤ dueAt < dueBefore, leaving out tasks without a due date', async () => {
        await addTasks();
        expect(await list({ dueAfter: new Date('2026-05-31T00:00:00.000Z') })).toEqual([
          id(1),
          id(2),
        ]);
        expect(await list({ dueBefore: new Date('2026-06-01T12:00:00.000Z') })).toEqual([
          id(1),
          id(3),
        ]);
        expect(
          await list({
            dueAfter: new Date('2026-05-01T00:00:00.001Z'),
            dueBefore: new Date('2026-06-01T12:00:00.001Z'),
          }),
        ).toEqual([id(1), id(2)]);
      });

      it('keeps pending tasks due before the overdue instant', async () => {
        await addTasks();
        expect(await list({ overdueAt: NOW })).toEqual([id(1)]);
        expect(await list({ overdueAt: new Date('2026-06-01T12:00:00.001Z') })).toEqual([
          id(1),
          id(2),
        ]);
        expect(await list({ overdueAt: NOW, status: 'completed' })).toEqual([]);
      });

      it('combines every filter given', async () => {
        await addTasks();
        expect(
          await list({ priorities: ['high', 'low'], tags: ['home'], text: 'a', status: 'pending' }),
        ).toEqual([id(1), id(2)]);
        expect(await list({ priorities: ['high'], tags: ['home'], text: 'mum' })).toEqual([]);
      });
    });

    describe('sorting by due date and by priority', () => {
      async function addTasks(): Promise<void> {
        const add = (n: number, fields: Parameters<ReturnType<typeof aTask>['with']>[0]) =>
          repository().add(aTask().withId(id(n)).ownedBy(OWNER).with(fields).build());
        await add(4, { dueAt: null, priority: 'low' });
        await add(1, { dueAt: new Date('2026-07-01T00:00:00.000Z'), priority: 'high' });
        await add(6, { dueAt: null, priority: 'high' });
        await add(2, { dueAt: new Date('2026-06-01T00:00:00.000Z'), priority: 'medium' });
        await add(3, { dueAt: new Date('2026-07-01T00:00:00.000Z'), priority: 'low' });
      }
      const CASES: [SortOrder, 'dueAt' | 'priority', number[]][] = [
        ['asc', 'dueAt', [2, 1, 3, 4, 6]],
        ['desc', 'dueAt', [3, 1, 2, 6, 4]],
        ['asc', 'priority', [3, 4, 2, 1, 6]],
        ['desc', 'priority', [6, 1, 2, 4, 3]],
      ];

      it.each(CASES)('%s by %s, page after page', async (order, sort, expected) => {
        await addTasks();
        for (const limit of [1, 2, 5]) {
          const seen: string[] = [];
          let after: TaskListQuery['after'];
          for (let page = 0; page < 10; page++) {
            const tasks = await repository().list(query({ sort, order, limit, after }));
            seen.push(...idsOf(tasks));
            const last = tasks.at(-1);
            if (!last || tasks.length < limit) break;
            after = { value: sort === 'dueAt' ? last.dueAt : last.priority, id: last.id };
          }
          expect(seen).toEqual(expected.map(id));
        }
      });
    });
  });
}
