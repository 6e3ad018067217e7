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

/** What an add found: done, the owner already has as many tasks as allowed, or is gone. */
export type AddOutcome = 'added' | 'limit-reached' | 'owner-closed';

/** What a guarded write found: done, the task changed since it was read, or it is gone. */
export type WriteOutcome = 'done' | 'changed' | 'missing';

/**
 * Where tasks live. Every read and write is scoped to one owner: no method returns, changes or
 * deletes a task of another owner. Titles order by code point, ties by id in the same direction.
 * No write overwrites a change it has not seen: each is one conditional statement.
 */
export interface TaskRepository {
  /**
   * Stores a new task, unless its owner already has `maxPerOwner` tasks (null: no limit) or was
   * erased. Concurrent adds never take an owner past the limit, nor past an erasure.
   */
  add(task: Task, maxPerOwner?: number | null): Promise<AddOutcome>;
  /** Returns the task when it exists and belongs to `ownerId`; null otherwise. */
  findOwned(ownerId: string, taskId: string): Promise<Task | null>;
  /**
   * Saves a changed task, only if the stored one is still at `expectedVersion`: 'changed' when
   * another write came first (nothing is saved), 'missing' when the task is gone.
   */
  update(task: Task, expectedVersion: number): Promise<WriteOutcome>;
  /**
   * Deletes the owner's task; with `versions`, only while it is at one of them ('changed'
   * otherwise). 'missing' when it does not exist for that owner.
   */
  removeOwned(ownerId: string, taskId: string, versions?: readonly number[]): Promise<WriteOutcome>;
  /**
   * Deletes every task of the owner (their account is gone) and refuses new ones until
   * `closedUntil`; an add that raced it either lands before and is deleted, or is refused.
   */
  eraseOwner(ownerId: string, closedUntil: Date): Promise<void>;
  /** At most `limit` of the owner's tasks matching `status`, in order, strictly after `after`. */
  list(query: TaskListQuery): Promise<Task[]>;
}
