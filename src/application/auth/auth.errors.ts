import { DomainError } from '../../domain/shared/domain-error.js';

declare module '../../domain/shared/domain-error.js' {
  interface DomainErrors {
    MissingCredentials: MissingCredentialsError;
    InvalidToken: InvalidTokenError;
    SessionEnded: SessionEndedError;
    SessionNotFound: SessionNotFoundError;
  }
}

/** The request carried no bearer token at all. */
export class MissingCredentialsError extends DomainError {
  readonly type = 'MissingCredentials';

  constructor() {
    super('No bearer token was sent');
  }
}

/** Why a token was refused, in a word an operator can count (a bounded set, never the token). */
export type InvalidTokenReason =
  | 'too_large'
  | 'malformed'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'invalid_claims'
  | 'lifetime_too_long'
  | 'algorithm_not_allowed'
  | 'unknown_key';

/**
 * The bearer token was refused. `description` is safe to show a client: it never echoes the
 * token or a library message.
 */
export class InvalidTokenError extends DomainError {
  readonly type = 'InvalidToken';

  constructor(
    readonly reason: InvalidTokenReason,
    readonly description: string,
  ) {
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

/** The signed-in user has no session with the token they named (it is another user's, or gone). */
export class SessionNotFoundError extends DomainError {
  readonly type = 'SessionNotFound';

  constructor() {
    super('The signed-in user has no session with this token');
  }
}
