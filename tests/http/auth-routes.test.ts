import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Validator } from '@seriousme/openapi-schema-validator';
import pg from 'pg';
import { pino } from 'pino';
import type { RunningServer } from '../../src/server.js';
import { betterAuthRoutes } from '../../src/infrastructure/auth/better-auth-routes.js';
import type { OpenApiDocument } from '../../src/interfaces/http/openapi/openapi-document.js';
import { Api, sessionCookie, signUp } from '../support/api-client.js';
import { OpenApiContract } from '../support/openapi-contract.js';
import { rawRequest } from '../support/raw-http.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestService, TEST_AUTH_URL } from '../support/test-service.js';

const PASSWORD = 'correct-horse-battery-staple';

/** Better Auth endpoints that exist in Better Auth 1.7 but that nobody here uses. */
const UNUSED = [
  ['GET', '/list-accounts'],
  ['GET', '/account-info'],
  ['POST', '/link-social'],
  ['POST', '/unlink-account'],
  ['POST', '/refresh-token'],
  ['POST', '/get-access-token'],
  ['GET', '/callback/github'],
  ['POST', '/callback/github'],
  ['POST', '/update-session'],
  ['POST', '/update-user'],
  ['GET', '/delete-user/callback'],
  ['POST', '/change-email'],
  ['POST', '/sign-in/social'],
  ['GET', '/verify-email'],
  ['POST', '/send-verification-email'],
  ['POST', '/verify-password'],
  ['POST', '/request-password-reset'],
  ['GET', '/reset-password/abc'],
  ['POST', '/reset-password'],
  ['GET', '/ok'],
  ['GET', '/error'],
  // The openAPI plugin's own routes: its generator describes the routes above in /openapi.json.
  ['GET', '/open-api/generate-schema'],
  ['GET', '/reference'],
] as const;

/** Not endpoints at all, or spelled differently from the one that exists. */
const NONSENSE = [
  ['GET', ''],
  ['GET', '/'],
  ['GET', '/get-session/'],
  ['GET', '//token'],
  ['GET', '/TOKEN'],
  ['GET', '/x/../token'],
  ['GET', '/no-such-thing'],
  ['POST', `/${'a'.repeat(12_000)}`],
] as const;

interface LogLine {
  level: number;
  msg: string;
  err?: { stack?: string };
}

describe('only the Better Auth routes we use exist', () => {
  let db: TestDatabase;
  let service: RunningServer;
  let production: RunningServer;
  let api: Api;
  const logs: string[] = [];

  beforeAll(async () => {
    db = await createPostgresDatabase('auth_routes');
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
    service = await startTestService({ database: db.config, overrides: { logger } });
    // Production: Better Auth's rate limiter writes a row per client and path it sees.
    production = await startTestService({ database: db.config, production: true });
    api = new Api(service.url);
  });

  afterAll(async () => {
    await service?.close();
    await production?.close();
    await db?.drop();
  });

  const post = (path: string, json: unknown, cookie?: string) =>
    fetch(`${service.url}/api/auth${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Origin: TEST_AUTH_URL,
        ...(cookie ? { Cookie: cookie } : {}),
      },
      body: JSON.stringify(json),
    });
  const get = (path: string, cookie: string) =>
    fetch(`${service.url}/api/auth${path}`, { headers: { Cookie: cookie } });

  it('keeps sign-up, sign-in, session, token, key set, session revocation, password change and sign-out', async () => {
    const user = await signUp(api, 'Route Keeper');
    expect((await get('/get-session', user.cookie)).status).toBe(200);
    expect((await get('/token', user.cookie)).status).toBe(200);
    expect((await fetch(`${service.url}/api/auth/jwks`)).status).toBe(200);

    const signIn = await post('/sign-in/email', { email: user.email, password: PASSWORD });
    expect(signIn.status).toBe(200);
    const second = sessionCookie(signIn.headers);
    const sessions = await get('/list-sessions', user.cookie);
    expect(sessions.status).toBe(200);
    const listed = (await sessions.json()) as { token: string }[];
    expect(listed).toHaveLength(2);

    expect((await post('/revoke-other-sessions', {}, second)).status).toBe(200);
    expect((await get('/get-session', user.cookie)).status).toBe(200);
    expect(await (await get('/get-session', user.cookie)).json()).toBeNull();

    const changed = await post(
      '/change-password',
      { currentPassword: PASSWORD, newPassword: `${PASSWORD}-2`, revokeOtherSessions: true },
      second,
    );
    expect(changed.status).toBe(200);
    const third = sessionCookie(changed.headers) || second;
    const [session] = (await (await get('/list-sessions', third)).json()) as { token: string }[];
    expect((await post('/revoke-session', { token: session?.token }, third)).status).toBe(200);

    const again = await post('/sign-in/email', { email: user.email, password: `${PASSWORD}-2` });
    const fourth = sessionCookie(again.headers);
    expect((await post('/revoke-sessions', {}, fourth)).status).toBe(200);
    const last = await post('/sign-in/email', { email: user.email, password: `${PASSWORD}-2` });
    expect((await post('/sign-out', {}, sessionCookie(last.headers))).status).toBe(200);
  });

  it('describes exactly these routes in /openapi.json, and their answers match what it says', async () => {
    const served = (await (await fetch(`${service.url}/openapi.json`)).json()) as Record<
      string,
      unknown
    >;
    expect(await new Validator().validate(served)).toEqual({ valid: true });
    const document = served as unknown as OpenApiDocument;
    const described = Object.entries(document.paths ?? {})
      .filter(([path]) => path.startsWith('/api/auth/'))
      .flatMap(([path, item]) => Object.keys(item ?? {}).map((m) => `${m.toUpperCase()} ${path}`));
    expect(described.sort()).toEqual(
      betterAuthRoutes(service.services.betterAuth!.auth.options)
        .map(({ method, path }) => `${method} /api/auth${path}`)
        .sort(),
    );
    const session = document.paths?.['/api/auth/token']?.get?.security;
    expect(session).toEqual([{ sessionCookie: [] }]);
    expect(document.paths?.['/api/auth/sign-up/email']?.post?.security).toEqual([]);

    const contract = new OpenApiContract(document);
    const check = async (method: string, path: string, res: globalThis.Response) => {
      const text = await res.text();
      const body: unknown =
        text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
      expect(
        contract.problemsOf(method, path, { status: res.status, headers: res.headers, body }),
      ).toEqual([]);
    };
    const email = `described-${Date.now()}@example.com`;
    const signedUp = await post('/sign-up/email', { name: 'Described', email, password: PASSWORD });
    const cookie = sessionCookie(signedUp.headers);
    await check('POST', '/api/auth/sign-up/email', signedUp);
    await check(
      'POST',
      '/api/auth/sign-up/email',
      await post('/sign-up/email', { name: 'Again', email, password: PASSWORD }),
    );
    await check(
      'POST',
      '/api/auth/sign-in/email',
      await post('/sign-in/email', { email, password: 'wrong-password' }),
    );
    await check('GET', '/api/auth/get-session', await get('/get-session', cookie));
    await check('GET', '/api/auth/token', await get('/token', cookie));
    await check('GET', '/api/auth/list-sessions', await get('/list-sessions', cookie));
    await check('GET', '/api/auth/jwks', await fetch(`${service.url}/api/auth/jwks`));
    expect(contract.checked).toBe(7);
  });

  it.each([...UNUSED, ...NONSENSE])('404 problem for %s /api/auth%s', async (method, path) => {
    const res = await rawRequest(service.url, `/api/auth${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL },
      send: (req) => void req.end(method === 'POST' ? '{}' : undefined),
    });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(res.body)).toMatchObject({ status: 404, title: 'Not found' });
  });

  it('lets no unknown path reach Better Auth’s rate limiter: no rate-limit row, bounded keys', async () => {
    for (const [method, path] of [...UNUSED, ...NONSENSE]) {
      const res = await rawRequest(production.url, `/api/auth${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL },
        send: (req) => void req.end(method === 'POST' ? '{}' : undefined),
      });
      expect(res.status).toBe(404);
    }
    // A known path does reach it, so an empty table would prove nothing.
    const known = await fetch(`${production.url}/api/auth/get-session`);
    expect(known.status).toBe(200);

    const keys = await rateLimitKeys(db);
    expect(keys).toContain('127.0.0.1|/get-session');
    for (const key of keys) {
      expect(key.length).toBeLessThan(100);
      expect(key).toMatch(/\|\/(get-session|sign-in\/email|sign-up\/email|token|jwks)$/);
    }
  });

  it.each([
    ['TRACE', '/get-session', 'GET'],
    ['PUT', '/get-session', 'GET'],
    ['DELETE', '/token', 'GET'],
    ['OPTIONS', '/jwks', 'GET'],
    ['POST', '/get-session', 'GET'],
    ['GET', '/sign-in/email', 'POST'],
    ['PATCH', '/sign-up/email', 'POST'],
  ])(
    '405 with Allow for %s /api/auth%s, and nothing in the log but the request line',
    async (method, path, allow) => {
      const before = logs.length;
      const res = await rawRequest(service.url, `/api/auth${path}`, { method });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      const lines = logs.slice(before).map((line) => JSON.parse(line) as LogLine);
      expect(lines.filter((line) => line.level >= 40 || line.err)).toEqual([]);
      expect(lines.map((line) => line.msg)).toEqual(['request']);
    },
  );

  it.each([
    ['a space', { Host: 'a b' }],
    ['an unclosed IPv6 bracket', { Host: '[bad' }],
    ['a path', { Host: `tasks.example.com/${'a'.repeat(8_000)}` }],
    ['a query', { Host: 'tasks.example.com?x=1' }],
    ['a user name', { Host: 'evil@127.0.0.1' }],
    ['a user name and password', { Host: 'evil:secret@127.0.0.1' }],
    ['a fragment', { Host: 'tasks.example.com#x' }],
    ['a backslash', { Host: 'tasks.example.com\\x' }],
    ['a port out of range', { Host: 'tasks.example.com:99999' }],
    ['an address the parser rewrites', { Host: '0x7f.1' }],
    ['a name the parser rewrites', { Host: 'b\u00fccher.example' }],
    ['percent-encoding', { Host: 'tasks%2eexample.com' }],
  ])('400 problem, and no stack in the log, for a Host header with %s', async (_case, headers) => {
    const before = logs.length;
    const res = await rawRequest(service.url, '/api/auth/get-session', { method: 'GET', headers });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ status: 400, type: '/problems/invalid-host' });
    const lines = logs.slice(before).map((line) => JSON.parse(line) as LogLine);
    expect(lines.filter((line) => line.level >= 40 || line.err)).toEqual([]);
  });

  it.each(['/health', '/ready', '/api/me', '/openapi.json', '/docs', '/nowhere', '/api/auth/ok'])(
    '400 invalid-host on %s for a Host with a user name',
    async (path) => {
      const res = await rawRequest(service.url, path, {
        method: 'GET',
        headers: { Host: 'evil@127.0.0.1' },
      });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(JSON.parse(res.body)).toMatchObject({ type: '/problems/invalid-host' });
    },
  );

  it('takes an empty Host outside /api/auth, where no URL is built from it', async () => {
    // node:http would fill an empty Host in: the request goes out as bytes.
    const statusFor = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const { hostname, port } = new URL(service.url);
        const socket = connect(Number(port), hostname, () =>
          socket.write(`GET ${path} HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n`),
        );
        socket.once('data', (chunk: Buffer) => {
          resolve(chunk.toString('latin1').split(' ')[1] ?? '');
          socket.destroy();
        });
        socket.once('error', reject);
      });
    expect(await statusFor('/health')).toBe('200');
    expect(await statusFor('/api/auth/get-session')).toBe('400');
  });

  it.each(['task-api.test', 'TASK-API.test', 'task-api.test:8000', '127.0.0.1', '[::1]:8000'])(
    'takes Host: %s',
    async (host) => {
      const res = await rawRequest(service.url, '/api/auth/get-session', {
        method: 'GET',
        headers: { Host: host },
      });
      expect(res.status).toBe(200);
    },
  );

  it.each(['https, http', 'HTTPS', 'gopher'])(
    'takes X-Forwarded-Proto: %s without failing',
    async (proto) => {
      const res = await rawRequest(service.url, '/api/auth/get-session', {
        method: 'GET',
        headers: { 'X-Forwarded-Proto': proto },
      });
      expect(res.status).toBe(200);
    },
  );

  describe('bodies over 64 KiB', () => {
    const MiB = 1024 * 1024;

    it('413 for a Content-Length over the limit, before the body is sent', async () => {
      const res = await rawRequest(service.url, '/api/auth/sign-out', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': String(MiB) },
        send: () => undefined, // the announced megabyte never comes
      });
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    });

    it('413 for a chunked body as soon as it grows past the limit', async () => {
      const chunk = Buffer.alloc(16 * 1024, 'a');
      let sent = 0;
      const res = await rawRequest(service.url, '/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
        send: async (req, answered) => {
          // Never ends on its own: only the server's answer stops it.
          while (!answered() && sent < 64 * MiB) {
            req.write(chunk);
            sent += chunk.length;
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        },
      });
      expect(res.status).toBe(413);
      expect(sent).toBeLessThan(64 * MiB);
    });

    it.each([
      '/sign-up/email',
      '/sign-in/email',
      '/sign-out',
      '/change-password',
      '/revoke-sessions',
    ])('413 for a whole 1 MiB body to %s', async (path) => {
      const res = await fetch(`${service.url}/api/auth${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: TEST_AUTH_URL },
        body: JSON.stringify({ name: 'x'.repeat(MiB) }),
      });
      expect(res.status).toBe(413);
    });

    it('passes a small chunked body on to Better Auth whole', async () => {
      const res = await rawRequest(service.url, '/api/auth/sign-in/email', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Transfer-Encoding': 'chunked',
          Origin: TEST_AUTH_URL,
        },
        send: (req) => {
          req.write('{"email":"nobody@example.com",');
          req.end('"password":"wrong-password"}');
        },
      });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'INVALID_EMAIL_OR_PASSWORD' });
    });

    it('passes a body just under the limit on to Better Auth', async () => {
      const res = await post('/sign-in/email', {
        email: 'nobody@example.com',
        password: 'wrong-password',
        padding: 'x'.repeat(60 * 1024),
      });
      expect(res.status).toBe(401);
    });
  });
});

async function rateLimitKeys(db: TestDatabase): Promise<string[]> {
  if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
  const client = new pg.Client({ connectionString: db.config.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ key: string }>('select key from "rateLimit"');
    return rows.map((row) => row.key);
  } finally {
    await client.end();
  }
}
