import {
  DomainError,
  type DomainErrors,
  type DomainErrorType,
} from '../../domain/shared/domain-error.js';
import type { DependencyUnavailableError } from '../../application/shared/dependency-unavailable.error.js';
import { problem, validationProblem, type Problem } from './problem.js';

export const REALM = 'Bearer realm="api"';

export interface MappedError {
  readonly problem: Problem;
  readonly headers?: Readonly<Record<string, string>>;
}

// Missing and foreign tasks share one body, so nobody can probe for other users' data.
const NOT_FOUND: MappedError = {
  problem: problem('not-found', 'No task or task list exists at this URL for the signed-in user.'),
};

/**
 * How each error of the core is answered. Keyed by every type in DomainErrors: an error nobody
 * answers here does not compile.
 */
const ANSWERS: { [T in DomainErrorType]: (error: DomainErrors[T]) => MappedError } = {
  TaskNotFound: () => NOT_FOUND,
  ForeignTaskList: () => NOT_FOUND,
  InvalidTask: (e) => ({
    problem: validationProblem(e.violations.map((v) => ({ field: v.field, detail: v.message }))),
  }),
  InvalidCursor: (e) => ({
    problem: validationProblem([{ field: 'query.cursor', detail: e.reason }]),
  }),
  InvalidSyncToken: (e) => ({
    problem: validationProblem([{ field: 'query.since', detail: e.reason }]),
  }),
  SyncExpired: () => ({
    problem: problem(
      'sync-expired',
      'This sync token is older than the changes this API keeps. Sync from scratch: call again without `since`, replace your copy with what it returns, and continue from its `next`.',
    ),
  }),
  TaskChanged: () => ({
    problem: problem(
      'precondition-failed',
      'The task changed since you read it (its ETag no longer matches If-Match). GET it again, then reapply your change.',
    ),
  }),
  WriteConflict: () => ({
    problem: problem(
      'write-conflict',
      'Other requests kept changing this task while yours was applied, so nothing was saved. Retry in a moment.',
    ),
  }),
  TaskLimitReached: (e) => ({
    problem: problem(
      'task-limit-reached',
      `You already have ${e.limit} tasks, the most one user may keep. Delete some before adding more.`,
      { limit: e.limit },
    ),
  }),
  IdempotencyKeyReused: () => ({
    problem: problem(
      'idempotency-key-reused',
      'This Idempotency-Key was first sent with a different body. Use a new key for a new task, or resend the first body unchanged.',
    ),
  }),
  IdempotencyKeyInUse: () => ({
    problem: problem(
      'idempotency-key-in-use',
      'Wait for the first request with this Idempotency-Key to finish, then retry to get its answer.',
    ),
    headers: { 'Retry-After': '1' },
  }),
  MissingCredentials: () => ({
    problem: problem(
      'unauthorized',
      'Send a Better Auth JWT as "Authorization: Bearer <token>" (get one from GET /api/auth/token).',
    ),
    headers: { 'WWW-Authenticate': REALM },
  }),
  InvalidToken: (e) => invalidToken(e.description, 'Get a fresh token from GET /api/auth/token.'),
  SessionEnded: () => invalidToken('The session of this token has ended', 'Sign in again.'),
  SessionNotFound: () => ({
    problem: problem(
      'session-not-found',
      'You have no session with this token, so nothing was ended. List yours with GET /api/auth/list-sessions.',
    ),
  }),
  DependencyUnavailable: (e) => ({
    problem: problem('service-unavailable', UNAVAILABLE[e.dependency]),
    headers: { 'Retry-After': '5' },
  }),
};

const UNAVAILABLE = {
  database: 'The database cannot be reached right now. Retry in a few seconds.',
  'key-set': "The token issuer's signing keys cannot be fetched right now. Retry in a few seconds.",
  revocations:
    'This instance cannot confirm right now which sessions have ended, so it trusts no token. Retry in a few seconds.',
} satisfies Record<DependencyUnavailableError['dependency'], string>;

/** 401 invalid_token (RFC 6750): why the token was refused, and what to do. */
function invalidToken(description: string, advice: string): MappedError {
  return {
    problem: problem('invalid-token', `${description}. ${advice}`),
    headers: {
      'WWW-Authenticate': `${REALM}, error="invalid_token", error_description="${quotable(description)}"`,
    },
  };
}

/** Shapes a core error as the problem a client sees; null for anything unexpected. */
export function mapAppError(error: unknown): MappedError | null {
  if (!(error instanceof DomainError)) return null;
  const answer = ANSWERS[error.type] as (error: DomainError) => MappedError;
  return answer(error);
}

/** RFC 6750 forbids `"` and `\\` inside error_description. */
function quotable(text: string): string {
  return text.replace(/["\\]/g, "'");
}
