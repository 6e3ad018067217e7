import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  createDocument,
  type ZodOpenApiObject,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
} from 'zod-openapi';
import {
  createTaskBody,
  listTasksQuery,
  replaceTaskBody,
  updateTaskBody,
} from '../tasks/tasks.schemas.js';
import { requestHeaders as rh, responseHeaders as h } from './http-headers.schemas.js';
import {
  AUTH_ERRORS,
  BODY_ERRORS,
  INTERNAL_ERROR,
  RATE_LIMITED,
  TOO_LARGE,
  UNAUTHORIZED,
  UNAVAILABLE,
  UNSUPPORTED_BODY,
  json,
  problem,
  responses,
  unprocessable,
  type Answer,
  type ProblemKinds,
} from './openapi-answers.js';
import {
  healthResponse,
  meResponse,
  readyResponse,
  taskPageResponse,
  taskResponse,
} from './response.schemas.js';

export type OpenApiDocument = ReturnType<typeof createDocument>;

/** Files of the documentation page, served under /docs/{asset}. */
export const DOCS_ASSETS = ['scalar.js', 'docs.js'] as const;

const DESCRIPTION = `Tasks of users signed in with [Better Auth](https://www.better-auth.com), behind stateless JWTs.

**Tokens.** Sign up or in through Better Auth (\`POST /api/auth/sign-up/email\`, \`POST /api/auth/sign-in/email\`), then exchange the session cookie for a JWT at \`GET /api/auth/token\` and send it as \`Authorization: Bearer <token>\`. Better Auth's routes are not part of this document; the project's README (*The flow*, *Better Auth's endpoints*) describes them and what a token must say.

**Ownership.** \`{userId}\` in a task URL must be the caller (the token's \`sub\`, also \`GET /api/me\`'s \`id\`). Another user's list, another user's task and a missing task all get the same 404.

**Errors** are RFC 9457 problems (\`application/problem+json\`) with \`type\`, \`title\`, \`status\` and a \`detail\` saying what to fix; a 422 lists each refused field in \`errors\`. A method a path does not have is 405 with \`Allow\`; an unknown path is 404. Every answer carries \`X-Request-Id\`.`;

const taskListPath = z.object({
  userId: z.string().meta({
    description: "The caller's user id (the token's `sub`); any other is 404.",
    example: 'kZ3pQ8vN2mX7rT4wY6bH1cJ5dL9fG0sA',
  }),
});
const taskPath = taskListPath.extend({
  taskId: z.guid().meta({
    description: 'The task id; anything but a UUID names no task (404).',
    example: '0b7e5f4e-3c1a-4d2b-9f6e-8a1c2d3e4f50',
  }),
});

const NOT_FOUND = problem(404, {
  'not-found':
    '`{userId}` is not the caller, or the task is missing, someone else’s, or its id is not a UUID: one identical answer for all.',
});
const PRECONDITION_FAILED = problem(412, {
  'precondition-failed':
    'the task is no longer at a version `If-Match` names: nothing changed. GET it again, then reapply the change.',
});
const WRITE_CONFLICT = problem(409, {
  'write-conflict':
    'other writes kept winning over this one (ten tries): nothing was saved; retry.',
  'task-limit-reached':
    'completing a recurring task would create its next occurrence past `MAX_TASKS_PER_USER`.',
});
const IF_MATCH_400 = { 'malformed-precondition': '`If-Match` is not `*` or a list of ETags.' };
const BODY_JSON = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema } },
});
const TASK_ANSWER = { ETag: h.ETag };

/** A task operation: behind the token and the ownership check, and its 400s listed. */
function taskOperation(
  operation: Omit<ZodOpenApiOperationObject, 'responses' | 'tags'>,
  answers: Record<number, Answer>,
  badRequest: ProblemKinds,
  { readsBody }: { readsBody: boolean },
): ZodOpenApiOperationObject {
  const all: Record<number, Answer> = {
    ...answers,
    400: problem(
      400,
      { ...AUTH_ERRORS[400], ...(readsBody ? BODY_ERRORS : {}), ...badRequest },
      { 'WWW-Authenticate': h['WWW-Authenticate'].optional() },
    ),
    401: UNAUTHORIZED,
    404: NOT_FOUND,
    // A body is refused unless it is JSON, on every task route; only writes read it.
    415: UNSUPPORTED_BODY,
    429: RATE_LIMITED,
    500: INTERNAL_ERROR,
    503: UNAVAILABLE,
  };
  if (readsBody) all[413] = TOO_LARGE;
  return { tags: ['Tasks'], ...operation, responses: responses(all, { rateLimited: true }) };
}

const TASK_PATHS: ZodOpenApiPathsObject = {
  '/api/{userId}/tasks': {
    get: taskOperation(
      {
        operationId: 'listTasks',
        summary: 'List tasks',
        description:
          'One page of the caller’s tasks, filtered and sorted; walk the pages with `nextCursor`. Unknown parameters are ignored.',
        requestParams: {
          path: taskListPath,
          query: listTasksQuery,
          header: z.object(pick(rh, 'X-Request-Id')),
        },
      },
      {
        200: json('A page of tasks.', taskPageResponse),
        422: unprocessable('a query parameter (`query.<name>`) or the cursor is not valid'),
      },
      {},
      { readsBody: false },
    ),
    post: taskOperation(
      {
        operationId: 'createTask',
        summary: 'Create a task',
        description:
          'Fields left out take their defaults (`priority` medium, no tags, no due date, no recurrence). Send an `Idempotency-Key` to make a retry safe.',
        requestParams: {
          path: taskListPath,
          header: z.object(pick(rh, 'Idempotency-Key', 'X-Request-Id')),
        },
        requestBody: BODY_JSON(createTaskBody),
      },
      {
        201: json('The new task (or, replayed, the one the key created first).', taskResponse, {
          Location: h.Location,
          ...TASK_ANSWER,
          'Idempotent-Replayed': h['Idempotent-Replayed'],
        }),
        409: problem(
          409,
          {
            'task-limit-reached':
              'the caller already has `MAX_TASKS_PER_USER` tasks; `limit` says how many.',
            'idempotency-key-in-use':
              'the first request with this `Idempotency-Key` is still running (with `Retry-After: 1`).',
          },
          { 'Retry-After': h['Retry-After'].optional() },
        ),
        422: unprocessable('a field is not valid or is set by the server', true),
      },
      {
        'invalid-idempotency-key': '`Idempotency-Key` is not 1–255 printable ASCII characters.',
        'repeated-header': '`Idempotency-Key` was sent twice.',
      },
      { readsBody: true },
    ),
  },
  '/api/{userId}/tasks/{taskId}': {
    get: taskOperation(
      {
        operationId: 'getTask',
        summary: 'Read a task',
        requestParams: {
          path: taskPath,
          header: z.object(pick(rh, 'If-None-Match', 'X-Request-Id')),
        },
      },
      {
        200: json('The task.', taskResponse, TASK_ANSWER),
        304: {
          description: '`If-None-Match` names the current version: what you have is current.',
          headers: TASK_ANSWER,
        },
      },
      { 'malformed-precondition': '`If-None-Match` is not `*` or a list of ETags.' },
      { readsBody: false },
    ),
    put: taskOperation(
      {
        operationId: 'replaceTask',
        summary: 'Replace a task',
        description:
          '`title`, `description` and `completed` are required; `priority`, `tags`, `dueAt` and `recurrence` reset to their defaults when left out. Completing a recurring task creates its next occurrence.',
        requestParams: { path: taskPath, header: z.object(pick(rh, 'If-Match', 'X-Request-Id')) },
        requestBody: BODY_JSON(replaceTaskBody),
      },
      {
        200: json('The task as replaced.', taskResponse, TASK_ANSWER),
        409: WRITE_CONFLICT,
        412: PRECONDITION_FAILED,
        422: unprocessable('a field is not valid, is missing or is set by the server'),
      },
      IF_MATCH_400,
      { readsBody: true },
    ),
    patch: taskOperation(
      {
        operationId: 'updateTask',
        summary: 'Change some fields of a task',
        description:
          'Only the fields sent change. Completing a recurring task creates its next occurrence.',
        requestParams: { path: taskPath, header: z.object(pick(rh, 'If-Match', 'X-Request-Id')) },
        requestBody: BODY_JSON(updateTaskBody),
      },
      {
        200: json('The task as changed.', taskResponse, TASK_ANSWER),
        409: WRITE_CONFLICT,
        412: PRECONDITION_FAILED,
        422: unprocessable('a field is not valid or is set by the server'),
      },
      IF_MATCH_400,
      { readsBody: true },
    ),
    delete: taskOperation(
      {
        operationId: 'deleteTask',
        summary: 'Delete a task',
        requestParams: { path: taskPath, header: z.object(pick(rh, 'If-Match', 'X-Request-Id')) },
      },
      {
        204: { description: 'Deleted.' },
        412: PRECONDITION_FAILED,
      },
      IF_MATCH_400,
      { readsBody: false },
    ),
  },
  '/api/{userId}/tasks/{taskId}/complete': {
    patch: taskOperation(
      {
        operationId: 'toggleTaskCompletion',
        summary: 'Toggle completed',
        description:
          'Completes a pending task, or reopens a completed one. Completing a recurring task creates its next occurrence.',
        requestParams: { path: taskPath, header: z.object(pick(rh, 'If-Match', 'X-Request-Id')) },
      },
      {
        200: json('The task, `completed` toggled.', taskResponse, TASK_ANSWER),
        409: WRITE_CONFLICT,
        412: PRECONDITION_FAILED,
      },
      IF_MATCH_400,
      { readsBody: true },
    ),
  },
};

const OTHER_PATHS: ZodOpenApiPathsObject = {
  '/api/me': {
    get: {
      tags: ['Users'],
      operationId: 'getMe',
      summary: 'Who am I',
      description: 'Answered from the token alone.',
      requestParams: { header: z.object(pick(rh, 'X-Request-Id')) },
      responses: responses(
        {
          200: json('The caller.', meResponse),
          400: problem(400, AUTH_ERRORS[400], { 'WWW-Authenticate': h['WWW-Authenticate'] }),
          401: UNAUTHORIZED,
          429: RATE_LIMITED,
          500: INTERNAL_ERROR,
          503: UNAVAILABLE,
        },
        { rateLimited: true },
      ),
    },
  },
  '/health': {
    get: {
      tags: ['Health'],
      operationId: 'health',
      summary: 'Liveness',
      description: 'The process runs.',
      security: [],
      responses: responses({ 200: json('Alive.', healthResponse) }, { rateLimited: false }),
    },
  },
  '/ready': {
    get: {
      tags: ['Health'],
      operationId: 'ready',
      summary: 'Readiness',
      description:
        'The database answers and this instance is not shutting down: it can serve. Point load balancers here.',
      security: [],
      responses: responses(
        {
          200: json('Ready.', readyResponse),
          503: problem(
            503,
            { 'not-ready': 'the database does not answer, or this instance is shutting down.' },
            { 'Retry-After': h['Retry-After'] },
          ),
        },
        { rateLimited: false },
      ),
    },
  },
};

const DOCS_PATHS: ZodOpenApiPathsObject = {
  '/openapi.json': {
    get: {
      tags: ['Documentation'],
      operationId: 'openApiDocument',
      summary: 'This document',
      security: [],
      responses: responses(
        {
          200: json(
            'OpenAPI 3.1, generated from the schemas that validate the requests.',
            z.looseObject({ openapi: z.string() }),
          ),
        },
        { rateLimited: false },
      ),
    },
  },
  '/docs': {
    get: {
      tags: ['Documentation'],
      operationId: 'apiReference',
      summary: 'This reference, as a page',
      security: [],
      responses: responses(
        { 200: { description: 'The page.', content: { 'text/html': { schema: z.string() } } } },
        { rateLimited: false },
      ),
    },
  },
  '/docs/{asset}': {
    get: {
      tags: ['Documentation'],
      operationId: 'apiReferenceAsset',
      summary: "The page's scripts",
      security: [],
      requestParams: { path: z.object({ asset: z.enum(DOCS_ASSETS) }) },
      responses: responses(
        {
          200: {
            description: 'The script.',
            content: { 'text/javascript': { schema: z.string() } },
          },
          404: problem(404, { 'not-found': 'no such file.' }),
        },
        { rateLimited: false },
      ),
    },
  },
};

/** The OpenAPI 3.1 document of every route the HTTP app serves. Build it once: it is constant. */
export function createOpenApiDocument(): OpenApiDocument {
  const spec: ZodOpenApiObject = {
    openapi: '3.1.1',
    info: {
      title: 'Task API',
      version: packageVersion(),
      description: DESCRIPTION,
    },
    externalDocs: {
      description: 'Better Auth’s JWT plugin, which issues the tokens',
      url: 'https://www.better-auth.com/docs/plugins/jwt',
    },
    tags: [
      { name: 'Tasks', description: 'The caller’s own tasks.' },
      { name: 'Users', description: 'The caller, as the token names them.' },
      { name: 'Health', description: 'Probes for load balancers and orchestrators.' },
      { name: 'Documentation', description: 'This document and its page.' },
    ],
    security: [{ bearerAuth: [] }],
    paths: { ...TASK_PATHS, ...OTHER_PATHS, ...DOCS_PATHS },
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A JWT issued by Better Auth: `GET /api/auth/token` with the session cookie answers `{ token }` (24 hours by default). Verified statelessly: signature (EdDSA by default, against the issuer’s key set), `iss`, `aud`, `exp`; a token whose session ended stops working. See *The flow* in the README.',
        },
      },
    },
  };
  return createDocument(spec);
}

function pick<T extends Record<string, z.ZodType>, K extends keyof T>(
  headers: T,
  ...names: K[]
): Pick<T, K> {
  return Object.fromEntries(names.map((name) => [name, headers[name]])) as Pick<T, K>;
}

/** The package's version, read once (the same path from src/ and from dist/). */
function packageVersion(): string {
  const url = new URL('../../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
