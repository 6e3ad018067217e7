import type { Task } from './task.js';

export type TaskStatusFilter = 'all' | 'pending' | 'completed';
export type TaskSortField = 'createdAt' | 'updatedAt' | 'title';
export type SortOrder = 'asc' | 'desc';

/** Where the previous page ended: the last task's sort value and id (the tie-breaker). */
export interface TaskPosition {
  readonly value: Date | string;
  readonly id: string;
}

export interface TaskListQuery {
  readonly ownerId: string;
  readonly status: TaskStatusFilter;
  readonly sort: TaskSortField;
  readonly order: SortOrder;
  readonly limit: number;
  readonly after?: TaskPosition;
}

/**
 * Where tasks live. Every read and write is scoped to one owner: no method returns, changes or
 * deletes a task of another owner. Titles order by code point, ties by id in the same direction.
 */
export interface TaskRepository {
  /** Stores a new task. */
  add(task: Task): Promise<void>;
  /** Returns the task when it exists and belongs to `ownerId`; null otherwise. */
  findOwned(ownerId: string, taskId: string): Promise<Task | null>;
  /** Saves a changed task; false when it no longer exists for its owner. */
  update(task: Task): Promise<boolean>;
  /** Deletes the task when it exists and belongs to `ownerId`; false otherwise. */
  removeOwned(ownerId: string, taskId: string): Promise<boolean>;
  /** At most `limit` of the owner's tasks matching `status`, in order, strictly after `after`. */
  list(query: TaskListQuery): Promise<Task[]>;
}
