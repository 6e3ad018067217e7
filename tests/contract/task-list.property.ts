import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ListTasksUseCase } from '../../src/application/tasks/list-tasks.use-case.js';
import { ownTaskList } from '../../src/application/tasks/own-task-list.js';
import type { TaskView } from '../../src/application/tasks/task.view.js';
import { priorityRank, PRIORITIES, type Priority } from '../../src/domain/task/priority.js';
import type { TaskSnapshot } from '../../src/domain/task/task.js';
import {
  TASK_SORT_FIELDS,
  type TaskRepository,
  type TaskSortField,
} from '../../src/domain/task/task-repository.port.js';
import { searchNeedle, searchTextOf } from '../../src/domain/task/task-search.js';
import { FixedClock } from '../support/fixed-clock.js';
import { aTask } from '../support/task-builder.js';

/** Few distinct values, so ties, shared tags and matching searches are common. */
const INSTANTS = [
  '2026-01-01T00:00:00.000Z',
  '2026-01-01T00:00:00.001Z',
  '2026-03-15T12:00:00.000Z',
  '2026-06-01T00:00:00.000Z',
].map((iso) => new Date(iso));
const NOW = '2026-03-15T12:00:00.000Z';
const TAGS = ['home', 'work', 'été', 'a_b'];
const WORDS = ['Rent', 'rent', 'Mum', 'été', 'ÉTÉ', '50%', 'a_b', 'ab', 'z'];
const SEARCHES = ['rent', 'RENT', 'été', '%', '_', 'a_b', 'nt m', 'zz', '5'];

const subset = <T>(values: readonly T[]) => fc.subarray([...values]);
/** A filter left out four times in five, so most lists are long enough to page. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.tuple(fc.noBias(fc.nat(4)), arbitrary).map(([n, value]) => (n === 4 ? value : undefined));
const text = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 })
  .map((w) => w.join(' '));

const taskFields = fc.record({
  title: text,
  description: fc.option(text, { nil: null }),
  completed: fc.boolean(),
  priority: fc.constantFrom(...PRIORITIES),
  tags: subset(TAGS),
  dueAt: fc.option(fc.constantFrom(...INSTANTS), { nil: null }),
  createdAt: fc.constantFrom(...INSTANTS),
  updatedAt: fc.constantFrom(...INSTANTS),
});

const aQuery = fc.record({
  status: fc.constantFrom('all', 'all', 'pending', 'completed' as const),
  priority: sometimes(subset(PRIORITIES).filter((p) => p.length > 0)),
  tag: sometimes(subset(TAGS).filter((t) => t.length > 0 && t.length <= 2)),
  q: sometimes(fc.constantFrom(...SEARCHES)),
  dueAfter: sometimes(fc.constantFrom(...INSTANTS)),
  dueBefore: sometimes(fc.constantFrom(...INSTANTS)),
  overdue: sometimes(fc.constant(true)),
  sort: fc.constantFrom(...TASK_SORT_FIELDS),
  order: fc.constantFrom('asc', 'desc' as const),
  limit: fc.integer({ min: 1, max: 4 }),
});
type Query = typeof aQuery extends fc.Arbitrary<infer Q> ? Q : never;

/** What the list should show, computed the plain way: filter everything, sort everything. */
function oracle(tasks: TaskSnapshot[], query: Query, now: Date): string[] {
  const matches = (t: TaskSnapshot) =>
    (query.status === 'all' || t.completed === (query.status === 'completed')) &&
    (!query.priority || query.priority.includes(t.priority)) &&
    (!query.tag || query.tag.every((tag) => t.tags.includes(tag))) &&
    (query.q === undefined || searchTextOf(t).includes(searchNeedle(query.q))) &&
    (!query.dueAfter || (t.dueAt !== null && t.dueAt >= query.dueAfter)) &&
    (!query.dueBefore || (t.dueAt !== null && t.dueAt < query.dueBefore)) &&
    (!query.overdue || (!t.completed && t.dueAt !== null && t.dueAt < now));
  const key = (t: TaskSnapshot): number | string | null => {
    if (query.sort === 'priority') return priorityRank(t.priority as Priority);
    if (query.sort === 'title') return t.title;
    if (query.sort === 'dueAt') return t.dueAt?.getTime() ?? null;
    return t[query.sort].getTime();
  };
  const direction = query.order === 'asc' ? 1 : -1;
  const codePoints = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  return tasks
    .filter(matches)
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)];
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1;
      } else if (x !== y) {
        const order = typeof x === 'string' ? codePoints(x, y as string) : x - (y as number);
        return direction * order;
      }
      return direction * codePoints(a.id, b.id);
    })
    .map((t) => t.id);
}

/**
 * The cursor holds for every combination of sort, order and filters: random tasks, random
 * queries, every page walked through the use case and the adapter, compared with the oracle.
 */
export function taskListProperty(
  name: string,
  repository: () => Promise<{ tasks: TaskRepository; close(): Promise<void> }>,
  runs: number,
): void {
  describe(`${name}: paging any filtered, sorted list`, () => {
    let subject: { tasks: TaskRepository; close(): Promise<void> };
    let run = 0;

    beforeAll(async () => {
      subject = await repository();
    });

    afterAll(async () => {
      await subject?.close();
    });

    it('yields exactly the oracle’s tasks, in its order, each once', async () => {
      const clock = new FixedClock(NOW);
      const list = new ListTasksUseCase(subject.tasks, clock);
      let paged = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(taskFields, { minLength: 6, maxLength: 24 }),
          aQuery,
          async (fields, query) => {
            run += 1;
            const ownerId = `property-${run}-${Date.now()}`;
            const stored = fields.map((f, i) =>
              aTask()
                .withId(`00000000-0000-4000-8000-${(run * 100 + i).toString().padStart(12, '0')}`)
                .ownedBy(ownerId)
                .with(f)
                .build(),
            );
            for (const task of stored) await subject.tasks.add(task);

            const seen: TaskView[] = [];
            let cursor: string | null = null;
            for (let page = 0; page <= stored.length + 1; page++) {
              const result = await list.execute({
                list: ownTaskList(ownerId, ownerId),
                status: query.status,
                priorities: query.priority,
                tags: query.tag,
                text: query.q,
                dueAfter: query.dueAfter,
                dueBefore: query.dueBefore,
                overdue: query.overdue,
                sort: query.sort as TaskSortField,
                order: query.order,
                limit: query.limit,
                cursor,
              });
              expect(result.items.length).toBeLessThanOrEqual(query.limit);
              seen.push(...result.items);
              cursor = result.nextCursor;
              if (cursor === null) break;
            }
            expect(cursor).toBeNull();
            const now = clock.now();
            const expected = oracle(
              stored.map((t) => t.toSnapshot()),
              query,
              now,
            );
            expect(seen.map((t) => t.id)).toEqual(expected);
            if (expected.length > query.limit) paged += 1;
          },
        ),
        { numRuns: runs, seed: 20261130 },
      );
      // The property has teeth only if many walks took several pages.
      expect(paged).toBeGreaterThan(runs / 4);
    }, 180_000); // hundreds of walks against a real database: slow on a busy machine
  });
}
