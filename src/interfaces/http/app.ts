import cors from '@koa/cors';
import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import { pino, type Logger } from 'pino';
import type { Tracer } from '../../application/shared/tracer.port.js';
import type { RateLimiter } from '../../application/shared/rate-limiter.port.js';
import type { UseCases } from '../../application/use-cases.js';
import { ProxyTrust, type ProxyRange } from './client-address.js';
import { API_ROUTES } from './api.routes.js';
import { authRouteTable, type AuthRoute } from './middleware/auth-route-table.js';
import { authenticate } from './middleware/authenticate.js';
import { hostCheck } from './middleware/host-check.js';
import { mountBetterAuth, type FetchHandler } from './middleware/better-auth-mount.js';
import { inFlightLimit } from './middleware/in-flight-limit.js';
import { metricsEndpoint } from './middleware/metrics-endpoint.js';
import { perUserRateLimit } from './middleware/per-user-rate-limit.js';
import { problemHandler } from './middleware/problem-handler.js';
import { requestContext } from './middleware/request-context.js';
import { requestDeadline } from './middleware/request-deadline.js';
import { requestMetrics, type HttpMetricsRecorder } from './middleware/request-metrics.js';
import { requestTracing, type RequestTracer } from './middleware/request-tracing.js';
import type { MetricsExposition } from './metrics-exposition.js';
import { securityHeaders } from './middleware/security-headers.js';
import {
  strictTransportSecurity,
  type StrictTransportSecurity,
} from './middleware/strict-transport-security.js';
import { createOpenApiDocument, type AuthDocument } from './openapi/openapi-document.js';
import { registerOperations } from './register-operations.js';
import { NEVER_SHUTTING_DOWN, type ShutdownSignal } from './shutdown.js';
import { EventStreams, type EventStreamSettings } from './tasks/event-streams.js';
import { webUi } from './web-ui.js';

/** What the HTTP app needs besides the use cases; every field has a default. */
export interface AppOptions {
  /** Request and error logs (default: none). */
  readonly logger?: Logger;
  /** The embedded Better Auth, mounted at its base path (default: none). */
  readonly auth?: {
    readonly basePath: string;
    readonly handler: FetchHandler;
    /** The only endpoints reachable; any other path under basePath is 404. */
    readonly routes: readonly AuthRoute[];
    /** Those endpoints as the OpenAPI document describes them (default: not described). */
    readonly operations?: AuthDocument;
  } | null;
  /** Frontend origins allowed to call the API from a browser. */
  readonly corsOrigins?: readonly string[];
  /** Reverse proxies whose X-Forwarded-For names the real client. */
  readonly trustedProxies?: readonly ProxyRange[];
  /** Folder of the built task page served at `/` (default: no page). */
  readonly webUiDir?: string | null;
  /** Serve the page's source map (not in production). */
  readonly webUiSourceMaps?: boolean;
  /** The per-user limit on task API requests (default: none). */
  readonly rateLimiter?: RateLimiter | null;
  /** Send Strict-Transport-Security (the public URL is https; default: not sent). */
  readonly strictTransportSecurity?: StrictTransportSecurity | null;
  /** Serve the OpenAPI document at /openapi.json and its reference page at /docs (default on). */
  readonly apiDocs?: boolean;
  /** Count every request (default: none are). */
  readonly metrics?: {
    readonly recorder: HttpMetricsRecorder;
    /** Serve them at GET /metrics on this port, to this bearer token only (default: not here). */
    readonly endpoint?: { readonly exposition: MetricsExposition; readonly token: string } | null;
  } | null;
  /** One server span per request, and Better Auth's handling timed within it (default: none). */
  readonly tracing?: { readonly requests: RequestTracer; readonly tracer: Tracer } | null;
  /** Every request is answered within this; a 503 when its work is not done (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** Requests worked on at once, health checks aside; more get a 503 (default: no limit). */
  readonly maxInFlight?: number;
  /** The instance's shutdown: /ready answers 503 once it drains (default: it never does). */
  readonly shutdown?: ShutdownSignal;
  /** Event streams' limits and timings (default: 10 per user, 5 000 in all, a beat every 15 s). */
  readonly eventStreams?: EventStreamSettings;
}

/** The health checks a load balancer sends: never refused for being busy. */
const HEALTH_CHECKS = new Set(['/health', '/ready']);

/**
 * The complete Koa application (every route and middleware) from the use cases alone: Better Auth
 * at /api/auth when given, the task API, /api/me, health checks, the task page, the API's
 * documentation. On in-memory adapters: `createApp(createUseCases(ports), options)`.
 */
export function createApp(useCases: UseCases, options: AppOptions = {}): Koa {
  const logger = options.logger ?? pino({ level: 'silent' });
  const corsOrigins = options.corsOrigins ?? [];
  const app = new Koa();
  // Failures after the answer started (a client gone, a stream broken) go to the log, not stderr.
  app.on('error', (error: unknown, ctx?: Koa.Context) =>
    logger.warn({ requestId: ctx?.state.requestId, err: error }, 'answer failed'),
  );
  const verify = authenticate(useCases.authenticate);
  const limitPerUser = perUserRateLimit(options.rateLimiter ?? null);
  // The limit is per verified user, so it runs right after the token check on every such route.
  const authenticated: Middleware = (ctx, next) => verify(ctx, () => limitPerUser(ctx, next));
  const { docs, ...served } = API_ROUTES;
  const shutdown = options.shutdown ?? NEVER_SHUTTING_DOWN;
  const eventStreams = new EventStreams(
    options.eventStreams ?? { maxPerUser: 10, max: 5_000 },
    useCases.authenticate,
    shutdown,
    options.metrics?.recorder ?? null,
  );
  const api = new Router();
  registerOperations(
    api,
    [...Object.values(served).flat(), ...(options.apiDocs === false ? [] : docs)],
    // Built once here: the document is the same for every request.
    {
      useCases,
      openApiJson: JSON.stringify(
        createOpenApiDocument(undefined, options.auth?.operations ?? null),
      ),
      shutdown,
      eventStreams,
    },
    { authenticated },
  );

  // First, so that everything a request does (its log lines included) happens inside its span.
  if (options.tracing) app.use(requestTracing(options.tracing.requests));
  // Early, so that it sees the status that went out, problems included.
  if (options.metrics) {
    app.use(requestMetrics(options.metrics.recorder, options.auth?.basePath ?? '/api/auth'));
  }
  app.use(requestContext(logger));
  app.use(securityHeaders());
  if (options.strictTransportSecurity) {
    app.use(strictTransportSecurity(options.strictTransportSecurity));
  }
  app.use(
    cors({
      origin: (ctx) => (corsOrigins.includes(ctx.get('Origin')) ? ctx.get('Origin') : ''),
      credentials: true,
      allowHeaders: [
        'Authorization',
        'Content-Type',
        'X-Request-Id',
        'If-Match',
        'If-None-Match',
        'Idempotency-Key',
        'Last-Event-ID',
      ],
      exposeHeaders: [
        'ETag',
        'Idempotent-Replayed',
        'Location',
        'WWW-Authenticate',
        'X-Request-Id',
        'set-auth-jwt',
        'Retry-After',
        'RateLimit',
        'RateLimit-Policy',
      ],
      maxAge: 600,
    }),
  );
  app.use(problemHandler(logger));
  app.use(hostCheck());
  // The scraper is answered before the deadline and the cap: an overloaded instance's metrics
  // are the ones wanted most.
  const endpoint = options.metrics?.endpoint;
  if (endpoint) app.use(metricsEndpoint(endpoint.exposition, endpoint.token));
  app.use(requestDeadline(options.requestTimeoutMs ?? 10_000, logger));
  app.use(
    inFlightLimit(options.maxInFlight ?? Number.POSITIVE_INFINITY, (ctx) =>
      HEALTH_CHECKS.has(ctx.path),
    ),
  );
  if (options.auth) {
    app.use(authRouteTable(options.auth.basePath, options.auth.routes));
    app.use(
      mountBetterAuth({
        ...options.auth,
        proxies: new ProxyTrust(options.trustedProxies ?? []),
        databaseUp: async () => (await useCases.checkReadiness.execute()).ready,
        logger,
        tracer: options.tracing?.tracer,
      }),
    );
  }
  if (options.webUiDir) {
    app.use(webUi(options.webUiDir, { sourceMaps: options.webUiSourceMaps ?? false }));
  }
  app.use(api.routes()).use(api.allowedMethods());
  return app;
}
