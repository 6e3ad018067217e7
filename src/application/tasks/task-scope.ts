import type { Task } from '../../domain/task/task.js';
import { TaskNotFoundError } from '../../domain/task/task.errors.js';
import { toTaskId } from '../../domain/task/task-id.js';
import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import { ForeignTaskListError } from './task.errors.js';

/** Who is calling (from the token) and whose tasks the path names. */
export interface TaskListScope {
  readonly actorId: string;
  readonly ownerId: string;
}

export interface TaskScope extends TaskListScope {
  readonly taskId: string;
}

/** Users work on their own list only; anything else is answered as "not found". */
export function assertOwnList(scope: TaskListScope): void {
  if (scope.actorId !== scope.ownerId) throw new ForeignTaskListError(scope.actorId, scope.ownerId);
}

/** Loads the caller's own task, or throws TaskNotFoundError whatever the reason it is not theirs. */
export async function loadOwnTask(repository: TaskRepository, scope: TaskScope): Promise<Task> {
  const taskId = toTaskId(scope.taskId);
  if (scope.actorId !== scope.ownerId || taskId === null) throw new TaskNotFoundError(scope.taskId);
  const task = await repository.findOwned(scope.ownerId, taskId);
  if (task === null) throw new TaskNotFoundError(scope.taskId);
  return task;
}

/** Saves a loaded task; it may have been deleted meanwhile, which reads as "not found". */
export async function saveOwnTask(repository: TaskRepository, task: Task): Promise<void> {
  if (!(await repository.update(task))) throw new TaskNotFoundError(task.id);
}
