import type { Context, Middleware } from 'koa';
import type { z } from 'zod';
import type { ZodOpenApiResponseObject } from 'zod-openapi';
import type { UseCases } from '../../application/use-cases.js';
import type { requestHeaders } from './openapi/http-headers.schemas.js';
import type { ProblemSlug } from './problem-types.js';
import type { ShutdownSignal } from './shutdown.js';
import type { EventStreams } from './tasks/event-streams.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The document's groups of operations. */
export type ApiTag = 'Tasks' | 'Users' | 'Health' | 'Documentation';

/** A request header an operation reads (described in `http-headers.schemas.ts`). */
export type RequestHeaderName = keyof typeof requestHeaders;

/**
 * A problem an operation may answer: its slug (status, title and when come from PROBLEMS), or
 * its slug and when it happens there, where that differs from the registry's words.
 */
export type ProblemUse = ProblemSlug | readonly [ProblemSlug, string];

/**
 * A middleware an operation runs before its handler, with what the document says of it: the path
 * parameters it checks, the headers it reads, the problems it may answer.
 */
export interface Step {
  readonly run: Middleware;
  readonly path?: Readonly<Record<string, z.ZodType>>;
  readonly headers?: readonly RequestHeaderName[];
  readonly problems?: (method: HttpMethod) => readonly ProblemUse[];
}

/** An answer that is not a problem, before the headers every answer carries. */
export interface Answer {
  readonly description: string;
  readonly content?: ZodOpenApiResponseObject['content'];
  /** Header name to schema; an optional schema is a header that is not always sent. */
  readonly headers?: Readonly<Record<string, z.ZodType>>;
}

/** JSON with this schema. */
export function json(description: string, schema: z.ZodType, headers?: Answer['headers']): Answer {
  return { description, content: { 'application/json': { schema } }, headers };
}

/** What every handler may use: the use cases, the OpenAPI document, the instance's shutdown. */
export interface RouteDependencies {
  readonly useCases: UseCases;
  /** The OpenAPI document, serialized once. */
  readonly openApiJson: string;
  /** Whether the instance drains; where a long-lived answer learns that it must end. */
  readonly shutdown: ShutdownSignal;
  /** The event streams open on this instance, and their limits. */
  readonly eventStreams: EventStreams;
}

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler gets: the request, its query and body already validated, and the use cases. */
export interface HandlerInput<Q, B> extends RouteDependencies {
  readonly ctx: Context;
  readonly query: Parsed<Q>;
  readonly body: Parsed<B>;
}

type Schema = z.ZodType | undefined;
/** A query string's schema: an object of parameters. */
type QuerySchema = z.ZodType<unknown, Record<string, unknown>> | undefined;

/**
 * One HTTP operation, declared once: it registers the Koa route (`registerOperations`) and
 * describes it in the OpenAPI document (`operationObject`). A request runs, in this order: the
 * token check and the per-user rate limit (`access: 'token'`), each step of `before`, the query's
 * validation, the body's, then `handle`.
 */
export interface Operation<Q extends QuerySchema = QuerySchema, B extends Schema = Schema> {
  readonly method: HttpMethod;
  /** An OpenAPI path template: `/api/{userId}/tasks/{taskId}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: ApiTag;
  /**
   * `token`: behind the bearer token and the per-user rate limit; their answers (400, 401, 429,
   * 503, 500 and the rate-limit headers) are added to the document. `public`: no token.
   */
  readonly access: 'public' | 'token';
  readonly before?: readonly Step[];
  /** Path parameters the handler itself checks (those of a step come with the step). */
  readonly pathParameters?: z.ZodObject;
  readonly headers?: readonly RequestHeaderName[];
  /** Validated as `query.<name>` (422 naming each refused parameter). */
  readonly query?: Q;
  /** A JSON body, required, validated before `handle` (422 naming each refused field). */
  readonly body?: B;
  /** Every answer that is not a problem, by status. */
  readonly answers: Readonly<Record<number, Answer>>;
  /** The problems `handle` and the use cases it calls may answer. */
  readonly problems?: readonly ProblemUse[];
  /** Extract → call the use case → shape the answer. */
  readonly handle: (input: HandlerInput<Q, B>) => Promise<void> | void;
}

/**
 * An operation, its handler typed by its own query and body schemas. The result forgets them, so
 * operations of every shape go into one list.
 */
export function defineOperation<Q extends QuerySchema = undefined, B extends Schema = undefined>(
  operation: Operation<Q, B>,
): Operation {
  return operation as unknown as Operation;
}
