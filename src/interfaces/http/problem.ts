import type { Context } from 'koa';
import { PROBLEMS, type ProblemSlug, type ProblemType } from './problem-types.js';

/** An RFC 9457 problem details body. Extension members carry machine-readable specifics. */
export interface Problem {
  readonly type: ProblemType;
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

/**
 * The longest `detail` (in code points, as JSON Schema counts): one that would be longer, as when
 * it names a very long path or a great many fields, is cut to this with "…" at the end.
 */
export const PROBLEM_DETAIL_MAX_LENGTH = 1024;

/** A problem of one of the kinds in PROBLEMS, which gives its status and title. */
export function problem(
  slug: ProblemSlug,
  detail: string,
  extensions: Record<string, unknown> = {},
): Problem {
  const { status, title } = PROBLEMS[slug];
  return { type: `/problems/${slug}`, title, status, detail: bounded(detail), ...extensions };
}

function bounded(detail: string): string {
  const characters = [...detail];
  if (characters.length <= PROBLEM_DETAIL_MAX_LENGTH) return detail;
  return `${characters.slice(0, PROBLEM_DETAIL_MAX_LENGTH - 1).join('')}…`;
}

export function validationProblem(errors: readonly FieldError[]): Problem {
  const detail = errors.map((e) => `${e.field} ${e.detail}`).join('; ');
  return problem('validation-error', `Fix these fields: ${detail}.`, { errors });
}

/** The one answer to anything unexpected: generic, with the request id that is also logged. */
export function internalErrorProblem(
  requestId: unknown,
  detail = 'Something went wrong on our side. Quote the requestId when you report it.',
): Problem {
  return problem('internal-error', detail, { requestId });
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
