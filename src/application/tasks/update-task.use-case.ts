import type { TaskChanges } from '../../domain/task/task.js';
import type { OwnTask } from './own-task-list.js';
import { changeTask, type TaskChangeContext } from './task-store.js';
import { toTaskView, type TaskView } from './task.view.js';
import type { VersionCondition } from './version-condition.js';

export interface UpdateTaskInput extends OwnTask {
  readonly changes: TaskChanges;
  readonly condition?: VersionCondition;
}

/** Changes any of the editable fields; a full replacement passes all of them. */
export class UpdateTaskUseCase {
  constructor(private readonly context: TaskChangeContext) {}

  async execute(input: UpdateTaskInput): Promise<TaskView> {
    const task = await changeTask(this.context, input, input.condition, (loaded, now) =>
      loaded.edit(input.changes, now),
    );
    return toTaskView(task);
  }
}
