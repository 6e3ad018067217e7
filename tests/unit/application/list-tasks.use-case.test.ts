import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeEach } from '@jest/globals';
import { asRouted, type Routed } from '../../support/as-routed.js';
import { ListTasksUseCase } from '../../../src/application/tasks/list-tasks.use-case.js';
import { toTaskView } from '../../../src/application/tasks/task.view.js';
import {
  ForeignTaskListError,
  InvalidCursorError,
} from '../../../src/application/tasks/task.errors.js';
import { Task, type TaskSnapshot } from '../../../src/domain/task/task.js';
import type { SortOrder, TaskStatusFilter } from '../../../src/domain/task/task-repository.port.js';
import { InMemoryTaskRepository } from '../../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { aTask } from '../../support/task-builder.js';

/** Set TEST_SEED to replay a failing run; the seed is part of the suite's name. */
const SEED = Number(process.env.TEST_SEED ?? 20260101);

/** mulberry32: a tiny seeded generator, so the random data reproduces. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Few distinct values, so sort values tie and the id must break the ties. The titles differ in
// UTF-16 order and code point order ('ｚ' U+FF5A sorts before '😀' by UTF-16 units, after by code point).
const TITLES = ['apple', 'Apple', 'banana', 'ｚebra', '😀 party', 'élan', 'a', 'a b', 'Zulu'];
const TIMES = [
  '2026-01-01T00:00:00.000Z',
  '2026-01-01T00:00:00.001Z',
  '2026-01-02T12:30:00.000Z',
  '2026-02-14T08:15:42.123Z',
];

const SORTS: ('createdAt' | 'updatedAt' | 'title')[] = ['createdAt', 'updatedAt', 'title'];
const ORDERS: SortOrder[] = ['asc', 'desc'];
const STATUSES: TaskStatusFilter[] = ['all', 'pending', 'completed'];
const ORDERINGS = SORTS.flatMap((sort) => ORDERS.map((order) => ({ sort, order })));

function randomTasks(random: () => number, ownerId: string, count: number): TaskSnapshot[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const hex = (length: number) =>
    Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
  return Array.from({ length: count }, () => {
    const created = pick(TIMES);
    const updated = pick(TIMES.filter((t) => t >= created));
    let builder = aTask()
      .withId(`${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`)
      .ownedBy(ownerId)
      .titled(pick(TITLES))
      .createdAtIso(created)
      .updatedAtIso(updated);
    if (random() < 0.5) builder = builder.completed();
    return builder.build().toSnapshot();
  });
}

/** Compares by code point, independently of how the repository does it. */
function compareCodePoints(a: string, b: string): number {
  const left = [...a].map((c) => c.codePointAt(0) ?? 0);
  const right = [...b].map((c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

/** The ids the whole listing should yield, in order. */
function expectedIds(
  tasks: TaskSnapshot[],
  status: TaskStatusFilter,
  sort: 'createdAt' | 'updatedAt' | 'title',
  order: SortOrder,
): string[] {
  const direction = order === 'asc' ? 1 : -1;
  const value = (t: TaskSnapshot, u: TaskSnapshot): number =>
    sort === 'title' ? compareCodePoints(t.title, u.title) : t[sort].getTime() - u[sort].getTime();
  return tasks
    .filter((t) => status === 'all' || t.completed === (status === 'completed'))
    .sort((t, u) => direction * (value(t, u) || compareCodePoints(t.id, u.id)))
    .map((t) => t.id);
}

function encode(payload: unknown): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

describe(`ListTasksUseCase (seed ${SEED})`, () => {
  let tasks: InMemoryTaskRepository;
  let listTasks: Routed<ListTasksUseCase>;
  let me: string;
  let someoneElse: string;

  beforeEach(() => {
    tasks = new InMemoryTaskRepository();
    listTasks = asRouted(new ListTasksUseCase(tasks, new FixedClock()));
    me = randomUUID();
    someoneElse = randomUUID();
  });

  type Query = Parameters<Routed<ListTasksUseCase>['execute']>[0];

  const query = (overrides: Partial<Query> = {}): Query => ({
    actorId: me,
    ownerId: me,
    status: 'all',
    sort: 'createdAt',
    order: 'asc',
    limit: 20,
    cursor: null,
    ...overrides,
  });

  /** Follows nextCursor to the end; returns every page's ids. */
  async function walk(input: Query, maxPages: number): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page = await listTasks.execute({ ...input, cursor });
      pages.push(page.items.map((item) => item.id));
      cursor = page.nextCursor;
      if (pages.length > maxPages) throw new Error(`still paging after ${maxPages} pages`);
    } while (cursor !== null);
    return pages;
  }

  async function store(snapshots: TaskSnapshot[]): Promise<void> {
    for (const snapshot of snapshots) await tasks.add(Task.fromSnapshot(snapshot));
  }

  describe('walking every page', () => {
    let mine: TaskSnapshot[];

    beforeEach(async () => {
      const random = seededRandom(SEED);
      mine = randomTasks(random, me, 37);
      await store(mine);
      await store(randomTasks(random, someoneElse, 11));
    });

    describe.each(SORTS)('sorted by %s', (sort) => {
      describe.each(ORDERS)('%s', (order) => {
        it.each(STATUSES.flatMap((status) => [1, 4, 10].map((limit) => ({ status, limit }))))(
          'yields each $status task exactly once, in order, $limit per page',
          async ({ status, limit }) => {
            const expected = expectedIds(mine, status, sort, order);
            expect(expected.length).toBeGreaterThan(0);

            const pages = await walk(query({ status, sort, order, limit }), expected.length + 1);

            expect(pages.flat()).toEqual(expected);
            expect(new Set(pages.flat()).size).toBe(expected.length);
            expect(pages).toHaveLength(Math.ceil(expected.length / limit));
            for (const page of pages) expect(page.length).toBeLessThanOrEqual(limit);
          },
        );
      });
    });
  });

  it("returns only the owner's tasks, as views", async () => {
    const task = aTask()
      .ownedBy(me)
      .titled('Mine')
      .describedAs('Details')
      .completed()
      .createdAtIso('2026-01-05T06:07:08.009Z')
      .updatedAtIso('2026-01-06T06:07:08.009Z')
      .build();
    await tasks.add(task);
    await tasks.add(aTask().ownedBy(someoneElse).titled('Theirs').build());

    const page = await listTasks.execute(query());

    expect(page).toEqual({ items: [toTaskView(task)], nextCursor: null });
  });

  it('returns an empty last page when the owner has no tasks', async () => {
    await tasks.add(aTask().ownedBy(someoneElse).build());

    await expect(listTasks.execute(query())).resolves.toEqual({ items: [], nextCursor: null });
  });

  it('filters by status', async () => {
    const pending = aTask().ownedBy(me).build();
    const done = aTask().ownedBy(me).completed().build();
    await store([pending.toSnapshot(), done.toSnapshot()]);

    const pendingPage = await listTasks.execute(query({ status: 'pending' }));
    const completedPage = await listTasks.execute(query({ status: 'completed' }));

    expect(pendingPage.items.map((t) => t.id)).toEqual([pending.id]);
    expect(completedPage.items.map((t) => t.id)).toEqual([done.id]);
  });

  it('gives no cursor when the last page is exactly full', async () => {
    for (let i = 0; i < 4; i++) await tasks.add(aTask().ownedBy(me).build());

    const first = await listTasks.execute(query({ limit: 2 }));
    const second = await listTasks.execute(query({ limit: 2, cursor: first.nextCursor }));

    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
  });

  it("is ForeignTaskListError for another user's list", async () => {
    await tasks.add(aTask().ownedBy(someoneElse).build());

    await expect(
      listTasks.execute(query({ actorId: me, ownerId: someoneElse })),
    ).rejects.toBeInstanceOf(ForeignTaskListError);
  });

  describe('cursors', () => {
    let titleAscCursor: string;

    beforeEach(async () => {
      for (const title of ['c', 'a', 'b'])
        await tasks.add(aTask().ownedBy(me).titled(title).build());
      const first = await listTasks.execute(query({ sort: 'title', order: 'asc', limit: 1 }));
      expect(first.nextCursor).not.toBeNull();
      titleAscCursor = first.nextCursor ?? '';
    });

    it('continues where the previous page ended', async () => {
      const next = await listTasks.execute(
        query({ sort: 'title', order: 'asc', limit: 1, cursor: titleAscCursor }),
      );

      expect(next.items.map((t) => t.title)).toEqual(['b']);
    });

    it.each(
      ORDERINGS.flatMap((issued) => ORDERINGS.map((used) => ({ issued, used }))).filter(
        ({ issued, used }) => issued.sort !== used.sort || issued.order !== used.order,
      ),
    )(
      'refuses a cursor issued for $issued.sort $issued.order when listing by $used.sort $used.order',
      async ({ issued, used }) => {
        const first = await listTasks.execute(query({ ...issued, limit: 1 }));
        expect(first.nextCursor).not.toBeNull();

        await expect(
          listTasks.execute(query({ ...used, limit: 1, cursor: first.nextCursor })),
        ).rejects.toBeInstanceOf(InvalidCursorError);
      },
    );

    it('refuses an overlong cursor even when it is well-formed', async () => {
      const cursor = encode({ s: 'title', o: 'asc', v: 'a'.repeat(3000), i: 'x' });

      await expect(
        listTasks.execute(query({ sort: 'title', order: 'asc', cursor })),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('accepts the cursor after a task with the longest title allowed', async () => {
      const longest = '😀'.repeat(200);
      await tasks.add(aTask().ownedBy(me).titled(longest).build());
      await tasks.add(aTask().ownedBy(me).titled('😀😀').build());

      const first = await listTasks.execute(query({ sort: 'title', order: 'desc', limit: 1 }));
      const second = await listTasks.execute(
        query({ sort: 'title', order: 'desc', limit: 1, cursor: first.nextCursor }),
      );

      expect(first.items.map((t) => t.title)).toEqual([longest]);
      expect(second.items.map((t) => t.title)).toEqual(['😀😀']);
    });

    it.each([
      ['a word', 'garbage'],
      ['an empty string', ''],
      ['punctuation', '!!!***'],
      ['an overlong string', 'A'.repeat(4096)],
      ['encoded null', encode(null)],
      ['an encoded array', encode(['title', 'asc', 'a', 'id'])],
      ['a payload missing the id', encode({ s: 'title', o: 'asc', v: 'a' })],
      ['a payload with a numeric value', encode({ s: 'title', o: 'asc', v: 1, i: 'x' })],
      ['an unknown sort', encode({ s: 'priority', o: 'asc', v: 'a', i: 'x' })],
      ['an unknown order', encode({ s: 'title', o: 'up', v: 'a', i: 'x' })],
    ])('refuses %s as a cursor', async (_label, cursor) => {
      await expect(
        listTasks.execute(query({ sort: 'title', order: 'asc', cursor })),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    });

    const SOME_ID = '00000000-0000-4000-8000-000000000000';
    it.each([
      [
        'an id that is no task id',
        { s: 'createdAt', o: 'asc', v: '2026-01-01T00:00:00.000Z', i: 'zzz' },
      ],
      [
        'a date past year 9999',
        { s: 'createdAt', o: 'asc', v: '+275760-09-13T00:00:00.000Z', i: SOME_ID },
      ],
      [
        'a date in another format',
        { s: 'createdAt', o: 'asc', v: '2026-01-01T00:00:00Z', i: SOME_ID },
      ],
      ['a title with a NUL', { s: 'title', o: 'asc', v: 'a\u0000', i: SOME_ID }],
      ['a title no task could have', { s: 'title', o: 'asc', v: 'a'.repeat(201), i: SOME_ID }],
    ])('refuses a cursor with %s, before any query', async (_label, payload) => {
      const cursor = encode(payload);

      await expect(
        listTasks.execute(query({ sort: payload.s as 'title', order: 'asc', cursor })),
      ).rejects.toMatchObject({ type: 'InvalidCursor' });
    });

    it('refuses a date cursor whose value is not a date', async () => {
      const cursor = encode({ s: 'createdAt', o: 'asc', v: 'yesterday-ish', i: 'x' });

      await expect(
        listTasks.execute(query({ sort: 'createdAt', order: 'asc', cursor })),
      ).rejects.toMatchObject({ type: 'InvalidCursor' });
    });
  });
});
