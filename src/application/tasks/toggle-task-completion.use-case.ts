import type { OwnTask } from './own-task-list.js';
import { changeTask, type TaskChangeContext } from './task-store.js';
import { toTaskView, type TaskView } from './task.view.js';
import type { VersionCondition } from './version-condition.js';

export interface ToggleTaskInput extends OwnTask {
  readonly condition?: VersionCondition;
}

export class ToggleTaskCompletionUseCase {
  constructor(private readonly context: TaskChangeContext) {}

  async execute(input: ToggleTaskInput): Promise<TaskView> {
    const task = await changeTask(this.context, input, input.condition, (loaded, now) =>
      loaded.toggleCompletion(now),
    );
    return toTaskView(task);
  }
}
