import type { Priority } from './priority.js';
import type { Task } from './task.js';

export type TaskStatusFilter = 'all' | 'pending' | 'completed';
export const TASK_SORT_FIELDS = ['createdAt', 'updatedAt', 'title', 'dueAt', 'priority'] as const;
export type TaskSortField = (typeof TASK_SORT_FIELDS)[number];
export type SortOrder = 'asc' | 'desc';

/**
 * Where the previous page ended: the last task's sort value (null for a task without a due
 * date, when sorting by it) and id (the tie-breaker).
 */
export interface TaskPosition {
  readonly value: Date | string | null;
  readonly id: string;
}

/** Which of the owner's tasks a list shows; every given condition must hold. */
export interface TaskFilter {
  readonly status: TaskStatusFilter;
  /** Any of these priorities (none given: any priority). */
  readonly priorities?: readonly Priority[];
  /** All of these (normalized) tags. */
  readonly tags?: readonly string[];
  /** A case-insensitive substring of the title or the description (see task-search.ts). */
  readonly text?: string;
  /** dueAfter ≤ dueAt < dueBefore; a task without a due date matches neither. */
  readonly dueAfter?: Date;
  readonly dueBefore?: Date;
  /** Pending and due before this instant. */
  readonly overdueAt?: Date;
}

export interface TaskListQuery extends TaskFilter {
  readonly ownerId: string;
  /** Tasks without a due date come last in either order; priorities order low < medium < high. */
  readonly sort: TaskSortField;
  readonly order: SortOrder;
  readonly limit: number;
  readonly after?: TaskPosition;
}

/** What an add found: done, the owner already has as many tasks as allowed, or is gone. */
export type AddOutcome = 'added' | 'limit-reached' | 'owner-closed';

/** What a guarded write found: done, the task changed since it was read, or it is gone. */
export type WriteOutcome = 'done' | 'changed' | 'missing';

/** A task an update adds in the same transaction: the next occurrence of a recurring task. */
export interface FollowUp {
  readonly task: Task;
  /** The owner's task limit, as for `add` (null: no limit). */
  readonly maxPerOwner: number | null;
}

/** An update with a follow-up may also find the owner at their limit: then nothing is saved. */
export type UpdateOutcome = WriteOutcome | 'limit-reached';

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
   * another write came first (nothing is saved), 'missing' when the task is gone. With a
   * `followUp`, adds that task in the same transaction: both are saved, or neither.
   */
  update(task: Task, expectedVersion: number, followUp?: FollowUp): Promise<UpdateOutcome>;
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
  /** At most `limit` of the owner's tasks matching the filter, in order, strictly after `after`. */
  list(query: TaskListQuery): Promise<Task[]>;
}
