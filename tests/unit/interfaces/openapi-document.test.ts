import { describe, expect, it } from '@jest/globals';
import { createOpenApiDocument } from '../../../src/interfaces/http/openapi/openapi-document.js';
import { PROBLEMS, type ProblemSlug } from '../../../src/interfaces/http/problem-types.js';

interface Schema {
  readonly type?: string | readonly string[];
  readonly format?: string;
  readonly maxLength?: number;
  readonly maxItems?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly $ref?: string;
  readonly properties?: Record<string, Schema>;
  readonly items?: Schema;
  readonly anyOf?: readonly Schema[];
  readonly allOf?: readonly Schema[];
}
interface Parameter {
  readonly name?: string;
  readonly in?: string;
  readonly schema?: Schema;
  readonly $ref?: string;
}
interface Response {
  readonly headers?: Record<string, { $ref?: string; required?: boolean }>;
  readonly content?: Record<string, { schema?: Schema }>;
}
interface OperationObject {
  readonly security?: unknown[];
  readonly parameters?: Parameter[];
  readonly requestBody?: { content: Record<string, { schema: Schema }> };
  readonly responses: Record<string, Response>;
}

const document = createOpenApiDocument() as unknown as {
  paths: Record<string, Record<string, OperationObject>>;
  components: {
    parameters: Record<string, Parameter>;
    headers: Record<string, { required?: boolean }>;
    securitySchemes: Record<string, { description?: string }>;
  };
};

const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ at: `${method} ${path}`, operation })),
);
const behindToken = operations.filter(({ operation }) => operation.security === undefined);

function parametersOf(operation: OperationObject): Parameter[] {
  return (operation.parameters ?? []).map((parameter) =>
    parameter.$ref
      ? document.components.parameters[parameter.$ref.split('/').pop() ?? '']!
      : parameter,
  );
}

/** Every schema inside `schema` (itself included), through properties, items and unions. */
function schemasIn(schema: Schema): Schema[] {
  return [
    schema,
    ...Object.values(schema.properties ?? {}).flatMap(schemasIn),
    ...(schema.items ? schemasIn(schema.items) : []),
    ...(schema.anyOf ?? []).flatMap(schemasIn),
    ...(schema.allOf ?? []).flatMap(schemasIn),
  ];
}

function isA(schema: Schema, type: string): boolean {
  return schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type));
}

describe('the OpenAPI document', () => {
  it('describes limit as an integer and overdue as a boolean, as a generated client sends them', () => {
    const list = parametersOf(document.paths['/api/{userId}/tasks']!.get!);
    const schemaOf = (name: string) => list.find((p) => p.name === name)?.schema;
    expect(schemaOf('limit')).toMatchObject({
      type: 'integer',
      format: 'int32',
      minimum: 1,
      maximum: 100,
      default: 50,
    });
    expect(schemaOf('overdue')).toMatchObject({ type: 'boolean' });
    expect(schemaOf('q')).toMatchObject({ type: 'string', maxLength: 100 });
  });

  it('bounds every string, array and integer a request may carry', () => {
    const inputs = operations.flatMap(({ at, operation }) => [
      ...parametersOf(operation).map((p) => ({ at: `${at} ${p.in} ${p.name}`, schema: p.schema })),
      ...Object.values(operation.requestBody?.content ?? {}).map(({ schema }) => ({
        at: `${at} body`,
        schema,
      })),
    ]);
    const unbounded = inputs.flatMap(({ at, schema }) =>
      schemasIn(schema ?? {})
        .filter((s) => s.enum === undefined && s.const === undefined)
        .filter(
          (s) =>
            (isA(s, 'string') && s.maxLength === undefined) ||
            (isA(s, 'array') && s.maxItems === undefined) ||
            (isA(s, 'integer') && (s.format === undefined || s.maximum === undefined)),
        )
        .map(() => at),
    );
    expect(inputs.length).toBeGreaterThan(40);
    expect(unbounded).toEqual([]);
  });

  it('documents 401 and 429 with their headers on every operation behind the token', () => {
    expect(behindToken.map(({ at }) => at)).toHaveLength(10);
    for (const { at, operation } of behindToken) {
      const { 401: unauthorized, 429: limited } = operation.responses;
      expect({ at, headers: unauthorized?.headers?.['WWW-Authenticate'] }).toEqual({
        at,
        headers: { $ref: '#/components/headers/WWW-Authenticate' },
      });
      expect({ at, required: document.components.headers['WWW-Authenticate']?.required }).toEqual({
        at,
        required: true,
      });
      for (const name of ['RateLimit', 'RateLimit-Policy']) {
        expect({ at, name, required: limited?.headers?.[name]?.required }).toEqual({
          at,
          name,
          required: true,
        });
      }
      expect({ at, header: limited?.headers?.['Retry-After'] }).toEqual({
        at,
        header: { $ref: '#/components/headers/Retry-After' },
      });
    }
  });

  it('lists under each status only problem types of the registry that have that status', () => {
    const listed = operations.flatMap(({ at, operation }) =>
      Object.entries(operation.responses).flatMap(([status, response]) =>
        Object.values(response.content ?? {})
          .flatMap(({ schema }) => (schema ? schemasIn(schema) : []))
          .flatMap((s) => [...(s.enum ?? []), ...(s.const === undefined ? [] : [s.const])])
          .filter(
            (type): type is string => typeof type === 'string' && type.startsWith('/problems/'),
          )
          .map((type) => ({ at, status: Number(status), slug: type.slice('/problems/'.length) })),
      ),
    );
    expect(listed.length).toBeGreaterThan(50);
    for (const { at, status, slug } of listed) {
      expect({ at, slug, status }).toEqual({
        at,
        slug,
        status: PROBLEMS[slug as ProblemSlug]?.status,
      });
    }
  });

  it('says the bearer token is verified as RFC 8725 asks', () => {
    expect(document.components.securitySchemes.bearerAuth?.description).toContain('RFC8725');
  });
});

describe('the event stream in the OpenAPI document', () => {
  const operation = document.paths['/api/{userId}/tasks/events']?.get as
    (OperationObject & { description?: string }) | undefined;

  it('answers text/event-stream and describes every event it sends', () => {
    expect(Object.keys(operation?.responses[200]?.content ?? {})).toEqual(['text/event-stream']);
    for (const event of ['ready', 'task', 'deleted', 'resync', 'reauth', 'revoked']) {
      expect(operation?.description).toContain(`\`${event}\``);
    }
  });

  it('reads Last-Event-ID and since, and answers its limits', () => {
    const names = (operation?.parameters ?? []).map(
      (parameter) =>
        parameter.name ??
        document.components.parameters[parameter.$ref?.split('/').pop() ?? '']?.name,
    );
    expect(names).toEqual(expect.arrayContaining(['Last-Event-ID', 'since']));
    expect(Object.keys(operation?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '401', '404', '422', '429', '503']),
    );
  });
});
