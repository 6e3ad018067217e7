import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeEach } from '@jest/globals';
import { ForeignTaskListError } from '../../../src/application/tasks/task.errors.js';
import { asRouted, type Routed } from '../../support/as-routed.js';
import { GetTaskUseCase } from '../../../src/application/tasks/get-task.use-case.js';
import { toTaskView } from '../../../src/application/tasks/task.view.js';
import { TaskNotFoundError } from '../../../src/domain/task/task.errors.js';
import { InMemoryTaskRepository } from '../../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { aTask } from '../../support/task-builder.js';

describe('GetTaskUseCase', () => {
  let tasks: InMemoryTaskRepository;
  let getTask: Routed<GetTaskUseCase>;
  let me: string;
  let someoneElse: string;

  beforeEach(() => {
    tasks = new InMemoryTaskRepository();
    getTask = asRouted(new GetTaskUseCase(tasks));
    me = randomUUID();
    someoneElse = randomUUID();
  });

  it("returns the caller's own task as a view", async () => {
    const task = aTask()
      .ownedBy(me)
      .titled('Renew passport')
      .describedAs('Photos first')
      .completed()
      .createdAtIso('2026-02-01T10:00:00.000Z')
      .updatedAtIso('2026-02-03T11:00:00.000Z')
      .build();
    await tasks.add(task);

    const view = await getTask.execute({ actorId: me, ownerId: me, taskId: task.id });

    expect(view).toEqual(toTaskView(task));
  });

  it('finds the task by its id in upper case', async () => {
    const task = aTask().ownedBy(me).build();
    await tasks.add(task);

    const view = await getTask.execute({ actorId: me, ownerId: me, taskId: task.id.toUpperCase() });

    expect(view.id).toBe(task.id);
  });

  it('is TaskNotFoundError for an id that names no task', async () => {
    const missing = aTask().build().id;

    await expect(
      getTask.execute({ actorId: me, ownerId: me, taskId: missing }),
    ).rejects.toBeInstanceOf(TaskNotFoundError);
  });

  it('is TaskNotFoundError for a malformed task id', async () => {
    await expect(
      getTask.execute({ actorId: me, ownerId: me, taskId: 'not-a-uuid' }),
    ).rejects.toMatchObject({ type: 'TaskNotFound', taskId: 'not-a-uuid' });
  });

  it("is TaskNotFoundError when the caller asks another user's list for that user's task", async () => {
    const theirs = aTask().ownedBy(someoneElse).build();
    await tasks.add(theirs);

    await expect(
      getTask.execute({ actorId: me, ownerId: someoneElse, taskId: theirs.id }),
    ).rejects.toBeInstanceOf(ForeignTaskListError);
  });

  it("is TaskNotFoundError for another user's task asked in the caller's own list", async () => {
    const theirs = aTask().ownedBy(someoneElse).build();
    await tasks.add(theirs);

    await expect(
      getTask.execute({ actorId: me, ownerId: me, taskId: theirs.id }),
    ).rejects.toBeInstanceOf(TaskNotFoundError);
    expect((await tasks.findOwned(someoneElse, theirs.id))?.toSnapshot()).toEqual(
      theirs.toSnapshot(),
    );
  });

  it('is ForeignTaskListError (answered as not found) when the path names the caller as owner but the actor differs', async () => {
    const mine = aTask().ownedBy(me).build();
    await tasks.add(mine);

    await expect(
      getTask.execute({ actorId: someoneElse, ownerId: me, taskId: mine.id }),
    ).rejects.toBeInstanceOf(ForeignTaskListError);
  });
});
