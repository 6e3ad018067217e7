import type { Task } from '../../domain/task/task.js';

/** A task as callers see it: plain JSON-ready data. */
export interface TaskView {
  readonly id: string;
  readonly userId: string;
  readonly title: string;
  readonly description: string | null;
  readonly completed: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function toTaskView(task: Task): TaskView {
  return {
    id: task.id,
    userId: task.ownerId,
    title: task.title,
    description: task.description,
    completed: task.completed,
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}

/** One page of a task list. */
export interface TaskPage {
  readonly items: TaskView[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}
