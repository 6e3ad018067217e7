import type { Task, TaskSnapshot } from '../../domain/task/task.js';

/**
 * How a snapshot field looks in JSON: instants as ISO strings, the rest as is. Not distributive
 * (`[T]`): a `Recurrence | null` must stay that, not widen its null to `string | null`.
 */
type Json<T> = [T] extends [Date] ? string : [T] extends [Date | null] ? string | null : T;

/**
 * A task as callers see it: the snapshot in JSON, with the owner named `userId` as in the URL.
 * Derived from TaskSnapshot, so a new field must be shown here too or this does not compile.
 */
export type TaskView = {
  readonly [K in keyof TaskSnapshot as K extends 'ownerId' ? 'userId' : K]: Json<TaskSnapshot[K]>;
};

/** The fields in the order a person reads them: what the task is, how it is organized, when. */
export function toTaskView(task: Task): TaskView {
  const snapshot = task.toSnapshot();
  return {
    id: snapshot.id,
    userId: snapshot.ownerId,
    title: snapshot.title,
    description: snapshot.description,
    completed: snapshot.completed,
    priority: snapshot.priority,
    tags: snapshot.tags,
    dueAt: snapshot.dueAt?.toISOString() ?? null,
    recurrence: snapshot.recurrence,
    completedAt: snapshot.completedAt?.toISOString() ?? null,
    nextOccurrenceId: snapshot.nextOccurrenceId,
    createdAt: snapshot.createdAt.toISOString(),
    updatedAt: snapshot.updatedAt.toISOString(),
    version: snapshot.version,
  };
}

/** The longest cursor a page hands out or a list takes: a longer one is refused unread. */
export const MAX_CURSOR_LENGTH = 2048;

/** One page of a task list. */
export interface TaskPage {
  readonly items: TaskView[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}
