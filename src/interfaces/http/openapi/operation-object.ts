import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiResponsesObject } from 'zod-openapi';
import type { Answer, Operation, ProblemUse } from '../operation.js';
import { PROBLEMS, type ProblemHeader, type ProblemSlug } from '../problem-types.js';
import { requestHeaders, responseHeaders as h } from './http-headers.schemas.js';
import { problemResponse, validationProblemResponse } from './response.schemas.js';

/**
 * What refuses a request before an operation with `access: 'token'` runs: the token check and the
 * per-user rate limit; and anything unexpected.
 */
const TOKEN_PROBLEMS: readonly ProblemUse[] = [
  'invalid-request',
  'unauthorized',
  'invalid-token',
  'rate-limited',
  'service-unavailable',
  'internal-error',
];

/**
 * What bounds the work of every request but a health check: its deadline and the cap on requests
 * in flight (`requestDeadline`, `inFlightLimit`).
 */
const BOUNDED_WORK_PROBLEMS: readonly ProblemUse[] = ['request-timeout', 'overloaded'];

/**
 * What the service itself may answer on a Better Auth endpoint, before or instead of Better Auth:
 * a body over the cap, the request's deadline, the cap on requests in flight, the database down,
 * a failure Better Auth did not answer.
 */
const AUTH_MOUNT_PROBLEMS: readonly ProblemUse[] = [
  'payload-too-large',
  'service-unavailable',
  'internal-error',
  ...BOUNDED_WORK_PROBLEMS,
];

/** Problems whose body has more members than `Problem`. */
const PROBLEM_BODIES: Partial<Record<ProblemSlug, z.ZodType>> = {
  'validation-error': validationProblemResponse,
};

const PROBLEM_JSON = 'application/problem+json';

/** An operation as the OpenAPI document describes it. */
export function operationObject(operation: Operation): ZodOpenApiOperationObject {
  const { method, operationId, summary, description, tag, access, query, body } = operation;
  const steps = operation.before ?? [];
  const token = access === 'token';
  const path = Object.assign({}, ...steps.map((step) => step.path ?? {})) as z.ZodRawShape;
  const headers = [
    ...steps.flatMap((step) => step.headers ?? []),
    ...(operation.headers ?? []),
    'X-Request-Id' as const,
  ];
  const problems = [
    ...(token ? TOKEN_PROBLEMS : []),
    ...steps.flatMap((step) => step.problems?.(method) ?? []),
    ...(query || body ? (['validation-error'] as const) : []),
    ...(operation.problems ?? []),
    ...(tag === 'Health' ? [] : BOUNDED_WORK_PROBLEMS),
  ];
  const pathShape = { ...path, ...operation.pathParameters?.shape };
  return {
    tags: [tag],
    operationId,
    summary,
    ...(description ? { description } : {}),
    ...(token ? {} : { security: [] }),
    requestParams: {
      ...(Object.keys(pathShape).length > 0 ? { path: z.object(pathShape) } : {}),
      ...(query ? { query } : {}),
      header: z.object(Object.fromEntries(headers.map((name) => [name, requestHeaders[name]]))),
    },
    ...(body
      ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } }
      : {}),
    responses: responses({ ...operation.answers, ...problemAnswers(problems) }, token),
  };
}

/** An operation another library describes (Better Auth's), as OpenAPI JSON. */
export interface ForeignOperation {
  readonly responses?: Readonly<Record<string, ForeignResponse>>;
  readonly [member: string]: unknown;
}
interface ForeignResponse {
  readonly description?: string;
  readonly content?: Readonly<Record<string, unknown>>;
}

/**
 * A Better Auth operation as the document describes it: under `tag`, its answers with what the
 * service adds to them (`X-Request-Id`), and the problems the mount answers itself.
 */
export function authOperationObject(
  operation: ForeignOperation,
  tag: string,
  /** Problems this service's own Better Auth hooks answer on this operation. */
  hookProblems: readonly ProblemUse[] = [],
): ZodOpenApiOperationObject {
  const given = operation.responses ?? {};
  const own = responses(problemAnswers([...AUTH_MOUNT_PROBLEMS, ...hookProblems]), false) as Record<
    string,
    { description: string; content?: object; headers?: z.ZodObject } | undefined
  >;
  const statuses = [...new Set([...Object.keys(given), ...Object.keys(own)])].sort();
  return {
    ...operation,
    tags: [tag],
    responses: Object.fromEntries(
      statuses.map((status) => {
        const theirs = given[status];
        const ours = own[status];
        const description = [theirs?.description, ours?.description].filter(Boolean).join('\n');
        const content = { ...theirs?.content, ...ours?.content };
        return [
          status,
          {
            description,
            ...(Object.keys(content).length > 0 ? { content } : {}),
            headers:
              ours?.headers ??
              z.object({
                'X-Request-Id': h['X-Request-Id'],
                // Better Auth's limiter (in production) says when; the mount copies it here.
                ...(status === '429' ? { 'Retry-After': h['Retry-After'] } : {}),
              }),
          },
        ];
      }),
    ),
  } as ZodOpenApiOperationObject;
}

/** The problems by status, each status's types listed with when each happens. */
function problemAnswers(uses: readonly ProblemUse[]): Record<number, Answer> {
  // The last word on a slug wins (an operation's own over a step's), in the order first named.
  const when = new Map<ProblemSlug, string>();
  for (const use of uses) {
    const [slug, text] = typeof use === 'string' ? [use, PROBLEMS[use].when] : use;
    when.set(slug, text);
  }
  const byStatus = new Map<number, ProblemSlug[]>();
  for (const slug of when.keys()) {
    const { status } = PROBLEMS[slug];
    byStatus.set(status, [...(byStatus.get(status) ?? []), slug]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, slugs]) => [
      status,
      {
        description: slugs.map((slug) => `- \`/problems/${slug}\`: ${when.get(slug)}`).join('\n'),
        content: { [PROBLEM_JSON]: { schema: problemBody(status, slugs) } },
        headers: problemHeaders(slugs),
      },
    ]),
  );
}

/** Problem, its `type` one of `slugs`; a union where a slug's body has members of its own. */
function problemBody(status: number, slugs: readonly ProblemSlug[]): z.ZodType {
  const own = slugs.flatMap((slug) => PROBLEM_BODIES[slug] ?? []);
  const plain = slugs.filter((slug) => !PROBLEM_BODIES[slug]);
  const schemas = [
    ...own,
    ...(plain.length === 0
      ? []
      : [
          z.intersection(
            problemResponse,
            z.looseObject({
              type: z.enum(plain.map((slug) => `/problems/${slug}` as const)),
              status: z.literal(status),
            }),
          ),
        ]),
  ];
  const [first, ...more] = schemas;
  if (!first) throw new Error(`No problem body for ${status}`);
  return more.length === 0 ? first : z.union([first, ...more]);
}

/** A header every problem of the status carries is required; one that only some carry is not. */
function problemHeaders(slugs: readonly ProblemSlug[]): Record<string, z.ZodType> {
  const carried = (slug: ProblemSlug): readonly ProblemHeader[] =>
    (PROBLEMS[slug] as { headers?: readonly ProblemHeader[] }).headers ?? [];
  const names = new Set(slugs.flatMap(carried));
  return Object.fromEntries(
    [...names].map((name) => {
      const always = slugs.every((slug) => carried(slug).includes(name));
      return [name, always ? required(h[name]) : optional(h[name])];
    }),
  );
}

function optional(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodOptional ? schema : schema.optional();
}

/** A header schema that must be present, keeping what the document says of it. */
function required(schema: z.ZodType): z.ZodType {
  if (!(schema instanceof z.ZodOptional)) return schema;
  const { header: _, ...meta } = schema.meta() ?? {};
  return (schema.unwrap() as z.ZodType).meta(meta);
}

/**
 * The responses object: every answer carries `X-Request-Id`, and behind a token the rate-limit
 * fields, which may be absent (the limit off, or the token refused).
 */
function responses(
  answers: Readonly<Record<number, Answer>>,
  rateLimited: boolean,
): ZodOpenApiResponsesObject {
  const common: Record<string, z.ZodType> = { 'X-Request-Id': h['X-Request-Id'] };
  if (rateLimited) {
    common.RateLimit = h.RateLimit;
    common['RateLimit-Policy'] = h['RateLimit-Policy'];
  }
  return Object.fromEntries(
    Object.entries(answers).map(([status, { description, content, headers }]) => [
      status,
      {
        description,
        ...(content ? { content } : {}),
        headers: z.object({ ...common, ...headers }),
      },
    ]),
  );
}
