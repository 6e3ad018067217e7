import type { Task } from '../../domain/task/task.js';
import { TaskNotFoundError } from '../../domain/task/task.errors.js';
import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { OwnTask } from './own-task-list.js';
import { TaskChangedError, WriteConflictError } from './task.errors.js';
import { allows, type VersionCondition } from './version-condition.js';

/** Tries before a write that keeps losing to concurrent writes gives up (409). */
const MAX_WRITE_ATTEMPTS = 10;

/** Loads a task of the caller's list, or throws TaskNotFoundError. */
export async function loadTask(
  repository: TaskRepository,
  { list, taskId }: OwnTask,
): Promise<Task> {
  const task = await repository.findOwned(list.ownerId, taskId);
  if (task === null) throw new TaskNotFoundError(taskId);
  return task;
}

/**
 * Reads the task, applies `change` and saves it only if nobody wrote it in between; when someone
 * did, starts again from a fresh read, so concurrent writes end as if they ran one after another.
 * A `condition` (If-Match) is checked against each fresh read: a task that changed is refused.
 */
export async function changeTask(
  repository: TaskRepository,
  target: OwnTask,
  condition: VersionCondition | undefined,
  change: (task: Task) => void,
): Promise<Task> {
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const task = await loadTask(repository, target);
    if (!allows(condition, task.version)) throw new TaskChangedError(target.taskId);
    const read = task.version;
    change(task);
    if (task.version === read) return task; // nothing changed, nothing to save
    const outcome = await repository.update(task, read);
    if (outcome === 'done') return task;
    if (outcome === 'missing') throw new TaskNotFoundError(target.taskId);
    await pause(attempt);
  }
  throw new WriteConflictError(target.taskId);
}

/** A short random wait that grows with each attempt, so racing writers stop colliding. */
function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** Math.min(attempt, 7)));
}
