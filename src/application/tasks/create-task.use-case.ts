import { Task } from '../../domain/task/task.js';
import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { Clock } from '../shared/clock.port.js';
import type { IdGenerator } from '../shared/id-generator.port.js';
import { assertOwnList, type TaskListScope } from './task-scope.js';
import { toTaskView, type TaskView } from './task.view.js';

export interface CreateTaskInput extends TaskListScope {
  readonly title: string;
  readonly description?: string | null;
}

export class CreateTaskUseCase {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async execute(input: CreateTaskInput): Promise<TaskView> {
    assertOwnList(input);
    const task = Task.create({
      id: this.ids.next(),
      ownerId: input.ownerId,
      title: input.title,
      description: input.description ?? null,
      now: this.clock.now(),
    });
    await this.tasks.add(task);
    return toTaskView(task);
  }
}
