import { DomainError } from '../shared/domain-error.js';

declare module '../shared/domain-error.js' {
  interface DomainErrors {
    TaskNotFound: TaskNotFoundError;
    InvalidTask: InvalidTaskError;
  }
}

/** Missing, or owned by someone else: callers must not be able to tell the two apart. */
export class TaskNotFoundError extends DomainError {
  readonly type = 'TaskNotFound';

  constructor(readonly taskId: string) {
    super(`Task ${taskId} not found`);
  }
}

export interface FieldViolation {
  readonly field: string;
  readonly message: string;
}

export class InvalidTaskError extends DomainError {
  readonly type = 'InvalidTask';

  constructor(readonly violations: readonly FieldViolation[]) {
    super(violations.map((v) => `${v.field}: ${v.message}`).join('; '));
  }
}
