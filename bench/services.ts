import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader } from 'jose';
import { pino, type Logger } from 'pino';
import type { TokenVerifier } from '../src/application/auth/token-verifier.port.js';
import type { BetterAuthInstance } from '../src/infrastructure/auth/better-auth.js';
import { InMemoryTokenVerifier } from '../src/infrastructure/auth/in-memory-token-verifier.js';
import { loadConfig, type AppConfig } from '../src/infrastructure/config/env.js';
import { createLogger } from '../src/infrastructure/observability/logger.js';
import { startServer, type RunningServer, type ServerOptions } from '../src/server.js';
import { fetchJwt, type Caller } from './auth-client.js';
import { BetterAuthSessionVerifier } from './better-auth-session-verifier.js';
import { BENCH_AUTH_URL, BENCH_SECRET } from './settings.js';
import { mintTokens } from './token-mint.js';

/** What every bench service shares: the run's database and the request log. */
export interface ServiceContext {
  readonly databaseUrl: string;
  /** The services' logger (its level is the services' LOG_LEVEL). */
  readonly logger: Logger;
  /** BENCH_METRICS: every service serves its metrics, and every HTTP row reports them. */
  readonly metrics: boolean;
}

/** A service listening on 127.0.0.1, in this process, as a row sees it. */
export interface BenchService {
  readonly url: string;
  /** The verifier the service checks bearer values with, for the rows that call it directly. */
  readonly verifier: TokenVerifier;
  /** Where its metrics are served (METRICS_PORT); null when they are off. */
  readonly metricsUrl: string | null;
  /** The bearer value `caller` sends this service. */
  credential(caller: Caller): Promise<string>;
  /** `count` distinct tokens for `caller`, each new to the verifier; JWT services only. */
  mintTokens?(caller: Caller, count: number): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * A limit the row's one caller never reaches (it sends thousands of requests a second), so the
 * row measures what counting costs, not 429s; its quota blocks are the largest (50 points).
 */
const SHARED_LIMIT = { TASK_API_RATE_LIMIT: '9999999' };

/**
 * The services rows run against: the production composition (`startServer` on `loadConfig`),
 * each with one variable set or one port swapped through the overrides. A new configuration to
 * bench (revocation on, say) is one more entry.
 */
export const SERVICES = {
  eddsa: (context: ServiceContext) => jwtService(context, { AUTH_JWT_ALG: 'EdDSA' }),
  metrics: (context: ServiceContext) =>
    jwtService({ ...context, metrics: true }, { AUTH_JWT_ALG: 'EdDSA' }),
  tracing: tracedService,
  hs256: (context: ServiceContext) => jwtService(context, { AUTH_JWT_ALG: 'HS256' }),
  // The per-user limit on, counted in a store the instances share: the run's PostgreSQL, Redis.
  'limit-postgres': (context: ServiceContext) =>
    jwtService(context, { AUTH_JWT_ALG: 'EdDSA', ...SHARED_LIMIT, RATE_LIMIT_STORE: 'database' }),
  'limit-redis': (context: ServiceContext) =>
    jwtService(context, {
      AUTH_JWT_ALG: 'EdDSA',
      ...SHARED_LIMIT,
      RATE_LIMIT_STORE: 'redis',
      REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    }),
  fake: fakeVerifierService,
  session: getSessionService,
} satisfies Record<string, (context: ServiceContext) => Promise<BenchService>>;

export type ServiceName = keyof typeof SERVICES;

/** Tokens from the service's embedded Better Auth, checked by the verifier it builds (jose). */
async function jwtService(
  context: ServiceContext,
  env: Record<string, string>,
  overrides: ServerOptions = {},
): Promise<BenchService> {
  const config = benchConfig(context, env);
  const running = await start(context, config, overrides);
  const auth = betterAuthOf(running);
  return {
    url: running.url,
    metricsUrl: metricsUrlOf(running),
    verifier: running.services.ports.verifier,
    credential: async (caller) => {
      const token = await fetchJwt(running.url, caller);
      const { alg } = decodeProtectedHeader(token);
      if (alg !== config.auth.algorithm)
        throw new Error(`expected ${config.auth.algorithm}: ${token}`);
      return token;
    },
    mintTokens: (caller, count) => mintTokens(auth, caller, count),
    close: () => running.close(),
  };
}

/**
 * The EdDSA service traced as production would be: OpenTelemetry's SDK configured by the standard
 * variables, 10 % of traces sampled, OTLP/HTTP (protobuf) to a collector, here a sink in this
 * process that reads and drops what it is sent; log lines carry the trace ids. The SDK is global
 * to the process: closing the service shuts it down and unregisters it, and this row runs after
 * the other list rows (Better Auth's own tracer keeps the SDK's once it has seen it).
 */
async function tracedService(context: ServiceContext): Promise<BenchService> {
  const sink = createServer((req, res) => {
    req.resume().on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(sink.address() as AddressInfo).port}`,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.1',
  });
  const { startTracing } =
    await import('../src/infrastructure/observability/open-telemetry-tracing.js');
  const tracing = startTracing();
  // The run's request log, with the mixin main.ts gives the logger when tracing is on.
  const destination = (context.logger as unknown as Record<symbol, pino.DestinationStream>)[
    pino.symbols.streamSym
  ];
  const logger = createLogger(context.logger.level, destination, tracing.logFields);
  const service = await jwtService(
    { ...context, logger },
    { AUTH_JWT_ALG: 'EdDSA' },
    { tracer: tracing.tracer, requestTracer: tracing.requests },
  );
  return {
    ...service,
    close: async () => {
      await service.close();
      await tracing.shutdown();
      const { context: contexts, propagation, trace } = await import('@opentelemetry/api');
      trace.disable();
      contexts.disable();
      propagation.disable();
      await new Promise((resolve) => sink.close(resolve));
    },
  };
}

/** The token verifier swapped for InMemoryTokenVerifier: what the rest of a request costs. */
async function fakeVerifierService(context: ServiceContext): Promise<BenchService> {
  const verifier = new InMemoryTokenVerifier();
  const running = await start(context, benchConfig(context), { verifier });
  return {
    url: running.url,
    metricsUrl: metricsUrlOf(running),
    verifier,
    credential: async ({ id, email, name }) => verifier.issue({ id, email, name }),
    close: () => running.close(),
  };
}

/** The stateful way: the bearer is a session cookie, looked up by Better Auth on every request. */
async function getSessionService(context: ServiceContext): Promise<BenchService> {
  // The verifier needs the Better Auth that startServer builds; it is handed over once built,
  // before the first request.
  let auth: BetterAuthInstance | null = null;
  const verifier = new BetterAuthSessionVerifier((headers) => {
    if (!auth) throw new Error('Better Auth is not built yet');
    return auth.api.getSession({ headers });
  });
  const running = await start(context, benchConfig(context), { verifier });
  auth = betterAuthOf(running);
  return {
    url: running.url,
    metricsUrl: metricsUrlOf(running),
    verifier,
    credential: async (caller) => caller.sessionCookie,
    close: () => running.close(),
  };
}

/** As in production (NODE_ENV=production, the embedded Better Auth), on loopback, no page. */
function benchConfig(context: ServiceContext, env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    WEB_UI: 'false',
    DATABASE_URL: context.databaseUrl,
    BETTER_AUTH_SECRET: BENCH_SECRET,
    BETTER_AUTH_URL: BENCH_AUTH_URL,
    // One caller drives thousands of requests a second: the per-user limit would turn every row
    // into a measure of 429s.
    TASK_API_RATE_LIMIT: '0',
    // Metrics on a listener of their own, as a scraped production instance runs.
    ...(context.metrics ? { METRICS_PORT: '0' } : {}),
    ...env,
  });
}

function start(
  context: ServiceContext,
  config: AppConfig,
  overrides: ServerOptions = {},
): Promise<RunningServer> {
  return startServer(config, { ...overrides, logger: context.logger });
}

function metricsUrlOf(running: RunningServer): string | null {
  return running.metricsUrl && `${running.metricsUrl}/metrics`;
}

function betterAuthOf(running: RunningServer): BetterAuthInstance {
  const embedded = running.services.betterAuth;
  if (!embedded) throw new Error('the bench services run the embedded Better Auth');
  return embedded.auth;
}
