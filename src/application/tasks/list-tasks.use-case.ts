import type {
  SortOrder,
  TaskRepository,
  TaskSortField,
  TaskStatusFilter,
} from '../../domain/task/task-repository.port.js';
import { decodeCursor, encodeCursor } from './task-cursor.js';
import type { OwnTaskList } from './own-task-list.js';
import { toTaskView, type TaskPage } from './task.view.js';

export interface ListTasksInput {
  readonly list: OwnTaskList;
  readonly status: TaskStatusFilter;
  readonly sort: TaskSortField;
  readonly order: SortOrder;
  readonly limit: number;
  readonly cursor: string | null;
}

export class ListTasksUseCase {
  constructor(private readonly tasks: TaskRepository) {}

  async execute(input: ListTasksInput): Promise<TaskPage> {
    const after =
      input.cursor === null ? undefined : decodeCursor(input.cursor, input.sort, input.order);
    // One extra row tells whether another page exists without a count query.
    const found = await this.tasks.list({
      ownerId: input.list.ownerId,
      status: input.status,
      sort: input.sort,
      order: input.order,
      limit: input.limit + 1,
      after,
    });
    const page = found.slice(0, input.limit);
    const last = page.at(-1);
    const nextCursor =
      found.length > input.limit && last ? encodeCursor(last, input.sort, input.order) : null;
    return { items: page.map(toTaskView), nextCursor };
  }
}
