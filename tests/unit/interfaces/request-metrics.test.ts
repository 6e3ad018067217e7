import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Router from '@koa/router';
import Koa from 'koa';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  requestMetrics,
  type HttpMetricsRecorder,
  type RateLimiterName,
} from '../../../src/interfaces/http/middleware/request-metrics.js';
import { markRoute } from '../../../src/interfaces/http/route-template.js';

class RecordingRecorder implements HttpMetricsRecorder {
  readonly requests: [string, string, number][] = [];
  readonly refusals: RateLimiterName[] = [];
  requestHandled(method: string, route: string, status: number): void {
    this.requests.push([method, route, status]);
  }
  rateLimited(limiter: RateLimiterName): void {
    this.refusals.push(limiter);
  }
  eventStreamOpened(): void {}
  eventStreamClosed(): void {}
}

describe('requestMetrics: what the HTTP layer counts', () => {
  const recorder = new RecordingRecorder();
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const app = new Koa();
    app.silent = true;
    app.use(requestMetrics(recorder, '/api/auth'));
    app.use(async (ctx, next) => {
      if (ctx.path === '/api/auth/sign-in/email') {
        markRoute(ctx, '/api/auth/sign-in/email');
        ctx.status = 429;
        ctx.body = 'slow down';
        return;
      }
      await next();
    });
    const router = new Router();
    router.get('/things/:id', (ctx) => {
      ctx.body = { id: ctx.params.id };
    });
    router.get('/limited/:id', (ctx) => {
      ctx.status = 429;
      ctx.body = 'slow down';
    });
    router.get('/broken/:id', () => {
      throw new Error('nobody caught this');
    });
    app.use(router.routes()).use(router.allowedMethods());
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('labels the route by its template, an unknown method as OTHER, and a stray error as 500', async () => {
    await fetch(`${url}/things/secret-id-1`);
    await fetch(`${url}/nothing/secret-id-2`);
    await fetch(`${url}/things/secret-id-3`, { method: 'PROPFIND' });
    await fetch(`${url}/broken/secret-id-4`);
    expect(recorder.requests.splice(0)).toEqual([
      ['GET', '/things/:id', 200],
      ['GET', 'unmatched', 404],
      ['OTHER', 'unmatched', 501],
      ['GET', '/broken/:id', 500],
    ]);
  });

  it('counts a 429 by the limit that answered it', async () => {
    await fetch(`${url}/limited/secret-id-5`);
    await fetch(`${url}/api/auth/sign-in/email`);
    expect(recorder.refusals).toEqual(['per_user', 'better_auth']);
  });
});
