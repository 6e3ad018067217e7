import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeEach } from '@jest/globals';
import { ForeignTaskListError } from '../../../src/application/tasks/task.errors.js';
import { asRouted, type Routed } from '../../support/as-routed.js';
import { UpdateTaskUseCase } from '../../../src/application/tasks/update-task.use-case.js';
import type { Task } from '../../../src/domain/task/task.js';
import { InvalidTaskError, TaskNotFoundError } from '../../../src/domain/task/task.errors.js';
import { InMemoryTaskRepository } from '../../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { aTask, aTaskView, type TaskFieldsBuilder } from '../../support/task-builder.js';
import { changeContext } from '../../support/change-context.js';

/** A store where the task is deleted between being read and being saved, as by a concurrent request. */
class DeletedMeanwhileRepository extends InMemoryTaskRepository {
  override async findOwned(ownerId: string, taskId: string): Promise<Task | null> {
    const task = await super.findOwned(ownerId, taskId);
    if (task) await this.removeOwned(ownerId, taskId);
    return task;
  }
}

describe('UpdateTaskUseCase', () => {
  const CREATED = '2026-05-01T12:00:00.000Z';
  const NOW = '2026-05-02T15:45:00.000Z';

  let tasks: InMemoryTaskRepository;
  let clock: FixedClock;
  let updateTask: Routed<UpdateTaskUseCase>;
  let me: string;
  let someoneElse: string;
  let mine: Task;

  beforeEach(async () => {
    tasks = new InMemoryTaskRepository();
    clock = new FixedClock(NOW);
    updateTask = asRouted(new UpdateTaskUseCase(changeContext(tasks, clock)));
    me = randomUUID();
    someoneElse = randomUUID();
    mine = aTask()
      .ownedBy(me)
      .titled('Old title')
      .describedAs('Old description')
      .createdAtIso(CREATED)
      .build();
    await tasks.add(mine);
  });

  const storedSnapshot = async (ownerId: string, taskId: string) =>
    (await tasks.findOwned(ownerId, taskId))?.toSnapshot();

  it('applies the changes, stamps the clock time, saves and returns the view', async () => {
    const view = await updateTask.execute({
      actorId: me,
      ownerId: me,
      taskId: mine.id,
      changes: { title: ' New title ', description: null, completed: true },
    });

    const edited = <B extends TaskFieldsBuilder<unknown>>(builder: B) =>
      builder
        .withId(mine.id)
        .ownedBy(me)
        .titled('New title')
        .completed()
        .createdAtIso(CREATED)
        .updatedAtIso(NOW)
        .atVersion(2);
    expect(view).toEqual(edited(aTaskView()).build());
    expect(await storedSnapshot(me, mine.id)).toEqual(edited(aTask()).buildSnapshot());
  });

  it('changes only the fields given', async () => {
    await updateTask.execute({
      actorId: me,
      ownerId: me,
      taskId: mine.id,
      changes: { description: 'New description' },
    });

    expect(await storedSnapshot(me, mine.id)).toMatchObject({
      title: 'Old title',
      description: 'New description',
      completed: false,
    });
  });

  it('finds the task by its id in upper case', async () => {
    const view = await updateTask.execute({
      actorId: me,
      ownerId: me,
      taskId: mine.id.toUpperCase(),
      changes: { completed: true },
    });

    expect(view.id).toBe(mine.id);
    expect((await storedSnapshot(me, mine.id))?.completed).toBe(true);
  });

  it('keeps updatedAt when nothing actually changes', async () => {
    const view = await updateTask.execute({
      actorId: me,
      ownerId: me,
      taskId: mine.id,
      changes: { title: 'Old title', description: 'Old description', completed: false },
    });

    expect(view.updatedAt).toBe(CREATED);
    expect(await storedSnapshot(me, mine.id)).toEqual(mine.toSnapshot());
  });

  it('refuses invalid changes and leaves the stored task as it was', async () => {
    await expect(
      updateTask.execute({
        actorId: me,
        ownerId: me,
        taskId: mine.id,
        changes: { title: '', description: 'A valid new description', completed: true },
      }),
    ).rejects.toBeInstanceOf(InvalidTaskError);

    expect(await storedSnapshot(me, mine.id)).toEqual(mine.toSnapshot());
  });

  it('is TaskNotFoundError for an id that names no task', async () => {
    await expect(
      updateTask.execute({
        actorId: me,
        ownerId: me,
        taskId: aTask().build().id,
        changes: { title: 'Anything' },
      }),
    ).rejects.toBeInstanceOf(TaskNotFoundError);
  });

  it('is TaskNotFoundError for a malformed task id', async () => {
    await expect(
      updateTask.execute({ actorId: me, ownerId: me, taskId: '123', changes: { title: 'x' } }),
    ).rejects.toMatchObject({ type: 'TaskNotFound', taskId: '123' });
  });

  it("is ForeignTaskListError (answered as not found) when the caller edits in another user's list, which stays unchanged", async () => {
    const theirs = aTask().ownedBy(someoneElse).titled('Theirs').build();
    await tasks.add(theirs);

    await expect(
      updateTask.execute({
        actorId: me,
        ownerId: someoneElse,
        taskId: theirs.id,
        changes: { title: 'Hijacked', completed: true },
      }),
    ).rejects.toBeInstanceOf(ForeignTaskListError);

    expect(await storedSnapshot(someoneElse, theirs.id)).toEqual(theirs.toSnapshot());
  });

  it("is TaskNotFoundError for another user's task named in the caller's own list, which stays unchanged", async () => {
    const theirs = aTask().ownedBy(someoneElse).titled('Theirs').build();
    await tasks.add(theirs);

    await expect(
      updateTask.execute({
        actorId: me,
        ownerId: me,
        taskId: theirs.id,
        changes: { title: 'Hijacked', completed: true },
      }),
    ).rejects.toBeInstanceOf(TaskNotFoundError);

    expect(await storedSnapshot(someoneElse, theirs.id)).toEqual(theirs.toSnapshot());
  });

  it('is TaskNotFoundError when the task was deleted between reading and saving', async () => {
    const racing = new DeletedMeanwhileRepository();
    await racing.add(mine);

    await expect(
      asRouted(new UpdateTaskUseCase(changeContext(racing, clock))).execute({
        actorId: me,
        ownerId: me,
        taskId: mine.id,
        changes: { title: 'Too late' },
      }),
    ).rejects.toBeInstanceOf(TaskNotFoundError);
    expect(await racing.findOwned(me, mine.id)).toBeNull();
  });
});
