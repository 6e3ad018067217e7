import { TaskNotFoundError } from '../../domain/task/task.errors.js';
import { toTaskId, type TaskId } from '../../domain/task/task-id.js';
import { ForeignTaskListError } from './task.errors.js';

declare const proven: unique symbol;

/**
 * The task list of the user who is calling. Only `ownTaskList` makes one, so every use case that
 * takes it runs for the caller's own tasks: ownership is decided here and nowhere else.
 */
export interface OwnTaskList {
  readonly ownerId: string;
  readonly [proven]: true;
}

/** The list at `/api/{userId}/tasks`, when the caller is that user; "not found" otherwise. */
export function ownTaskList(callerId: string, userId: string): OwnTaskList {
  if (callerId !== userId) throw new ForeignTaskListError(callerId, userId);
  return { ownerId: callerId } as OwnTaskList;
}

/** A task id from a URL; one that names no task reads as "not found", like a missing task. */
export function taskIdOrNotFound(raw: string): TaskId {
  const id = toTaskId(raw);
  if (id === null) throw new TaskNotFoundError(raw);
  return id;
}

/** Input of every use case on one task of the caller's list. */
export interface OwnTask {
  readonly list: OwnTaskList;
  readonly taskId: TaskId;
}
