import { TaskNotFoundError } from '../../domain/task/task.errors.js';
import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { OwnTask } from './own-task-list.js';

export class DeleteTaskUseCase {
  constructor(private readonly tasks: TaskRepository) {}

  async execute({ list, taskId }: OwnTask): Promise<void> {
    if (!(await this.tasks.removeOwned(list.ownerId, taskId))) throw new TaskNotFoundError(taskId);
  }
}
