import type { TaskChanges } from '../../domain/task/task.js';
import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { Clock } from '../shared/clock.port.js';
import { loadOwnTask, saveOwnTask, type TaskScope } from './task-scope.js';
import { toTaskView, type TaskView } from './task.view.js';

export interface UpdateTaskInput extends TaskScope {
  readonly changes: TaskChanges;
}

/** Changes any of title, description and completed; a full replacement passes all three. */
export class UpdateTaskUseCase {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: UpdateTaskInput): Promise<TaskView> {
    const task = await loadOwnTask(this.tasks, input);
    task.edit(input.changes, this.clock.now());
    await saveOwnTask(this.tasks, task);
    return toTaskView(task);
  }
}
