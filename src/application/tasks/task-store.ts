import type { Task } from '../../domain/task/task.js';
import { TaskNotFoundError } from '../../domain/task/task.errors.js';
import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { OwnTask } from './own-task-list.js';

/** Loads a task of the caller's list, or throws TaskNotFoundError. */
export async function loadTask(
  repository: TaskRepository,
  { list, taskId }: OwnTask,
): Promise<Task> {
  const task = await repository.findOwned(list.ownerId, taskId);
  if (task === null) throw new TaskNotFoundError(taskId);
  return task;
}

/** Saves a loaded task; it may have been deleted meanwhile, which reads as "not found". */
export async function saveTask(repository: TaskRepository, task: Task): Promise<void> {
  if (!(await repository.update(task))) throw new TaskNotFoundError(task.id);
}
