import { DomainError } from '../../domain/shared/domain-error.js';

declare module '../../domain/shared/domain-error.js' {
  interface DomainErrors {
    ForeignTaskList: ForeignTaskListError;
    InvalidCursor: InvalidCursorError;
  }
}

/**
 * The path names another user's task list. Answered exactly like a missing task, so a caller
 * learns nothing about other users.
 */
export class ForeignTaskListError extends DomainError {
  readonly type = 'ForeignTaskList';

  constructor(
    readonly callerId: string,
    readonly ownerId: string,
  ) {
    super(`User ${callerId} asked for the tasks of ${ownerId}`);
  }
}

/** The pagination cursor is not one this API issued for the same sort and order. */
export class InvalidCursorError extends DomainError {
  readonly type = 'InvalidCursor';

  constructor(readonly reason: string) {
    super(reason);
  }
}

declare module '../../domain/shared/domain-error.js' {
  interface DomainErrors {
    TaskChanged: TaskChangedError;
    WriteConflict: WriteConflictError;
    TaskLimitReached: TaskLimitReachedError;
  }
}

/** The task no longer is the version the caller's If-Match names: it changed since they read it. */
export class TaskChangedError extends DomainError {
  readonly type = 'TaskChanged';

  constructor(readonly taskId: string) {
    super(`Task ${taskId} changed since the version the caller read`);
  }
}

/** Other writes to the task kept winning, retry after retry: nothing was saved. */
export class WriteConflictError extends DomainError {
  readonly type = 'WriteConflict';

  constructor(readonly taskId: string) {
    super(`Task ${taskId} kept changing under concurrent writes`);
  }
}

/** The owner already has as many tasks as one user may keep. */
export class TaskLimitReachedError extends DomainError {
  readonly type = 'TaskLimitReached';

  constructor(readonly limit: number) {
    super(`The owner already has ${limit} tasks`);
  }
}

declare module '../../domain/shared/domain-error.js' {
  interface DomainErrors {
    IdempotencyKeyReused: IdempotencyKeyReusedError;
    IdempotencyKeyInUse: IdempotencyKeyInUseError;
  }
}

/** The Idempotency-Key was first used with another request body. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly type = 'IdempotencyKeyReused';

  constructor() {
    super('The Idempotency-Key was used with another request body');
  }
}

/** The first request with this Idempotency-Key is still running. */
export class IdempotencyKeyInUseError extends DomainError {
  readonly type = 'IdempotencyKeyInUse';

  constructor() {
    super('The first request with this Idempotency-Key is still running');
  }
}
