import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeEach } from '@jest/globals';
import { asRouted, type Routed } from '../../support/as-routed.js';
import { CreateTaskUseCase } from '../../../src/application/tasks/create-task.use-case.js';
import { ForeignTaskListError } from '../../../src/application/tasks/task.errors.js';
import { InvalidTaskError } from '../../../src/domain/task/task.errors.js';
import { InMemoryIdempotencyStore } from '../../../src/infrastructure/persistence/in-memory/in-memory-idempotency-store.js';
import { InMemoryTaskRepository } from '../../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { SequentialIdGenerator } from '../../support/sequential-id-generator.js';
import { aTask, aTaskView } from '../../support/task-builder.js';

describe('CreateTaskUseCase', () => {
  let tasks: InMemoryTaskRepository;
  let clock: FixedClock;
  let createTask: Routed<CreateTaskUseCase>;
  let me: string;

  beforeEach(() => {
    tasks = new InMemoryTaskRepository();
    clock = new FixedClock('2026-04-01T09:30:00.000Z');
    createTask = asRouted(
      new CreateTaskUseCase(
        tasks,
        new InMemoryIdempotencyStore(),
        clock,
        new SequentialIdGenerator(),
      ),
    );
    me = randomUUID();
  });

  const everyTaskOf = (ownerId: string) =>
    tasks.list({ ownerId, status: 'all', sort: 'createdAt', order: 'asc', limit: 100 });

  it('creates a pending task for the caller and returns its view', async () => {
    const { task: view } = await createTask.execute({
      actorId: me,
      ownerId: me,
      title: '  Call the plumber  ',
      description: 'Kitchen sink',
    });

    expect(view).toEqual(
      aTaskView()
        .withId('00000000-0000-4000-8000-000000000001')
        .ownedBy(me)
        .titled('Call the plumber')
        .describedAs('Kitchen sink')
        .createdAtIso('2026-04-01T09:30:00.000Z')
        .build(),
    );
  });

  it('stores the task so that its owner can find it', async () => {
    const { task: view } = await createTask.execute({
      actorId: me,
      ownerId: me,
      title: 'Water the plants',
    });

    const stored = await tasks.findOwned(me, view.id);
    expect(stored?.toSnapshot()).toEqual(
      aTask()
        .withId(view.id)
        .ownedBy(me)
        .titled('Water the plants')
        .createdAtIso('2026-04-01T09:30:00.000Z')
        .buildSnapshot(),
    );
  });

  it('gives each new task its own id', async () => {
    const { task: first } = await createTask.execute({ actorId: me, ownerId: me, title: 'One' });
    const { task: second } = await createTask.execute({ actorId: me, ownerId: me, title: 'Two' });

    expect(first.id).not.toBe(second.id);
    expect((await everyTaskOf(me)).map((t) => t.id).sort()).toEqual([first.id, second.id].sort());
  });

  it('stores no description when given null', async () => {
    const { task: view } = await createTask.execute({
      actorId: me,
      ownerId: me,
      title: 'Plain',
      description: null,
    });

    expect(view.description).toBeNull();
  });

  it('refuses an invalid task and stores nothing', async () => {
    await expect(
      createTask.execute({ actorId: me, ownerId: me, title: '   ', description: 'x'.repeat(1001) }),
    ).rejects.toMatchObject({
      type: 'InvalidTask',
      violations: expect.arrayContaining([
        expect.objectContaining({ field: 'title' }),
        expect.objectContaining({ field: 'description' }),
      ]),
    });
    await expect(
      createTask.execute({ actorId: me, ownerId: me, title: 'a'.repeat(201) }),
    ).rejects.toBeInstanceOf(InvalidTaskError);

    expect(await everyTaskOf(me)).toEqual([]);
  });

  it("refuses to create a task in another user's list and stores nothing", async () => {
    const someoneElse = randomUUID();

    await expect(
      createTask.execute({ actorId: me, ownerId: someoneElse, title: 'Sneaky' }),
    ).rejects.toBeInstanceOf(ForeignTaskListError);

    expect(await everyTaskOf(someoneElse)).toEqual([]);
    expect(await everyTaskOf(me)).toEqual([]);
  });

  it('answers a foreign list as foreign even when the title is also invalid', async () => {
    await expect(
      createTask.execute({ actorId: me, ownerId: randomUUID(), title: '' }),
    ).rejects.toBeInstanceOf(ForeignTaskListError);
  });
});
