import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { Clock } from '../shared/clock.port.js';
import type { OwnTask } from './own-task-list.js';
import { changeTask } from './task-store.js';
import { toTaskView, type TaskView } from './task.view.js';
import type { VersionCondition } from './version-condition.js';

export interface ToggleTaskInput extends OwnTask {
  readonly condition?: VersionCondition;
}

export class ToggleTaskCompletionUseCase {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: ToggleTaskInput): Promise<TaskView> {
    const task = await changeTask(this.tasks, input, input.condition, (loaded) =>
      loaded.toggleCompletion(this.clock.now()),
    );
    return toTaskView(task);
  }
}
