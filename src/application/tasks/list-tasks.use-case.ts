import type {
  SortOrder,
  TaskFilter,
  TaskRepository,
  TaskSortField,
} from '../../domain/task/task-repository.port.js';
import type { Clock } from '../shared/clock.port.js';
import { decodeCursor, encodeCursor } from './task-cursor.js';
import type { OwnTaskList } from './own-task-list.js';
import { toTaskView, type TaskPage } from './task.view.js';

export interface ListTasksInput extends Omit<TaskFilter, 'overdueAt'> {
  readonly list: OwnTaskList;
  /** Only pending tasks whose due date has passed. */
  readonly overdue?: boolean;
  readonly sort: TaskSortField;
  readonly order: SortOrder;
  readonly limit: number;
  readonly cursor: string | null;
}

export class ListTasksUseCase {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly clock: Clock,
  ) {}

  async execute({ list, overdue, cursor, limit, ...filter }: ListTasksInput): Promise<TaskPage> {
    const { sort, order } = filter;
    const after = cursor === null ? undefined : decodeCursor(cursor, sort, order);
    // One extra row tells whether another page exists without a count query.
    const found = await this.tasks.list({
      ...filter,
      ownerId: list.ownerId,
      limit: limit + 1,
      ...(overdue ? { overdueAt: this.clock.now() } : {}),
      ...(after ? { after } : {}),
    });
    const page = found.slice(0, limit);
    const last = page.at(-1);
    const nextCursor = found.length > limit && last ? encodeCursor(last, sort, order) : null;
    return { items: page.map(toTaskView), nextCursor };
  }
}
