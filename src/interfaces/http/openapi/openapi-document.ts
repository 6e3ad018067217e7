import { existsSync, readFileSync } from 'node:fs';
import { createDocument, type ZodOpenApiObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { ALL_OPERATIONS } from '../api.routes.js';
import type { ApiTag, Operation, ProblemUse } from '../operation.js';
import { authOperationObject, operationObject, type ForeignOperation } from './operation-object.js';
export type OpenApiDocument = ReturnType<typeof createDocument>;

const DESCRIPTION = `Tasks of users signed in with [Better Auth](https://www.better-auth.com), behind stateless JWTs.

**Tokens.** Sign up or in through Better Auth (\`POST /api/auth/sign-up/email\`, \`POST /api/auth/sign-in/email\`, under *Authentication* when this service runs its own Better Auth), keep the session cookie they set, exchange it for a JWT at \`GET /api/auth/token\` and send that as \`Authorization: Bearer <token>\`. The README (*The flow*, *Better Auth's endpoints*) says more about them and what a token must say.

**Ownership.** \`{userId}\` in a task URL must be the caller (the token's \`sub\`, also \`GET /api/me\`'s \`id\`). Another user's list, another user's task and a missing task all get the same 404.

**Errors** are RFC 9457 problems (\`application/problem+json\`) with \`type\`, \`title\`, \`status\` and a \`detail\` saying what to fix; a 422 lists each refused field in \`errors\`. A method a path does not have is 405 with \`Allow\`; an unknown path is 404. Every answer carries \`X-Request-Id\`.`;

/** Better Auth's endpoints, when the service runs its own. */
const AUTH_TAG = {
  name: 'Authentication',
  description:
    'Better Auth’s endpoints that this service exposes (described by Better Auth’s own schema generator): sign up or in, then get a token.',
};

/** Better Auth's endpoints as `AuthOperations` (infrastructure) describes them. */
export interface AuthDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, ForeignOperation>>>>;
  readonly securitySchemes: Readonly<Record<string, object>>;
}

const TAGS = {
  Tasks: 'The caller’s own tasks.',
  Users: 'The caller, as the token names them.',
  Health: 'Probes for load balancers and orchestrators.',
  Documentation: 'This document and its page.',
} satisfies Record<ApiTag, string>;

/**
 * The OpenAPI 3.1 document of `operations` (by default every route the HTTP app serves), and of
 * Better Auth's endpoints when the service runs its own (`auth`). Build it once: it is constant.
 */
export function createOpenApiDocument(
  operations: readonly Operation[] = ALL_OPERATIONS,
  auth: AuthDocument | null = null,
): OpenApiDocument {
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
      ...(auth ? [AUTH_TAG] : []),
      ...Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    ],
    security: [{ bearerAuth: [] }],
    paths: { ...(auth ? authPathsOf(auth) : {}), ...pathsOf(operations) },
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A JWT issued by Better Auth: `GET /api/auth/token` with the session cookie answers `{ token }` (24 hours by default). Verified statelessly, following RFC8725 (JSON Web Token Best Current Practices, https://www.rfc-editor.org/rfc/rfc8725): the signature with the one algorithm this API is configured for (EdDSA against the issuer’s key set by default), whatever the token’s header names, so never `none`; then `iss`, `aud`, `exp`, `nbf`, `iat` and `sub`. A token over 8 KiB is refused unread, and a token whose session ended stops working. See *The flow* in the README.',
        },
        ...auth?.securitySchemes,
      },
    },
  };
  return createDocument(spec);
}

/** The paths object: each operation under its path and method. */
function pathsOf(operations: readonly Operation[]): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const operation of operations) {
    paths[operation.path] = {
      ...paths[operation.path],
      [operation.method]: operationObject(operation),
    };
  }
  return paths;
}

/** What the service's own hooks answer on Better Auth's operations (by route, then method). */
const AUTH_HOOK_PROBLEMS: Readonly<
  Record<string, Readonly<Record<string, readonly ProblemUse[]>>>
> = { '/revoke-session': { post: ['session-not-found'] } };

/** Better Auth's operations, under the Authentication tag. */
function authPathsOf(auth: AuthDocument): ZodOpenApiPathsObject {
  return Object.fromEntries(
    Object.entries(auth.paths).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([method, operation]) => [
          method,
          authOperationObject(
            operation,
            AUTH_TAG.name,
            Object.entries(AUTH_HOOK_PROBLEMS).find(([route]) => path.endsWith(route))?.[1][method],
          ),
        ]),
      ),
    ]),
  );
}

/**
 * The package's version: the nearest package.json above this file, so the same code finds it from
 * src/, dist/ and the benchmark's dist-bench/src/.
 */
function packageVersion(): string {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    const file = new URL('package.json', dir);
    if (existsSync(file))
      return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (dir.pathname === '/') throw new Error('package.json not found above ' + import.meta.url);
  }
}
