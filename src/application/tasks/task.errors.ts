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
