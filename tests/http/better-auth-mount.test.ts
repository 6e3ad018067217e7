import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import Koa from 'koa';
import { pino } from 'pino';
import { ProxyTrust } from '../../src/interfaces/http/client-address.js';
import {
  mountBetterAuth,
  type NodeHandler,
} from '../../src/interfaces/http/middleware/better-auth-mount.js';

const LEAK = 'relation "session" does not exist at /srv/node_modules/better-auth/dist/x.mjs';

/** The mount alone in front of a Koa app that answers 204, served over real HTTP. */
async function serve(handler: NodeHandler, trustedProxies: string[] = []) {
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  const app = new Koa();
  app.use(async (ctx, next) => {
    ctx.state.requestId = 'req-1';
    await next();
  });
  app.use(mountBetterAuth('/api/auth', handler, new ProxyTrust(trustedProxies), logger));
  app.use((ctx) => {
    ctx.status = 204;
  });
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, logs };
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

describe('Better Auth mounted at /api/auth', () => {
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

  it('cuts the connection when the handler throws after it started answering', async () => {
    const { url } = await serve(async (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"partial":');
      throw new Error(LEAK);
    });

    const answer = fetch(`${url}/api/auth/get-session`).then((res) => res.text());

    await expect(answer).rejects.toThrow();
  });

  it('hands only its own paths to Better Auth', async () => {
    const seen: string[] = [];
    const { url } = await serve(async (req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200).end('auth');
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
  ])('%s', async (_name, proxies, expected) => {
    let forwarded: string | string[] | undefined;
    const { url } = await serve(async (req, res) => {
      forwarded = req.headers['x-forwarded-for'];
      res.writeHead(200).end();
    }, proxies);

    await fetch(`${url}/api/auth/sign-in/email`, {
      headers: { 'X-Forwarded-For': '203.0.113.9' },
    });

    expect(forwarded).toBe(expected);
  });
});
