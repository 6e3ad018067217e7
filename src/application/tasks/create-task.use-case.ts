import { Task } from '../../domain/task/task.js';
import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { Clock } from '../shared/clock.port.js';
import type { IdGenerator } from '../shared/id-generator.port.js';
import type { OwnTaskList } from './own-task-list.js';
import { TaskLimitReachedError } from './task.errors.js';
import { toTaskView, type TaskView } from './task.view.js';

export interface CreateTaskInput {
  readonly list: OwnTaskList;
  readonly title: string;
  readonly description?: string | null;
}

export class CreateTaskUseCase {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    /** Most tasks one user may keep (null: no limit). */
    private readonly maxPerOwner: number | null = null,
  ) {}

  async execute({ list, ...fields }: CreateTaskInput): Promise<TaskView> {
    const task = Task.create({
      ...fields,
      id: this.ids.next(),
      ownerId: list.ownerId,
      now: this.clock.now(),
    });
    if (!(await this.tasks.add(task, this.maxPerOwner))) {
      throw new TaskLimitReachedError(this.maxPerOwner ?? 0);
    }
    return toTaskView(task);
  }
}
