import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeEach } from '@jest/globals';
import { ForeignTaskListError } from '../../../src/application/tasks/task.errors.js';
import { asRouted, type Routed } from '../../support/as-routed.js';
import { ToggleTaskCompletionUseCase } from '../../../src/application/tasks/toggle-task-completion.use-case.js';
import type { Task } from '../../../src/domain/task/task.js';
import { TaskNotFoundError } from '../../../src/domain/task/task.errors.js';
import { InMemoryTaskRepository } from '../../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { aTask, aTaskView } from '../../support/task-builder.js';
import { changeContext } from '../../support/change-context.js';

/** A store where the task is deleted between being read and being saved, as by a concurrent request. */
class DeletedMeanwhileRepository extends InMemoryTaskRepository {
  override async findOwned(ownerId: string, taskId: string): Promise<Task | null> {
    const task = await super.findOwned(ownerId, taskId);
    if (task) await this.removeOwned(ownerId, taskId);
    return task;
  }
}

describe('ToggleTaskCompletionUseCase', () => {
  const CREATED = '2026-06-01T08:00:00.000Z';

  let tasks: InMemoryTaskRepository;
  let clock: FixedClock;
  let toggle: Routed<ToggleTaskCompletionUseCase>;
  let me: string;
  let someoneElse: string;
  let mine: Task;

  beforeEach(async () => {
    tasks = new InMemoryTaskRepository();
    clock = new FixedClock('2026-06-03T17:20:00.000Z');
    toggle = asRouted(new ToggleTaskCompletionUseCase(changeContext(tasks, clock)));
    me = randomUUID();
    someoneElse = randomUUID();
    mine = aTask().ownedBy(me).titled('Feed the cat').createdAtIso(CREATED).build();
    await tasks.add(mine);
  });

  const stored = (ownerId: string, taskId: string) => tasks.findOwned(ownerId, taskId);

  it('completes a pending task, stamps the clock time, saves and returns the view', async () => {
    const view = await toggle.execute({ actorId: me, ownerId: me, taskId: mine.id });

    expect(view).toEqual(
      aTaskView()
        .withId(mine.id)
        .ownedBy(me)
        .titled('Feed the cat')
        .completed()
        .createdAtIso(CREATED)
        .updatedAtIso('2026-06-03T17:20:00.000Z')
        .atVersion(2)
        .build(),
    );
    const saved = await stored(me, mine.id);
    expect(saved?.completed).toBe(true);
    expect(saved?.updatedAt).toEqual(new Date('2026-06-03T17:20:00.000Z'));
  });

  it('makes a completed task pending again on the second toggle', async () => {
    await toggle.execute({ actorId: me, ownerId: me, taskId: mine.id });
    clock.advance(60_000);

    const view = await toggle.execute({ actorId: me, ownerId: me, taskId: mine.id });

    expect(view.completed).toBe(false);
    expect(view.updatedAt).toBe('2026-06-03T17:21:00.000Z');
    expect((await stored(me, mine.id))?.completed).toBe(false);
  });

  it('finds the task by its id in upper case', async () => {
    const view = await toggle.execute({ actorId: me, ownerId: me, taskId: mine.id.toUpperCase() });

    expect(view.id).toBe(mine.id);
    expect((await stored(me, mine.id))?.completed).toBe(true);
  });

  it('is TaskNotFoundError for an id that names no task', async () => {
    await expect(
      toggle.execute({ actorId: me, ownerId: me, taskId: aTask().build().id }),
    ).rejects.toBeInstanceOf(TaskNotFoundError);
  });

  it('is TaskNotFoundError for a malformed task id', async () => {
    await expect(
      toggle.execute({ actorId: me, ownerId: me, taskId: `${mine.id}x` }),
    ).rejects.toBeInstanceOf(TaskNotFoundError);
    expect((await stored(me, mine.id))?.toSnapshot()).toEqual(mine.toSnapshot());
  });

  it("is ForeignTaskListError (answered as not found) when the caller toggles in another user's list, which stays unchanged", async () => {
    const theirs = aTask().ownedBy(someoneElse).build();
    await tasks.add(theirs);

    await expect(
      toggle.execute({ actorId: me, ownerId: someoneElse, taskId: theirs.id }),
    ).rejects.toBeInstanceOf(ForeignTaskListError);

    expect((await stored(someoneElse, theirs.id))?.toSnapshot()).toEqual(theirs.toSnapshot());
  });

  it("is TaskNotFoundError for another user's task named in the caller's own list, which stays unchanged", async () => {
    const theirs = aTask().ownedBy(someoneElse).build();
    await tasks.add(theirs);

    await expect(
      toggle.execute({ actorId: me, ownerId: me, taskId: theirs.id }),
    ).rejects.toBeInstanceOf(TaskNotFoundError);

    expect((await stored(someoneElse, theirs.id))?.toSnapshot()).toEqual(theirs.toSnapshot());
  });

  it('is TaskNotFoundError when the task was deleted between reading and saving', async () => {
    const racing = new DeletedMeanwhileRepository();
    await racing.add(mine);

    await expect(
      asRouted(new ToggleTaskCompletionUseCase(changeContext(racing, clock))).execute({
        actorId: me,
        ownerId: me,
        taskId: mine.id,
      }),
    ).rejects.toBeInstanceOf(TaskNotFoundError);
    expect(await racing.findOwned(me, mine.id)).toBeNull();
  });
});
