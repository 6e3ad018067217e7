import { DomainError } from '../../domain/shared/domain-error.js';

declare module '../../domain/shared/domain-error.js' {
  interface DomainErrors {
    MissingCredentials: MissingCredentialsError;
    InvalidToken: InvalidTokenError;
    SessionEnded: SessionEndedError;
  }
}

/** The request carried no bearer token at all. */
export class MissingCredentialsError extends DomainError {
  readonly type = 'MissingCredentials';

  constructor() {
    super('No bearer token was sent');
  }
}

/**
 * The bearer token was refused. `description` is safe to show a client: it never echoes the
 * token or a library message.
 */
export class InvalidTokenError extends DomainError {
  readonly type = 'InvalidToken';

  constructor(readonly description: string) {
    super(description);
  }
}

/** The token is genuine, but its session has ended (signed out, revoked, the user deleted). */
export class SessionEndedError extends DomainError {
  readonly type = 'SessionEnded';

  constructor() {
    super('The session of this token has ended');
  }
}
