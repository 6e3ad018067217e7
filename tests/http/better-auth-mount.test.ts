import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import { pino } from 'pino';
import { jwt } from 'better-auth/plugins';
import { betterAuthRoutes } from '../../src/infrastructure/auth/better-auth-routes.js';
import { parseProxyRange } from '../../src/infrastructure/config/env.js';
import { ProxyTrust, type ProxyRange } from '../../src/interfaces/http/client-address.js';
import {
  mountBetterAuth,
  type FetchHandler,
} from '../../src/interfaces/http/middleware/better-auth-mount.js';
import { problemHandler } from '../../src/interfaces/http/middleware/problem-handler.js';

const LEAK = 'relation "session" does not exist at /srv/node_modules/better-auth/dist/x.mjs';

interface Setup {
  readonly trustedProxies?: string[];
  readonly databaseUp?: boolean;
}

/** The mount behind the problem handler, in front of a Koa app that answers 204, over HTTP. */
async function serve(handler: FetchHandler, setup: Setup = {}) {
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  let readinessChecks = 0;
  const app = new Koa();
  app.silent = true; // the broken-stream case must not print; createApp logs it through pino
  app.use(async (ctx, next) => {
    ctx.state.requestId = 'req-1';
    await next();
  });
  app.use(problemHandler(logger));
  app.use(
    mountBetterAuth({
      basePath: '/api/auth',
      handler,
      proxies: new ProxyTrust((setup.trustedProxies ?? []).map(proxyRange)),
      databaseUp: async () => {
        readinessChecks += 1;
        return setup.databaseUp ?? true;
      },
      logger,
    }),
  );
  app.use((ctx) => {
    ctx.status = 204;
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, logs, readinessChecks: () => readinessChecks };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(resolve);
        }),
    ),
  );
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('Better Auth mounted at /api/auth', () => {
  it('passes Better Auth’s answers through, headers and cookies included', async () => {
    const { url, readinessChecks } = await serve(async () => {
      const res = json(200, { token: 'jwt' });
      res.headers.append('Set-Cookie', 'a=1; Path=/');
      res.headers.append('Set-Cookie', 'b=2; Path=/');
      return res;
    });

    const res = await fetch(`${url}/api/auth/token`);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ token: 'jwt' });
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(readinessChecks()).toBe(0);
  });

  it('answers a 500 problem, without the error, when the auth handler throws', async () => {
    const { url, logs } = await serve(async () => {
      throw new Error(LEAK);
    });

    const res = await fetch(`${url}/api/auth/get-session`);

    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({
      status: 500,
      title: 'Internal server error',
      requestId: 'req-1',
    });
    expect(text).not.toContain('relation');
    expect(text).not.toContain('node_modules');
    // The operator sees it, in the log.
    expect(logs.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({
        requestId: 'req-1',
        err: expect.objectContaining({ message: LEAK }),
      }),
    );
  });

  it.each([
    ['POST', '/sign-up/email', 'Signing up'],
    ['POST', '/sign-in/email', 'Signing in'],
    ['POST', '/sign-out', 'Signing out'],
    ['GET', '/get-session', 'Reading your sessions'],
    ['GET', '/list-sessions', 'Reading your sessions'],
    ['GET', '/token', 'Issuing a token'],
    ['GET', '/jwks', 'Serving the signing keys'],
    ['POST', '/revoke-session', 'Ending sessions'],
    ['POST', '/revoke-sessions', 'Ending sessions'],
    ['POST', '/revoke-other-sessions', 'Ending sessions'],
    ['POST', '/change-password', 'Changing the password'],
    ['POST', '/request-password-reset', 'Resetting the password'],
    ['GET', '/reset-password/abc', 'Resetting the password'],
    ['POST', '/reset-password', 'Resetting the password'],
    ['POST', '/delete-user', 'Deleting the account'],
    ['GET', '/delete-user/callback', 'Deleting the account'],
  ])('names what failed in its 500: %s %s → “%s failed”', async (method, path, action) => {
    const { url } = await serve(async () => {
      throw new Error(LEAK);
    });

    const res = await fetch(`${url}/api/auth${path}`, {
      method,
      body: method === 'POST' ? '{}' : undefined,
      headers: method === 'POST' ? { 'Content-Type': 'application/json' } : {},
    });

    expect(res.status).toBe(500);
    expect(((await res.json()) as { detail: string }).detail).toBe(
      `${action} failed on our side. Try again, and quote the requestId if it persists.`,
    );
  });

  it('names what failed for every route Better Auth may serve here', async () => {
    const { url } = await serve(async () => {
      throw new Error(LEAK);
    });
    const routes = betterAuthRoutes({
      emailAndPassword: { enabled: true, sendResetPassword: async () => undefined },
      user: { deleteUser: { enabled: true, sendDeleteAccountVerification: async () => undefined } },
      plugins: [jwt()],
    });

    for (const { method, path } of routes) {
      const res = await fetch(`${url}/api/auth${path.replace(':token', 'abc')}`, { method });
      expect(`${method} ${path}: ${((await res.json()) as { detail: string }).detail}`).toMatch(
        /: (Signing|Reading|Issuing|Serving|Ending|Changing|Resetting|Deleting) /,
      );
    }
  });

  it('answers its own 500 problem, naming what failed, for a 5xx Better Auth answered', async () => {
    const { url, logs } = await serve(async () =>
      json(500, { code: 'FAILED_TO_CREATE_SESSION', message: LEAK }),
    );

    const res = await fetch(`${url}/api/auth/sign-in/email`, { method: 'POST', body: '{}' });

    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({
      status: 500,
      detail: 'Signing in failed on our side. Try again, and quote the requestId if it persists.',
      requestId: 'req-1',
    });
    expect(text).not.toContain('FAILED_TO_CREATE_SESSION');
    expect(text).not.toContain('relation');
    expect(logs.map((line) => JSON.parse(line))).toContainEqual(
      expect.objectContaining({ level: 50, requestId: 'req-1', status: 500 }),
    );
  });

  it.each([
    ['a 401 ("no session")', 401],
    ['a 500', 500],
  ])('answers 503 instead of %s while the database is down', async (_name, status) => {
    const { url } = await serve(async () => json(status, { message: 'Unauthorized' }), {
      databaseUp: false,
    });

    const res = await fetch(`${url}/api/auth/token`);

    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
  });

  it('passes a 401 through when the database is up: the session is really gone', async () => {
    const { url, readinessChecks } = await serve(async () => json(401, { message: 'no' }));

    const res = await fetch(`${url}/api/auth/token`);

    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'no' });
    expect(readinessChecks()).toBe(1);
  });

  it('cuts the connection when the answer fails after it started', async () => {
    const { url } = await serve(async () => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"partial":'));
          controller.error(new Error(LEAK));
        },
      });
      return new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } });
    });

    const answer = fetch(`${url}/api/auth/get-session`).then((res) => res.text());

    await expect(answer).rejects.toThrow();
  });

  it('hands only its own paths to Better Auth', async () => {
    const seen: string[] = [];
    const { url } = await serve(async (request) => {
      seen.push(new URL(request.url).pathname);
      return new Response('auth', { status: 200 });
    });

    expect((await fetch(`${url}/api/auth`)).status).toBe(200);
    expect((await fetch(`${url}/api/auth/ok`)).status).toBe(200);
    expect((await fetch(`${url}/api/authority`)).status).toBe(204);
    expect((await fetch(`${url}/api/tasks`)).status).toBe(204);
    expect(seen).toEqual(['/api/auth', '/api/auth/ok']);
  });

  it.each([
    ['replaces a client-supplied X-Forwarded-For with the socket address', [], '127.0.0.1'],
    ['keeps the X-Forwarded-For of a trusted proxy', ['127.0.0.1'], '203.0.113.9'],
  ])('%s', async (_name, trustedProxies, expected) => {
    let forwarded: string | null = null;
    const { url } = await serve(
      async (request) => {
        forwarded = request.headers.get('x-forwarded-for');
        return new Response(null, { status: 204 });
      },
      { trustedProxies },
    );

    await fetch(`${url}/api/auth/sign-in/email`, {
      headers: { 'X-Forwarded-For': '203.0.113.9' },
    });

    expect(forwarded).toBe(expected);
  });
});

function proxyRange(entry: string): ProxyRange {
  const range = parseProxyRange(entry);
  if (!range) throw new Error(`not a proxy address: ${entry}`);
  return range;
}
