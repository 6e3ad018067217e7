/**
 * Every kind of problem the API answers (RFC 9457 §3.1.1: `type` is `/problems/<slug>`), once:
 * its status, its title (the same on every occurrence) and when it happens. `problem()` takes its
 * status and title from here, and the OpenAPI document lists each operation's problems from here,
 * so a slug that is not in this table does not compile. No imports: the typed client reads the
 * slugs too.
 */
export const PROBLEMS = {
  'invalid-request': {
    status: 400,
    title: 'Malformed Authorization header',
    when: 'two `Authorization` headers, or `Bearer` without a token (with `WWW-Authenticate`).',
    headers: ['WWW-Authenticate'],
  },
  'malformed-json': { status: 400, title: 'Malformed JSON', when: 'the body is not JSON.' },
  'invalid-utf8': { status: 400, title: 'Body is not UTF-8', when: 'the body is not UTF-8.' },
  'incomplete-body': {
    status: 400,
    title: 'Incomplete request body',
    when: 'the body ended before its `Content-Length`.',
  },
  'malformed-precondition': {
    status: 400,
    title: 'Malformed If-Match or If-None-Match',
    when: '`If-Match` or `If-None-Match` is not `*` or a list of ETags.',
  },
  'invalid-idempotency-key': {
    status: 400,
    title: 'Invalid Idempotency-Key',
    when: '`Idempotency-Key` is not 1–255 printable ASCII characters.',
  },
  'repeated-header': {
    status: 400,
    title: 'Repeated header',
    when: 'a header that may be sent once was sent twice.',
  },
  'invalid-host': {
    status: 400,
    title: 'Invalid Host header',
    when: 'the `Host` header does not name this service.',
  },
  unauthorized: {
    status: 401,
    title: 'Authentication required',
    when: 'no `Authorization: Bearer` header.',
    headers: ['WWW-Authenticate'],
  },
  'invalid-token': {
    status: 401,
    title: 'Invalid access token',
    when: 'the token is invalid, expired, tampered with, signed with another key or algorithm, or its session has ended.',
    headers: ['WWW-Authenticate'],
  },
  'not-found': {
    status: 404,
    title: 'Not found',
    when: 'nothing is at this URL.',
  },
  'session-not-found': {
    status: 404,
    title: 'Session not found',
    when: '`POST /api/auth/revoke-session` names a token that is not one of the signed-in user’s sessions.',
  },
  'method-not-allowed': {
    status: 405,
    title: 'Method not allowed',
    when: 'the path exists, but not with this method; `Allow` names those it has.',
  },
  'write-conflict': {
    status: 409,
    title: 'The task is being changed by other requests',
    when: 'other writes kept winning over this one (ten tries): nothing was saved; retry.',
  },
  'task-limit-reached': {
    status: 409,
    title: 'Too many tasks',
    when: 'the caller already has `MAX_TASKS_PER_USER` tasks; `limit` says how many.',
  },
  'idempotency-key-in-use': {
    status: 409,
    title: 'The first request with this Idempotency-Key is still running',
    when: 'the first request with this `Idempotency-Key` is still running (with `Retry-After: 1`).',
    headers: ['Retry-After'],
  },
  'precondition-failed': {
    status: 412,
    title: 'The task has changed',
    when: 'the task is no longer at a version `If-Match` names: nothing changed. GET it again, then reapply the change.',
  },
  'sync-expired': {
    status: 410,
    title: 'Sync token expired',
    when: 'the `since` token is older than `CHANGE_RETENTION_DAYS`, or names changes this API no longer has: sync from scratch (call without `since`).',
  },
  'payload-too-large': {
    status: 413,
    title: 'Payload too large',
    when: 'the body is larger than the API reads.',
  },
  'unsupported-media-type': {
    status: 415,
    title: 'Unsupported media type',
    when: 'a body that is not `application/json`, declares a charset other than UTF-8, or is compressed.',
  },
  'validation-error': {
    status: 422,
    title: 'Your request is not valid',
    when: 'a field or parameter is not valid; `errors` names each one.',
  },
  'idempotency-key-reused': {
    status: 422,
    title: 'Idempotency-Key used for another request',
    when: 'this `Idempotency-Key` came first with another body.',
  },
  'rate-limited': {
    status: 429,
    title: 'Too many requests',
    when: 'more than `TASK_API_RATE_LIMIT` requests in a minute from this user.',
    headers: ['Retry-After', 'RateLimit', 'RateLimit-Policy'],
  },
  'too-many-event-streams': {
    status: 429,
    title: 'Too many event streams',
    when: 'the caller already holds `MAX_EVENT_STREAMS_PER_USER` event streams open on this instance (with `Retry-After`).',
    // Behind the token, so the rate limit's headers come with it as with any answer there.
    headers: ['Retry-After', 'RateLimit', 'RateLimit-Policy'],
  },
  'internal-error': {
    status: 500,
    title: 'Internal server error',
    when: 'anything unexpected; quote the `requestId` (also in `X-Request-Id`).',
  },
  'service-unavailable': {
    status: 503,
    title: 'Service temporarily unavailable',
    when: "the database, the token issuer's key set, or this instance's list of ended sessions cannot be reached right now.",
    headers: ['Retry-After'],
  },
  'request-timeout': {
    status: 503,
    title: 'The request took too long',
    when: 'the request was not done within `REQUEST_TIMEOUT_SECONDS` of its arrival (a write may have been applied: repeat it with the same `Idempotency-Key`).',
    headers: ['Retry-After'],
  },
  overloaded: {
    status: 503,
    title: 'Too many requests in progress',
    when: 'this instance is already working on `MAX_IN_FLIGHT` requests.',
    headers: ['Retry-After'],
  },
  'not-ready': {
    status: 503,
    title: 'Not ready',
    when: 'the database does not answer, or this instance is shutting down.',
    headers: ['Retry-After'],
  },
} as const satisfies Record<string, ProblemTypeEntry>;

/** One row of PROBLEMS. */
export interface ProblemTypeEntry {
  readonly status: number;
  /** A short summary of the kind of problem, the same on every occurrence. */
  readonly title: string;
  /** When it happens, for the document (an operation may say it more precisely). */
  readonly when: string;
  /** Response headers every answer with this problem carries. */
  readonly headers?: readonly ProblemHeader[];
}

export type ProblemHeader = 'WWW-Authenticate' | 'Retry-After' | 'RateLimit' | 'RateLimit-Policy';

export type ProblemSlug = keyof typeof PROBLEMS;

/** A problem's `type` member, as the API sends it. */
export type ProblemType = `/problems/${ProblemSlug}`;

/** The status a problem of `slug` is answered with. */
export type ProblemStatus<S extends ProblemSlug> = (typeof PROBLEMS)[S]['status'];
