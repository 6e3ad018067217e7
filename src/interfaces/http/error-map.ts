import type {
  InvalidTokenError,
  MissingCredentialsError,
} from '../../application/auth/auth.errors.js';
import type { DependencyUnavailableError } from '../../application/shared/dependency-unavailable.error.js';
import type {
  ForeignTaskListError,
  InvalidCursorError,
} from '../../application/tasks/task.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import type { InvalidTaskError, TaskNotFoundError } from '../../domain/task/task.errors.js';
import { problem, validationProblem, type Problem } from './problem.js';

/** Every error the core throws on purpose. */
type AppError =
  | TaskNotFoundError
  | ForeignTaskListError
  | InvalidTaskError
  | InvalidCursorError
  | MissingCredentialsError
  | InvalidTokenError
  | DependencyUnavailableError;

type ErrorType = AppError['type'];

/** One status per error type; an error nobody mapped does not compile. */
export const STATUS_BY_ERROR = {
  TaskNotFound: 404,
  ForeignTaskList: 404,
  InvalidTask: 422,
  InvalidCursor: 422,
  MissingCredentials: 401,
  InvalidToken: 401,
  DependencyUnavailable: 503,
} as const satisfies Record<ErrorType, number>;

export const REALM = 'Bearer realm="api"';

export interface MappedError {
  readonly problem: Problem;
  readonly headers: Readonly<Record<string, string>>;
}

// Missing and foreign tasks share one body, so nobody can probe for other users' data.
const NOT_FOUND = problem(
  404,
  'not-found',
  'Not found',
  'No task or task list exists at this URL for the signed-in user.',
);

/** Shapes a core error as the problem a client sees; null for anything unexpected. */
export function mapAppError(error: unknown): MappedError | null {
  if (!(error instanceof DomainError)) return null;
  const e = error as AppError;
  switch (e.type) {
    case 'TaskNotFound':
    case 'ForeignTaskList':
      return { problem: NOT_FOUND, headers: {} };
    case 'InvalidTask':
      return {
        problem: validationProblem(
          e.violations.map((v) => ({ field: v.field, detail: v.message })),
        ),
        headers: {},
      };
    case 'InvalidCursor':
      return {
        problem: validationProblem([{ field: 'query.cursor', detail: e.reason }]),
        headers: {},
      };
    case 'MissingCredentials':
      return {
        problem: problem(
          STATUS_BY_ERROR[e.type],
          'unauthorized',
          'Authentication required',
          'Send a Better Auth JWT as "Authorization: Bearer <token>" (get one from GET /api/auth/token).',
        ),
        headers: { 'WWW-Authenticate': REALM },
      };
    case 'InvalidToken':
      return {
        problem: problem(
          STATUS_BY_ERROR[e.type],
          'invalid-token',
          'Invalid access token',
          `${e.description}. Get a fresh token from GET /api/auth/token.`,
        ),
        headers: {
          'WWW-Authenticate': `${REALM}, error="invalid_token", error_description="${quotable(e.description)}"`,
        },
      };
    case 'DependencyUnavailable':
      return {
        problem: problem(
          STATUS_BY_ERROR[e.type],
          'service-unavailable',
          'Service temporarily unavailable',
          e.dependency === 'database'
            ? 'The database cannot be reached right now. Retry in a few seconds.'
            : "The token issuer's signing keys cannot be fetched right now. Retry in a few seconds.",
        ),
        headers: { 'Retry-After': '5' },
      };
  }
}

/** RFC 6750 forbids `"` and `\\` inside error_description. */
function quotable(text: string): string {
  return text.replace(/["\\]/g, "'");
}
