import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Router from '@koa/router';
import Koa from 'koa';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  requestTracing,
  type RequestTracer,
  type ServerSpanEnd,
} from '../../../src/interfaces/http/middleware/request-tracing.js';

/** Keeps what each request's span was opened with and how it ended. */
class RecordingTracer implements RequestTracer {
  readonly spans: { traceparent: unknown; method: string; end: ServerSpanEnd | null }[] = [];

  async traceRequest<T>(
    headers: IncomingHttpHeaders,
    method: string,
    work: (end: (how: ServerSpanEnd) => void) => Promise<T>,
  ): Promise<T> {
    const span = { traceparent: headers.traceparent, method, end: null as ServerSpanEnd | null };
    this.spans.push(span);
    return work((how) => (span.end = how));
  }
}

describe('requestTracing: one server span per request', () => {
  const tracer = new RecordingTracer();
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const app = new Koa();
    app.silent = true;
    app.use(requestTracing(tracer));
    const router = new Router();
    router.get('/things/:id', (ctx) => {
      // The work runs inside the span: it is open (not ended) while the handler runs.
      ctx.body = { open: tracer.spans.at(-1)?.end === null };
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

  it('names it by method and route template, never the path, and ends it with the status sent', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const answer = await fetch(`${url}/things/secret-id-1`, { headers: { traceparent } });
    expect(await answer.json()).toEqual({ open: true });
    await fetch(`${url}/nothing/secret-id-2`);
    await fetch(`${url}/things/secret-id-3`, { method: 'PROPFIND' });
    await fetch(`${url}/broken/secret-id-4`);
    expect(tracer.spans).toEqual([
      {
        traceparent,
        method: 'GET',
        end: { name: 'GET /things/:id', route: '/things/:id', status: 200 },
      },
      {
        traceparent: undefined,
        method: 'GET',
        end: { name: 'GET unmatched', route: 'unmatched', status: 404 },
      },
      {
        traceparent: undefined,
        method: 'OTHER',
        end: { name: 'OTHER unmatched', route: 'unmatched', status: 501 },
      },
      {
        traceparent: undefined,
        method: 'GET',
        end: { name: 'GET /broken/:id', route: '/broken/:id', status: 500 },
      },
    ]);
  });
});
