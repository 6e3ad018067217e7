import type { Task, TaskSnapshot } from '../../domain/task/task.js';

/** How a snapshot field looks in JSON: instants as ISO strings, the rest as is. */
type Json<T> = T extends Date ? string : T extends Date | null ? string | null : T;

/**
 * A task as callers see it: the snapshot in JSON, with the owner named `userId` as in the URL.
 * Derived from TaskSnapshot, so a new field must be shown here too or this does not compile.
 */
export type TaskView = {
  readonly [K in keyof TaskSnapshot as K extends 'ownerId' ? 'userId' : K]: Json<TaskSnapshot[K]>;
};

export function toTaskView(task: Task): TaskView {
  const { id, ownerId, dueAt, completedAt, createdAt, updatedAt, ...rest } = task.toSnapshot();
  return {
    id,
    userId: ownerId,
    ...rest,
    dueAt: dueAt?.toISOString() ?? null,
    completedAt: completedAt?.toISOString() ?? null,
    createdAt: createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

/** One page of a task list. */
export interface TaskPage {
  readonly items: TaskView[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}
