import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { Clock } from '../shared/clock.port.js';
import type { OwnTask } from './own-task-list.js';
import { loadTask, saveTask } from './task-store.js';
import { toTaskView, type TaskView } from './task.view.js';

export class ToggleTaskCompletionUseCase {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: OwnTask): Promise<TaskView> {
    const task = await loadTask(this.tasks, input);
    task.toggleCompletion(this.clock.now());
    await saveTask(this.tasks, task);
    return toTaskView(task);
  }
}
