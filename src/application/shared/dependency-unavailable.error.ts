import { DomainError } from '../../domain/shared/domain-error.js';

declare module '../../domain/shared/domain-error.js' {
  interface DomainErrors {
    DependencyUnavailable: DependencyUnavailableError;
  }
}

/** A dependency (the database, the key set) could not be reached; retrying later may work. */
export class DependencyUnavailableError extends DomainError {
  readonly type = 'DependencyUnavailable';

  constructor(
    readonly dependency: 'database' | 'key-set',
    options?: { cause?: unknown },
  ) {
    super(`The ${dependency} is unavailable`);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
