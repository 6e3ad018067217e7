import type { TaskChanges } from '../../domain/task/task.js';
import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { Clock } from '../shared/clock.port.js';
import type { OwnTask } from './own-task-list.js';
import { changeTask } from './task-store.js';
import { toTaskView, type TaskView } from './task.view.js';
import type { VersionCondition } from './version-condition.js';

export interface UpdateTaskInput extends OwnTask {
  readonly changes: TaskChanges;
  readonly condition?: VersionCondition;
}

/** Changes any of the editable fields; a full replacement passes all of them. */
export class UpdateTaskUseCase {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: UpdateTaskInput): Promise<TaskView> {
    const task = await changeTask(this.tasks, input, input.condition, (loaded) =>
      loaded.edit(input.changes, this.clock.now()),
    );
    return toTaskView(task);
  }
}
