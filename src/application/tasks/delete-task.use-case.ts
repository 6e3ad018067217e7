import { TaskNotFoundError } from '../../domain/task/task.errors.js';
import { toTaskId } from '../../domain/task/task-id.js';
import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { TaskScope } from './task-scope.js';

export class DeleteTaskUseCase {
  constructor(private readonly tasks: TaskRepository) {}

  async execute(input: TaskScope): Promise<void> {
    const taskId = toTaskId(input.taskId);
    const mine = input.actorId === input.ownerId && taskId !== null;
    if (!mine || !(await this.tasks.removeOwned(input.ownerId, taskId))) {
      throw new TaskNotFoundError(input.taskId);
    }
  }
}
