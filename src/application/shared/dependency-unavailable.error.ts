import { DomainError } from '../../domain/shared/domain-error.js';

declare module '../../domain/shared/domain-error.js' {
  interface DomainErrors {
    DependencyUnavailable: DependencyUnavailableError;
  }
}

/**
 * A dependency could not be reached (the database, the issuer's key set), or this instance cannot
 * confirm which sessions have ended (revocations); retrying later may work.
 */
export class DependencyUnavailableError extends DomainError {
  readonly type = 'DependencyUnavailable';

  constructor(
    readonly dependency: 'database' | 'key-set' | 'revocations',
    options?: { cause?: unknown },
  ) {
    super(`The ${dependency} is unavailable`);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
