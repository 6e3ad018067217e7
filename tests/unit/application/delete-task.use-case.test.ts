import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeEach } from '@jest/globals';
import { ForeignTaskListError } from '../../../src/application/tasks/task.errors.js';
import { asRouted, type Routed } from '../../support/as-routed.js';
import { DeleteTaskUseCase } from '../../../src/application/tasks/delete-task.use-case.js';
import type { Task } from '../../../src/domain/task/task.js';
import { TaskNotFoundError } from '../../../src/domain/task/task.errors.js';
import { InMemoryTaskRepository } from '../../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { aTask } from '../../support/task-builder.js';

describe('DeleteTaskUseCase', () => {
  let tasks: InMemoryTaskRepository;
  let deleteTask: Routed<DeleteTaskUseCase>;
  let me: string;
  let someoneElse: string;
  let mine: Task;

  beforeEach(async () => {
    tasks = new InMemoryTaskRepository();
    deleteTask = asRouted(new DeleteTaskUseCase(tasks));
    me = randomUUID();
    someoneElse = randomUUID();
    mine = aTask().ownedBy(me).build();
    await tasks.add(mine);
  });

  it("deletes the caller's own task", async () => {
    await expect(
      deleteTask.execute({ actorId: me, ownerId: me, taskId: mine.id }),
    ).resolves.toBeUndefined();

    expect(await tasks.findOwned(me, mine.id)).toBeNull();
  });

  it('deletes only the task named', async () => {
    const other = aTask().ownedBy(me).build();
    await tasks.add(other);

    await deleteTask.execute({ actorId: me, ownerId: me, taskId: mine.id });

    expect((await tasks.findOwned(me, other.id))?.toSnapshot()).toEqual(other.toSnapshot());
  });

  it('finds the task by its id in upper case', async () => {
    await deleteTask.execute({ actorId: me, ownerId: me, taskId: mine.id.toUpperCase() });

    expect(await tasks.findOwned(me, mine.id)).toBeNull();
  });

  it('is TaskNotFoundError the second time', async () => {
    await deleteTask.execute({ actorId: me, ownerId: me, taskId: mine.id });

    await expect(
      deleteTask.execute({ actorId: me, ownerId: me, taskId: mine.id }),
    ).rejects.toBeInstanceOf(TaskNotFoundError);
  });

  it('is TaskNotFoundError for an id that names no task', async () => {
    await expect(
      deleteTask.execute({ actorId: me, ownerId: me, taskId: aTask().build().id }),
    ).rejects.toBeInstanceOf(TaskNotFoundError);
  });

  it('is TaskNotFoundError for a malformed task id', async () => {
    await expect(
      deleteTask.execute({ actorId: me, ownerId: me, taskId: 'drop table tasks' }),
    ).rejects.toMatchObject({ type: 'TaskNotFound', taskId: 'drop table tasks' });
    expect(await tasks.findOwned(me, mine.id)).not.toBeNull();
  });

  it("is ForeignTaskListError (answered as not found) when the caller deletes in another user's list, which stays unchanged", async () => {
    const theirs = aTask().ownedBy(someoneElse).build();
    await tasks.add(theirs);

    await expect(
      deleteTask.execute({ actorId: me, ownerId: someoneElse, taskId: theirs.id }),
    ).rejects.toBeInstanceOf(ForeignTaskListError);

    expect((await tasks.findOwned(someoneElse, theirs.id))?.toSnapshot()).toEqual(
      theirs.toSnapshot(),
    );
  });

  it("is TaskNotFoundError for another user's task named in the caller's own list, which stays unchanged", async () => {
    const theirs = aTask().ownedBy(someoneElse).build();
    await tasks.add(theirs);

    await expect(
      deleteTask.execute({ actorId: me, ownerId: me, taskId: theirs.id }),
    ).rejects.toBeInstanceOf(TaskNotFoundError);

    expect((await tasks.findOwned(someoneElse, theirs.id))?.toSnapshot()).toEqual(
      theirs.toSnapshot(),
    );
  });
});
