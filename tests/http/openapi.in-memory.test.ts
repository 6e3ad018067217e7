import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type Koa from 'koa';
import { createUseCases } from '../../src/application/use-cases.js';
import { InMemoryTokenRevocations } from '../../src/infrastructure/auth/in-memory-token-revocations.js';
import { InMemoryTokenVerifier } from '../../src/infrastructure/auth/in-memory-token-verifier.js';
import { InMemoryIdempotencyStore } from '../../src/infrastructure/persistence/in-memory/in-memory-idempotency-store.js';
import { CryptoIdGenerator } from '../../src/infrastructure/system/crypto-id-generator.js';
import { SystemClock } from '../../src/infrastructure/system/system-clock.js';
import { createApp, type AppOptions } from '../../src/interfaces/http/app.js';
import { Api } from '../support/api-client.js';
import { OpenApiContract } from '../support/openapi-contract.js';
import { aTaskView } from '../support/task-builder.js';
import { inMemoryTasks } from '../support/in-memory-tasks.js';

function inMemoryApp(options: AppOptions = {}): Koa {
  const ports = {
    ...inMemoryTasks(),
    idempotency: new InMemoryIdempotencyStore(),
    verifier: new InMemoryTokenVerifier(),
    revocations: new InMemoryTokenRevocations(),
    clock: new SystemClock(),
    ids: new CryptoIdGenerator(),
    readiness: { isReady: async () => true },
  };
  return createApp(createUseCases(ports), options);
}

async function serve(app: Koa): Promise<{ api: Api; server: Server }> {
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { api: new Api(`http://127.0.0.1:${port}`), server };
}

/** Every schema of the document: each `schema` member, and each component schema. */
function schemasIn(node: unknown, at: string[]): unknown[] {
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => {
    const isSchema =
      key === 'schema' || (at.length === 2 && at[0] === 'components' && at[1] === 'schemas');
    return isSchema ? [value] : schemasIn(value, [...at, key]);
  });
}

describe('the OpenAPI document', () => {
  const contract = new OpenApiContract();
  let api: Api;
  let server: Server;

  beforeAll(async () => {
    ({ api, server } = await serve(inMemoryApp()));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const served = await api.request<Record<string, unknown>>('GET', '/openapi.json');
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const validator = new Validator();
    const result = await validator.validate(served.body);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    // What the app serves is what the builder makes (and what the suites check answers against).
    expect(served.body).toEqual(JSON.parse(JSON.stringify(contract.document)));
  });

  it('has schemas that compile as strict JSON Schema 2020-12', () => {
    const ajv = new Ajv2020.default({ strict: true });
    addFormats.default(ajv);
    ajv.addKeyword('example'); // OpenAPI's own (deprecated in favour of examples, still shown)
    // Each schema on its own, the component schemas it refers to as its $defs.
    const standalone = (schema: unknown) =>
      JSON.parse(
        JSON.stringify({
          ...(schema as object),
          $defs: contract.document.components?.schemas,
        }).replaceAll('"#/components/schemas/', '"#/$defs/'),
      ) as object;
    const schemas = schemasIn(contract.document, []);
    expect(schemas.length).toBeGreaterThan(50);
    for (const schema of schemas) expect(() => ajv.compile(standalone(schema))).not.toThrow();
  });

  it('describes the bearer token, where it comes from, and requires it on the API', () => {
    const { components, security, paths } = contract.document;
    expect(components?.securitySchemes?.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: expect.stringContaining('/api/auth/token'),
    });
    expect(security).toEqual([{ bearerAuth: [] }]);
    expect(paths?.['/api/me']?.get?.security).toBeUndefined();
    expect(paths?.['/health']?.get?.security).toEqual([]);
  });

  it('catches an answer that does not match it', () => {
    const headers = new Headers({
      'content-type': 'application/json; charset=utf-8',
      'x-request-id': 'r-1',
      etag: '"1"',
    });
    const task = aTaskView()
      .withId('0b7e5f4e-3c1a-4d2b-9f6e-8a1c2d3e4f50')
      .ownedBy('ada')
      .titled('Pay rent')
      .build();

    const url = `/api/ada/tasks/${task.id}`;
    const check = (status: number, body: unknown, answerHeaders = headers) =>
      contract.problemsOf('GET', url, { status, headers: answerHeaders, body });

    expect(check(200, task)).toEqual([]);
    expect(check(200, { ...task, version: undefined })).toEqual([
      expect.stringMatching(/body: .*version/),
    ]);
    expect(check(200, { ...task, secret: 'x' })).toEqual([
      expect.stringMatching(/additional properties/),
    ]);
    expect(check(200, { ...task, priority: 'urgent' })).toEqual([
      expect.stringMatching(/priority/),
    ]);
    expect(check(201, task)).toEqual([expect.stringMatching(/lists no such answer/)]);
    const noEtag = new Headers(headers);
    noEtag.delete('etag');
    expect(check(200, task, noEtag)).toEqual([expect.stringMatching(/no ETag header/)]);
    const html = new Headers(headers);
    html.set('content-type', 'text/html');
    expect(check(200, '<p>hi</p>', html)).toEqual([
      expect.stringMatching(/Content-Type text\/html/),
    ]);
    expect(check(304, 'a body')).toEqual([expect.stringMatching(/a body where/)]);
    expect(
      check(422, { type: '/problems/validation-error', title: 't', status: 422, detail: 'd' }),
    ).toEqual([expect.stringMatching(/lists no such answer/)]);
  });

  it('serves the reference page under a Content-Security-Policy without inline scripts', async () => {
    const page = await api.request<string>('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("connect-src 'self'");
    expect(page.body).not.toMatch(/<script>|<script [^>]*>[^<]/); // every script has a src
    for (const src of page.body.match(/(?<=src=")[^"]+/g) ?? []) {
      const script = await api.request<string>('GET', src);
      expect(script.status).toBe(200);
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(script.body).not.toMatch(/sourceMappingURL=\S+\s*$/);
    }
    // Names of Object.prototype's members are no assets either.
    for (const path of ['/docs/nothing.js', '/docs/toString', '/docs/constructor']) {
      const missing = await api.request('GET', path);
      expect(missing.status).toBe(404);
      expect(contract.problemsOf('GET', path, missing)).toEqual([]);
    }
  });
});

describe('with API_DOCS=false (apiDocs: false)', () => {
  it('serves neither the document nor the page: 404 for both', async () => {
    const { api, server } = await serve(inMemoryApp({ apiDocs: false }));
    try {
      for (const path of ['/openapi.json', '/docs', '/docs/scalar.js']) {
        const res = await api.request<{ type: string }>('GET', path);
        expect(res.status).toBe(404);
        expect(res.body.type).toBe('/problems/not-found');
      }
      expect((await api.request('GET', '/health')).status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
