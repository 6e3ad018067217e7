import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import { loadOwnTask, type TaskScope } from './task-scope.js';
import { toTaskView, type TaskView } from './task.view.js';

export class GetTaskUseCase {
  constructor(private readonly tasks: TaskRepository) {}

  async execute(input: TaskScope): Promise<TaskView> {
    return toTaskView(await loadOwnTask(this.tasks, input));
  }
}
