import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { OwnTask } from './own-task-list.js';
import { loadTask } from './task-store.js';
import { toTaskView, type TaskView } from './task.view.js';

export class GetTaskUseCase {
  constructor(private readonly tasks: TaskRepository) {}

  async execute(input: OwnTask): Promise<TaskView> {
    return toTaskView(await loadTask(this.tasks, input));
  }
}
