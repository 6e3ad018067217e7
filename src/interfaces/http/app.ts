import cors from '@koa/cors';
import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AuthenticateUseCase } from '../../application/auth/authenticate.use-case.js';
import type { CheckReadinessUseCase } from '../../application/shared/check-readiness.use-case.js';
import { ProxyTrust } from './client-address.js';
import { healthRoutes } from './health.routes.js';
import { meRoutes } from './me.routes.js';
import { authRouteTable, type AuthRoute } from './middleware/auth-route-table.js';
import { authenticate } from './middleware/authenticate.js';
import { mountBetterAuth, type FetchHandler } from './middleware/better-auth-mount.js';
import { perUserRateLimit } from './middleware/per-user-rate-limit.js';
import { problemHandler } from './middleware/problem-handler.js';
import { requestContext } from './middleware/request-context.js';
import { securityHeaders } from './middleware/security-headers.js';
import { strictTransportSecurity } from './middleware/strict-transport-security.js';
import { taskRoutes, type TaskUseCases } from './tasks/tasks.routes.js';
import { webUi } from './web-ui.js';

export interface AppDependencies {
  readonly logger: Logger;
  /** The embedded Better Auth; null when tokens come from another service only. */
  readonly auth: {
    readonly basePath: string;
    readonly handler: FetchHandler;
    /** The only endpoints reachable; any other path under basePath is 404. */
    readonly routes: readonly AuthRoute[];
  } | null;
  readonly authenticate: AuthenticateUseCase;
  readonly tasks: TaskUseCases;
  readonly readiness: CheckReadinessUseCase;
  /** Frontend origins allowed to call the API from a browser. */
  readonly corsOrigins: readonly string[];
  /** Reverse proxies whose X-Forwarded-For names the real client. */
  readonly trustedProxies: readonly string[];
  /** Folder of the built task page served at `/`; null to serve no page. */
  readonly webUiDir: string | null;
  /** Serve the page's source map (not in production). */
  readonly webUiSourceMaps: boolean;
  /** Task API requests per minute per user on this instance; 0: no limit. */
  readonly taskApiRateLimit: number;
  /** Send Strict-Transport-Security (the public URL is https). */
  readonly strictTransportSecurity: boolean;
}

/** The Koa application: Better Auth at /api/auth, the task API, health checks. */
export function createApp(deps: AppDependencies): Koa {
  const app = new Koa();
  // Failures after the answer started (a client gone, a stream broken) go to the log, not stderr.
  app.on('error', (error: unknown, ctx?: Koa.Context) =>
    deps.logger.warn({ requestId: ctx?.state.requestId, err: error }, 'answer failed'),
  );
  const verify = authenticate(deps.authenticate);
  const limitPerUser = perUserRateLimit(deps.taskApiRateLimit);
  // The limit is per verified user, so it runs right after the token check on every such route.
  const authenticated: Middleware = (ctx, next) => verify(ctx, () => limitPerUser(ctx, next));
  const api = new Router();
  for (const routes of [
    healthRoutes(deps.readiness),
    meRoutes(authenticated),
    taskRoutes(deps.tasks, authenticated),
  ]) {
    api.use(routes.routes());
  }

  app.use(requestContext(deps.logger));
  app.use(securityHeaders());
  if (deps.strictTransportSecurity) app.use(strictTransportSecurity());
  app.use(
    cors({
      origin: (ctx) => (deps.corsOrigins.includes(ctx.get('Origin')) ? ctx.get('Origin') : ''),
      credentials: true,
      allowHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
      exposeHeaders: [
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
  app.use(problemHandler(deps.logger));
  if (deps.auth) {
    app.use(authRouteTable(deps.auth.basePath, deps.auth.routes));
    app.use(
      mountBetterAuth({
        ...deps.auth,
        proxies: new ProxyTrust(deps.trustedProxies),
        databaseUp: async () => (await deps.readiness.execute()).ready,
        logger: deps.logger,
      }),
    );
  }
  if (deps.webUiDir) app.use(webUi(deps.webUiDir, { sourceMaps: deps.webUiSourceMaps }));
  app.use(api.routes()).use(api.allowedMethods());
  return app;
}
