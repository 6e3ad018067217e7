import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { Clock } from '../shared/clock.port.js';
import { loadOwnTask, saveOwnTask, type TaskScope } from './task-scope.js';
import { toTaskView, type TaskView } from './task.view.js';

export class ToggleTaskCompletionUseCase {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: TaskScope): Promise<TaskView> {
    const task = await loadOwnTask(this.tasks, input);
    task.toggleCompletion(this.clock.now());
    await saveOwnTask(this.tasks, task);
    return toTaskView(task);
  }
}
