import { describe, expect, it, beforeEach } from '@jest/globals';
import { DeleteTaskUseCase } from '../../../src/application/tasks/delete-task.use-case.js';
import {
  TaskChangedError,
  WriteConflictError,
} from '../../../src/application/tasks/task.errors.js';
import { ToggleTaskCompletionUseCase } from '../../../src/application/tasks/toggle-task-completion.use-case.js';
import { UpdateTaskUseCase } from '../../../src/application/tasks/update-task.use-case.js';
import type { Task } from '../../../src/domain/task/task.js';
import { InMemoryTaskRepository } from '../../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';
import { asRouted } from '../../support/as-routed.js';
import { FixedClock } from '../../support/fixed-clock.js';
import { aTask } from '../../support/task-builder.js';
import { changeContext } from '../../support/change-context.js';

const ME = 'user-me';

/** A store where another writer changes the task right after each of the first `races` reads. */
class ContendedRepository extends InMemoryTaskRepository {
  reads = 0;

  constructor(
    private races: number,
    private readonly clock: FixedClock,
  ) {
    super();
  }

  override async findOwned(ownerId: string, taskId: string): Promise<Task | null> {
    const task = await super.findOwned(ownerId, taskId);
    this.reads += 1;
    if (task && this.races > 0) {
      this.races -= 1;
      const other = await super.findOwned(ownerId, taskId);
      if (!other) return task;
      const read = other.version;
      other.edit({ description: `other writer ${this.reads}` }, this.clock.now());
      await super.update(other, read);
    }
    return task;
  }
}

describe('writes that read, change and save', () => {
  let clock: FixedClock;
  let mine: Task;

  beforeEach(() => {
    clock = new FixedClock('2026-06-01T00:00:00.000Z');
    mine = aTask().ownedBy(ME).titled('Contended').build();
  });

  it('start again from a fresh read when another write came first, and keep both changes', async () => {
    const tasks = new ContendedRepository(2, clock);
    await tasks.add(mine);
    const update = asRouted(new UpdateTaskUseCase(changeContext(tasks, clock)));

    const view = await update.execute({
      actorId: ME,
      ownerId: ME,
      taskId: mine.id,
      changes: { title: 'Mine' },
    });

    expect(tasks.reads).toBe(3);
    expect(view).toMatchObject({ title: 'Mine', description: 'other writer 2', version: 4 });
    expect((await tasks.findOwned(ME, mine.id))?.toSnapshot()).toMatchObject({
      title: 'Mine',
      description: 'other writer 2',
    });
  });

  it('give up with WriteConflictError, saving nothing, when other writes keep winning', async () => {
    const tasks = new ContendedRepository(Number.POSITIVE_INFINITY, clock);
    await tasks.add(mine);
    const toggle = asRouted(new ToggleTaskCompletionUseCase(changeContext(tasks, clock)));

    await expect(
      toggle.execute({ actorId: ME, ownerId: ME, taskId: mine.id }),
    ).rejects.toBeInstanceOf(WriteConflictError);
    expect((await tasks.findOwned(ME, mine.id))?.completed).toBe(false);
  });

  it('refuse a change when the task is no longer at a version If-Match names', async () => {
    const tasks = new InMemoryTaskRepository();
    await tasks.add(mine);
    const update = asRouted(new UpdateTaskUseCase(changeContext(tasks, clock)));

    await expect(
      update.execute({
        actorId: ME,
        ownerId: ME,
        taskId: mine.id,
        changes: { title: 'Stale edit' },
        condition: { kind: 'one-of', versions: [7] },
      }),
    ).rejects.toBeInstanceOf(TaskChangedError);
    await expect(
      update.execute({
        actorId: ME,
        ownerId: ME,
        taskId: mine.id,
        changes: { title: 'Fresh edit' },
        condition: { kind: 'one-of', versions: [1] },
      }),
    ).resolves.toMatchObject({ title: 'Fresh edit', version: 2 });
  });

  it('refuse a conditional change that loses a race, instead of retrying it', async () => {
    const tasks = new ContendedRepository(1, clock);
    await tasks.add(mine);
    const toggle = asRouted(new ToggleTaskCompletionUseCase(changeContext(tasks, clock)));

    await expect(
      toggle.execute({
        actorId: ME,
        ownerId: ME,
        taskId: mine.id,
        condition: { kind: 'one-of', versions: [1] },
      }),
    ).rejects.toBeInstanceOf(TaskChangedError);
  });

  it('delete only at a version If-Match names', async () => {
    const tasks = new InMemoryTaskRepository();
    await tasks.add(mine);
    const remove = asRouted(new DeleteTaskUseCase(tasks));

    await expect(
      remove.execute({
        actorId: ME,
        ownerId: ME,
        taskId: mine.id,
        condition: { kind: 'one-of', versions: [2] },
      }),
    ).rejects.toBeInstanceOf(TaskChangedError);
    await expect(
      remove.execute({ actorId: ME, ownerId: ME, taskId: mine.id, condition: { kind: 'any' } }),
    ).resolves.toBeUndefined();
    await expect(tasks.findOwned(ME, mine.id)).resolves.toBeNull();
  });
});
