import type { IncomingHttpHeaders } from 'node:http';
import type { Middleware } from 'koa';
import { routeTemplate } from '../route-template.js';

/** How a request's server span ends: its name and status, known only once it is answered. */
export interface ServerSpanEnd {
  /** `GET /api/{userId}/tasks`: the method and the route's template, never the raw path. */
  readonly name: string;
  readonly route: string;
  readonly status: number;
}

/**
 * Where the HTTP layer opens one server span per request (OpenTelemetry when tracing is
 * configured; the composition root picks it). The span continues the caller's trace (W3C
 * traceparent in `headers`) and is the current span while `work` runs, so what the request does
 * (token checks, queries, Better Auth) nests under it and its log lines carry its trace id.
 */
export interface RequestTracer {
  traceRequest<T>(
    headers: IncomingHttpHeaders,
    method: string,
    work: (end: (how: ServerSpanEnd) => void) => Promise<T>,
  ): Promise<T>;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Runs every request inside its server span, named by method and route template (an unknown
 * method reads `OTHER`, an unrouted path `unmatched`): names stay few and carry nobody's data.
 * Runs first, so every other middleware's work and log lines are inside the span.
 */
export function requestTracing(tracer: RequestTracer): Middleware {
  return (ctx, next) => {
    const method = METHODS.has(ctx.method) ? ctx.method : 'OTHER';
    return tracer.traceRequest(ctx.req.headers, method, async (end) => {
      // What Koa answers an error that gets past the problem handler (none should).
      let status = 500;
      try {
        await next();
        // respond === false: Better Auth wrote the answer itself.
        status = ctx.respond === false ? ctx.res.statusCode : ctx.status;
      } catch (error) {
        const { status: given } = error as { status?: unknown };
        if (typeof given === 'number' && given >= 400 && given < 600) status = given;
        throw error;
      } finally {
        const route = routeTemplate(ctx);
        end({ name: `${method} ${route}`, route, status });
      }
    });
  };
}
