import { z } from 'zod';
import type { ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from 'zod-openapi';
import { MAX_BODY_BYTES } from '../request-body.js';
import { responseHeaders as h } from './http-headers.schemas.js';
import { problemResponse, validationProblemResponse } from './response.schemas.js';

/** One possible answer of an operation, before the headers every answer carries are added. */
export interface Answer {
  readonly description: string;
  readonly content?: ZodOpenApiResponseObject['content'];
  /** Header name to schema; an optional schema is a header that is not always sent. */
  readonly headers?: Record<string, z.ZodType>;
}

const PROBLEM_JSON = 'application/problem+json';

/** JSON with this schema. */
export function json(description: string, schema: z.ZodType, headers?: Answer['headers']): Answer {
  return { description, content: { 'application/json': { schema } }, headers };
}

/** The problem types (`/problems/<slug>`) one status may carry, each with when it happens. */
export type ProblemKinds = Readonly<Record<string, string>>;

/** A problem of one status whose `type` is one of `kinds`: allOf Problem and those two. */
function problemSchema(status: number, kinds: ProblemKinds): z.ZodType {
  const types = Object.keys(kinds).map((slug) => `/problems/${slug}`);
  return z.intersection(
    problemResponse,
    z.looseObject({ type: z.enum(types as [string, ...string[]]), status: z.literal(status) }),
  );
}

/** Each kind of problem with when it happens, as a Markdown list. */
function whenEach(kinds: ProblemKinds): string {
  return Object.entries(kinds)
    .map(([slug, when]) => `- \`/problems/${slug}\`: ${when}`)
    .join('\n');
}

/** An RFC 9457 answer of one status, its possible types listed with when each happens. */
export function problem(status: number, kinds: ProblemKinds, headers?: Answer['headers']): Answer {
  return {
    description: whenEach(kinds),
    content: { [PROBLEM_JSON]: { schema: problemSchema(status, kinds) } },
    headers,
  };
}

/** 422: the fields that failed, or (on a create) an Idempotency-Key sent with another body. */
export function unprocessable(what: string, idempotent = false): Answer {
  const validation = whenEach({ 'validation-error': `${what}; \`errors\` names each one.` });
  if (!idempotent) {
    return {
      description: validation,
      content: { [PROBLEM_JSON]: { schema: validationProblemResponse } },
    };
  }
  const reused = {
    'idempotency-key-reused': 'this `Idempotency-Key` came first with another body.',
  };
  return {
    description: `${validation}\n${whenEach(reused)}`,
    content: {
      [PROBLEM_JSON]: {
        schema: z.union([validationProblemResponse, problemSchema(422, reused)]),
      },
    },
  };
}

/** What can refuse any request that needs a token, before the route runs. */
export const AUTH_ERRORS = {
  400: {
    'invalid-request':
      'two `Authorization` headers, or `Bearer` without a token (with `WWW-Authenticate`).',
  },
  401: {
    unauthorized: 'no `Authorization: Bearer` header.',
    'invalid-token':
      'the token is invalid, expired, tampered with, signed with another key or algorithm, or its session has ended.',
  },
} as const satisfies Record<number, ProblemKinds>;

export const UNAUTHORIZED = problem(401, AUTH_ERRORS[401], {
  'WWW-Authenticate': h['WWW-Authenticate'],
});

export const RATE_LIMITED = problem(
  429,
  { 'rate-limited': 'more than `TASK_API_RATE_LIMIT` requests in a minute from this user.' },
  { 'Retry-After': h['Retry-After'] },
);

export const UNAVAILABLE = problem(
  503,
  {
    'service-unavailable':
      "the database, the token issuer's key set, or this instance's list of ended sessions cannot be reached right now.",
    'request-timeout':
      'the request was not done within `REQUEST_TIMEOUT_SECONDS` (a write may have been applied: repeat it with the same `Idempotency-Key`).',
    overloaded: 'this instance is already working on `MAX_IN_FLIGHT` requests.',
  },
  { 'Retry-After': h['Retry-After'] },
);

export const INTERNAL_ERROR = problem(500, {
  'internal-error': 'anything unexpected; quote the `requestId` (also in `X-Request-Id`).',
});

export const TOO_LARGE = problem(413, {
  'payload-too-large': `a body over ${MAX_BODY_BYTES} bytes (64 KiB).`,
});

export const UNSUPPORTED_BODY = problem(415, {
  'unsupported-media-type':
    'a body that is not `application/json`, declares a charset other than UTF-8, or is compressed.',
});

/** 400s of a request that carries a JSON body. */
export const BODY_ERRORS = {
  'malformed-json': 'the body is not JSON.',
  'invalid-utf8': 'the body is not UTF-8.',
  'incomplete-body': 'the body ended before its `Content-Length`.',
} as const satisfies ProblemKinds;

/**
 * The responses object: every answer carries `X-Request-Id`, and on routes behind a token
 * (`rateLimited`) the rate-limit fields, which may be absent (the limit off, or the token refused).
 */
export function responses(
  answers: Readonly<Record<number, Answer>>,
  { rateLimited }: { rateLimited: boolean },
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
