import { TaskNotFoundError } from '../../domain/task/task.errors.js';
import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { OwnTask } from './own-task-list.js';
import { TaskChangedError } from './task.errors.js';
import type { VersionCondition } from './version-condition.js';

export interface DeleteTaskInput extends OwnTask {
  readonly condition?: VersionCondition;
}

export class DeleteTaskUseCase {
  constructor(private readonly tasks: TaskRepository) {}

  /** One statement: with If-Match versions, the task is deleted only while it is at one of them. */
  async execute({ list, taskId, condition }: DeleteTaskInput): Promise<void> {
    const versions = condition?.kind === 'one-of' ? condition.versions : undefined;
    const outcome = await this.tasks.removeOwned(list.ownerId, taskId, versions);
    if (outcome === 'missing') throw new TaskNotFoundError(taskId);
    if (outcome === 'changed') throw new TaskChangedError(taskId);
  }
}
