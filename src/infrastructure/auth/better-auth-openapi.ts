import type { BetterAuthRoute } from './better-auth-routes.js';
import { EMAIL_MAX_LENGTH, IMAGE_MAX_LENGTH, NAME_MAX_LENGTH } from './identity-rules.js';

type Json = Record<string, unknown>;

/** Better Auth's endpoints as OpenAPI operations, for the service's own document. */
export interface AuthOperations {
  /** Path items under their full path (`/api/auth/sign-in/email`), methods in lower case. */
  readonly paths: Record<string, Record<string, Json>>;
  /** The scheme of the session cookie sign-up and sign-in set (`sessionCookie`). */
  readonly securitySchemes: Record<string, Json>;
}

/** What the `openAPI` plugin's generator answers (the part read here). */
interface GeneratedDocument {
  readonly paths: Readonly<Record<string, object | undefined>>;
  readonly components?: { readonly schemas?: Record<string, unknown> };
}

export interface AuthDescription {
  /** The document Better Auth's `openAPI` plugin generates from its endpoints' own schemas. */
  readonly generated: GeneratedDocument;
  readonly routes: readonly BetterAuthRoute[];
  readonly basePath: string;
  /** The session cookie's name (`__Secure-` prefixed behind https). */
  readonly sessionCookie: string;
  /** Better Auth's maxPasswordLength. */
  readonly maxPasswordLength: number;
}

/**
 * The operations of the route table, taken from Better Auth's generated document: each under its
 * full path, with the table's summary, behind the session cookie where it needs one (Better Auth
 * says `bearerAuth` for all, which here is the API's JWT), its schemas inlined and in JSON
 * Schema 2020-12 (`nullable` becomes a `null` type), and the length limits this service enforces
 * on a user's fields said where they are sent. Anything else Better Auth serves stays out, as it
 * stays unreachable.
 */
export function authOperations(description: AuthDescription): AuthOperations {
  const { generated, routes, basePath } = description;
  const schemas = generated.components?.schemas ?? {};
  // Better Auth refuses a longer password wherever it takes one; the identity hooks a longer
  // name, email or image when a user is written (on sign-up here).
  const passwords = ['password', 'currentPassword', 'newPassword'].map((field) => [
    field,
    description.maxPasswordLength,
  ]);
  const identity = { name: NAME_MAX_LENGTH, email: EMAIL_MAX_LENGTH, image: IMAGE_MAX_LENGTH };
  const limitsOf = (path: string): Record<string, number> => ({
    ...Object.fromEntries(passwords),
    ...(path === '/sign-up/email' ? identity : {}),
  });
  const paths: AuthOperations['paths'] = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const method = route.method.toLowerCase();
    const item = generated.paths[path] as Record<string, Json | undefined> | undefined;
    const operation = item?.[method];
    if (!operation) throw new Error(`Better Auth describes no ${route.method} ${route.path}`);
    const { tags: _, security: __, requestBody, ...rest } = inlined(operation, schemas) as Json;
    paths[`${basePath}${path}`] = {
      ...paths[`${basePath}${path}`],
      [method]: {
        ...rest,
        operationId: rest.operationId ?? camelCase(route.path),
        summary: route.summary,
        security: route.session ? [{ sessionCookie: [] }] : [],
        ...(requestBody ? { requestBody: bounded(requestBody, limitsOf(route.path)) } : {}),
      },
    };
  }
  return {
    paths,
    securitySchemes: {
      sessionCookie: {
        type: 'apiKey',
        in: 'cookie',
        name: description.sessionCookie,
        description:
          'The session Better Auth keeps in this cookie: set by sign-up and sign-in, sent back by the browser (or by your client, which keeps it like a password). Only the `/api/auth` operations read it; exchange it for a JWT at `GET /api/auth/token`.',
      },
    },
  };
}

/** `node` with every `#/components/schemas/…` reference replaced by its schema. */
function inlined(node: unknown, schemas: Record<string, unknown>): unknown {
  if (Array.isArray(node)) return node.map((item) => inlined(item, schemas));
  if (node === null || typeof node !== 'object') return node;
  const { $ref, nullable, ...rest } = node as Json;
  if (typeof $ref === 'string') {
    const name = $ref.replace('#/components/schemas/', '');
    if (!(name in schemas)) throw new Error(`Better Auth's document has no schema ${$ref}`);
    return inlined(optionalAsNull(schemas[name] as Json), schemas);
  }
  const copy = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [key, inlined(value, schemas)]),
  );
  return nullable === true ? withNull(copy) : copy;
}

/**
 * A table's schema, a column that is not required read as one that may be null (Better Auth
 * answers `"image": null`; its generator says only `string`).
 */
function optionalAsNull(model: Json): Json {
  const required = new Set((model.required ?? []) as string[]);
  const properties = (model.properties ?? {}) as Record<string, Json>;
  return {
    ...model,
    properties: Object.fromEntries(
      Object.entries(properties).map(([name, schema]) => [
        name,
        required.has(name) ? schema : withNull(schema),
      ]),
    ),
  };
}

function withNull(schema: Json): Json {
  const { type } = schema;
  if (type === undefined) return { anyOf: [schema, { type: 'null' }] };
  const types = Array.isArray(type) ? type : [type];
  return { ...schema, type: [...new Set([...types, 'null'])] };
}

/** A request body whose fields named in `limits` say the longest value the service takes. */
function bounded(requestBody: unknown, limits: Record<string, number>): unknown {
  const body = requestBody as { content?: Record<string, { schema?: Json }> };
  const content = Object.fromEntries(
    Object.entries(body.content ?? {}).map(([type, media]) => {
      const properties = (media.schema?.properties ?? {}) as Record<string, Json>;
      const withLimits = Object.fromEntries(
        Object.entries(properties).map(([name, schema]) => [
          name,
          limits[name] === undefined ? schema : { ...schema, maxLength: limits[name] },
        ]),
      );
      return [type, { ...media, schema: { ...media.schema, properties: withLimits } }];
    }),
  );
  return { ...body, content };
}

/** `/revoke-other-sessions` → `revokeOtherSessions`. */
function camelCase(path: string): string {
  return path
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1)))
    .join('');
}
