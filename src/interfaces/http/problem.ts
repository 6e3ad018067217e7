import type { Context } from 'koa';

/** An RFC 9457 problem details body. Extension members carry machine-readable specifics. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly [extension: string]: unknown;
}

export interface FieldError {
  /** Where the value was: `title`, `query.limit`, … */
  readonly field: string;
  readonly detail: string;
}

/** A problem raised by the HTTP layer itself (bad JSON, wrong media type, invalid fields). */
export class HttpProblem extends Error {
  constructor(
    readonly problem: Problem,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problem.detail);
    this.name = 'HttpProblem';
  }
}

export function problem(
  status: number,
  slug: string,
  title: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  return { type: `/problems/${slug}`, title, status, detail, ...extensions };
}

export function validationProblem(errors: readonly FieldError[]): Problem {
  const detail = errors.map((e) => `${e.field} ${e.detail}`).join('; ');
  return problem(
    422,
    'validation-error',
    'Your request is not valid',
    `Fix these fields: ${detail}.`,
    {
      errors,
    },
  );
}

/** The one answer to anything unexpected: generic, with the request id that is also logged. */
export function internalErrorProblem(
  requestId: unknown,
  detail = 'Something went wrong on our side. Quote the requestId when you report it.',
): Problem {
  return problem(500, 'internal-error', 'Internal server error', detail, { requestId });
}

export function sendProblem(
  ctx: Context,
  body: Problem,
  headers: Readonly<Record<string, string>> = {},
): void {
  ctx.status = body.status;
  ctx.set(headers);
  ctx.body = body;
  ctx.set('Content-Type', 'application/problem+json; charset=utf-8');
}
