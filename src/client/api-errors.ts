import type { ProblemType } from '../interfaces/http/problem-types.js';

/**
 * An RFC 9457 problem as the Task API sends it: `type` is one of the API's problem types, or
 * `about:blank` when the answer carried none.
 */
export interface ProblemDetails {
  readonly type: ProblemType | 'about:blank';
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly errors?: readonly { readonly field: string; readonly detail: string }[];
  readonly requestId?: string;
}

/** Any error answer of the Task API; `detail` is a sentence meant for people. */
export class ApiError extends Error {
  constructor(readonly problem: ProblemDetails) {
    super(problem.detail);
    this.name = new.target.name;
  }

  get status(): number {
    return this.problem.status;
  }
}

/** 401: no valid token, and a fresh one could not be had (signed out, session expired). */
export class UnauthorizedError extends ApiError {}

/** 404: no such task for the signed-in user. */
export class NotFoundError extends ApiError {}

/**
 * 412: the task changed since it was read (someone edited it in another tab or device), so the
 * edit was not applied. Read it again, show it, and let the person decide.
 */
export class TaskChangedError extends ApiError {}

/** 409: the request conflicts with the current state (a limit reached, a write that kept losing). */
export class ConflictError extends ApiError {}

/** 422: some fields are invalid; `fields` maps each to what is wrong with it. */
export class ValidationError extends ApiError {
  get fields(): Record<string, string> {
    return Object.fromEntries((this.problem.errors ?? []).map((e) => [e.field, e.detail]));
  }
}

/**
 * 410: the sync token is older than the changes the API keeps. Sync from scratch: call
 * `tasks.sync()` without a token and replace the local copy with what it returns.
 */
export class SyncExpiredError extends ApiError {}

/** 429: too many attempts; wait before trying again. */
export class RateLimitedError extends ApiError {}

/** 503: the API's database or its token issuer is briefly unreachable; retry later. */
export class ServiceUnavailableError extends ApiError {}

/** The network failed before any answer arrived. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('The Task API could not be reached. Check your connection and try again.');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

/** Builds the typed error for an error answer. */
export function apiErrorFor(problem: ProblemDetails): ApiError {
  switch (problem.status) {
    case 401:
      return new UnauthorizedError(problem);
    case 404:
      return new NotFoundError(problem);
    case 409:
      return new ConflictError(problem);
    case 412:
      return new TaskChangedError(problem);
    case 410:
      return new SyncExpiredError(problem);
    case 422:
      return new ValidationError(problem);
    case 429:
      return new RateLimitedError(problem);
    case 503:
      return new ServiceUnavailableError(problem);
    default:
      return new ApiError(problem);
  }
}
