import { Container, type ResolutionContext } from 'inversify';
import type { CryptoKey } from 'jose';
import type { EntityManager } from '@mikro-orm/knex';
import type { Logger } from 'pino';
import type { AppPorts } from '../../application/app-ports.js';
import type { RateLimiter } from '../../application/shared/rate-limiter.port.js';
import { CLOCK_TOLERANCE_SECONDS } from '../../application/auth/token-lifetime.js';
import { NO_TRACER, type Tracer } from '../../application/shared/tracer.port.js';
import { createUseCases, type UseCases } from '../../application/use-cases.js';
import { AUTH_BASE_PATH, createBetterAuth, type EmbeddedBetterAuth } from '../auth/better-auth.js';
import { betterAuthRoutes } from '../auth/better-auth-routes.js';
import type { SessionEvents } from '../auth/revocation-plugin.js';
import { JoseTokenVerifier, type VerificationKey } from '../auth/jose-token-verifier.js';
import { JwksKeySource } from '../auth/jwks-key-source.js';
import { databaseTimeoutsWithin } from '../config/database-config.js';
import { loadOrCreateDevelopmentSecret } from '../config/development-secret.js';
import type { AppConfig, EmbeddedIssuer } from '../config/env.js';
import { createLogger } from '../observability/logger.js';
import { PrometheusMetrics } from '../observability/prometheus-metrics.js';
import { openDatabase, type Database } from '../persistence/database.js';
import { migrateDatabase } from '../persistence/migrate-database.js';
import { PostgresLiveSignals } from '../persistence/postgres/postgres-live-signals.js';
import { databaseRevocations, listenTimings } from '../persistence/token-revocations.js';
import { AnnouncingTaskRepository } from '../live/announcing-task-repository.js';
import { InProcessLiveSignals } from '../live/in-process-live-signals.js';
import { migrateTasks } from '../persistence/mikro-orm/mikro-orm.js';
import { MikroOrmIdempotencyStore } from '../persistence/mikro-orm/mikro-orm-idempotency-store.js';
import { MikroOrmReadinessProbe } from '../persistence/mikro-orm/mikro-orm-readiness-probe.js';
import { MikroOrmTaskChangeFeed } from '../persistence/mikro-orm/mikro-orm-task-change-feed.js';
import { MikroOrmTaskRepository } from '../persistence/mikro-orm/mikro-orm-task-repository.js';
import { InMemoryTaskRepository } from '../persistence/in-memory/in-memory-task-repository.js';
import {
  PER_USER_WINDOW_SECONDS,
  perUserRateLimiter,
  purgeExpiredRateLimits,
  type RateLimitStoreClient,
} from '../rate-limit/per-user-rate-limiter.js';
import { createRedisClient } from '../rate-limit/redis-client.js';
import { CryptoIdGenerator } from '../system/crypto-id-generator.js';
import {
  startPeriodicJob,
  type PeriodicJob,
  type PeriodicSchedule,
} from '../system/periodic-job.js';
import { SystemClock } from '../system/system-clock.js';
import { TOKENS, type Token } from './tokens.js';

/**
 * When expired rows are deleted: Idempotency-Keys (they live 24 hours), revocations, and task
 * deletions older than CHANGE_RETENTION_DAYS. The first
 * purge comes soon after start, so that instances restarted more often than the interval purge
 * too; the jitter keeps the instances of a fleet from purging all at once.
 */
const PURGES: PeriodicSchedule = {
  firstRunAfterMs: 60 * 1000,
  everyMs: 10 * 60 * 1000,
  jitterMs: 60 * 1000,
};

/** Ports a test or a benchmark puts in place of the configured adapters; and the logger. */
export interface ContainerOverrides extends Partial<AppPorts> {
  readonly logger?: Logger;
  /** Where adapters time their work as spans (default: nowhere). */
  readonly tracer?: Tracer;
  /** The per-user request limit (null: none), instead of TASK_API_RATE_LIMIT's. */
  readonly rateLimiter?: RateLimiter | null;
}

/**
 * The composition root: binds every port to the adapter the configuration chooses. Bindings are
 * lazy, so a resource (the database, Better Auth) opens only when a chosen adapter needs it, and
 * closes with the container.
 */
export function buildContainer(config: AppConfig, overrides: ContainerOverrides = {}): Container {
  const c = new Container({ defaultScope: 'Singleton' });
  c.bind(TOKENS.Config).toConstantValue(config);
  c.bind(TOKENS.Logger).toConstantValue(overrides.logger ?? createLogger(config.logLevel));
  // Off unless configured: then nothing is measured, not even Node's own metrics.
  const metrics = config.metrics ? new PrometheusMetrics() : null;
  if (metrics) c.bind(TOKENS.Metrics).toConstantValue(metrics);
  c.bind(TOKENS.Tracer).toConstantValue(overrides.tracer ?? NO_TRACER);
  c.bind(TOKENS.Database)
    .toDynamicValue(async ({ get }) => {
      const database = await openDatabase(
        config.database,
        ormLog(get(TOKENS.Logger)),
        databaseTimeoutsWithin(config.requestTimeoutSeconds),
        { connectionAcquired: metrics?.connectionAcquired },
      );
      metrics?.watchPool(database.poolState);
      return database;
    })
    .onDeactivation((database) => database.close());
  const { embedded } = config.auth;
  if (embedded) {
    c.bind(TOKENS.AuthSecret).toDynamicValue(({ get }) =>
      secretOf(embedded, config, get(TOKENS.Logger)),
    );
    c.bind(TOKENS.BetterAuth)
      .toDynamicValue(async ({ get, getAsync }) =>
        createBetterAuth(
          {
            issuer: embedded,
            secret: get(TOKENS.AuthSecret),
            trustedOrigins: config.corsOrigins,
            trustedProxies: config.trustedProxies.map(({ address, prefix }) =>
              prefix === null ? address : `${address}/${prefix}`,
            ),
            production: config.production,
          },
          (await getAsync(TOKENS.Database)).forBetterAuth,
          get(TOKENS.Logger),
          // Read when a hook fires: the use cases need the verifier, which needs Better Auth.
          sessionEvents(() => c.getAsync(TOKENS.UseCases)),
        ),
      )
      .onDeactivation((betterAuth) => betterAuth.close());
  }

  port(c, TOKENS.Clock, overrides.clock, () => new SystemClock());
  port(c, TOKENS.IdGenerator, overrides.ids, () => new CryptoIdGenerator());
  port(c, TOKENS.TaskRepository, overrides.tasks, async ({ get, getAsync }) => {
    return new MikroOrmTaskRepository((await getAsync(TOKENS.Database)).orm, get(TOKENS.Clock));
  });
  // The feed is what the repository records: an in-memory repository brings its own.
  const feedOfTasks =
    overrides.tasks instanceof InMemoryTaskRepository ? overrides.tasks.changeFeed : undefined;
  port(c, TOKENS.TaskChangeFeed, overrides.changeFeed ?? feedOfTasks, async ({ getAsync }) => {
    return new MikroOrmTaskChangeFeed((await getAsync(TOKENS.Database)).orm);
  });
  port(c, TOKENS.IdempotencyStore, overrides.idempotency, async ({ getAsync }) => {
    return new MikroOrmIdempotencyStore((await getAsync(TOKENS.Database)).orm);
  });
  const { database } = config;
  if (database.kind === 'postgres') {
    c.bind(TOKENS.ListenConnection)
      .toDynamicValue(async ({ get, getAsync }) => {
        const { orm } = await getAsync(TOKENS.Database);
        const { everyMs, answerWithinMs } = listenTimings(config.revocationMaxStalenessSeconds);
        return new PostgresLiveSignals(
          {
            url: database.listenUrl ?? database.url,
            checkEveryMs: everyMs,
            answerWithinMs,
            notify: async (channel, payload) => {
              await orm.em.getConnection().execute('select pg_notify(?, ?)', [channel, payload]);
            },
          },
          get(TOKENS.Logger),
        );
      })
      .onDeactivation((signals) => signals.stop());
  }
  // Across instances only when the tasks are in the shared database; otherwise in this process.
  port(c, TOKENS.LiveSignals, overrides.live, async ({ getAsync }) =>
    c.isBound(TOKENS.ListenConnection) && overrides.tasks === undefined
      ? await getAsync(TOKENS.ListenConnection)
      : new InProcessLiveSignals(),
  );
  if (overrides.revocations === undefined) {
    c.bind(TOKENS.Revocations)
      .toDynamicValue(async ({ get, getAsync }) => {
        const service = databaseRevocations(
          await getAsync(TOKENS.Database),
          get(TOKENS.Clock),
          get(TOKENS.Logger),
          {
            maxStalenessSeconds: config.revocationMaxStalenessSeconds,
            purges: PURGES,
          },
          c.isBound(TOKENS.ListenConnection) ? await getAsync(TOKENS.ListenConnection) : null,
        );
        if (service.state) metrics?.watchRevocations(service.state);
        return service;
      })
      .onDeactivation((service) => service.stop());
  }
  port(c, TOKENS.TokenRevocations, overrides.revocations, async ({ getAsync }) => {
    return (await getAsync(TOKENS.Revocations)).revocations;
  });
  port(c, TOKENS.ReadinessProbe, overrides.readiness, async ({ getAsync }) => {
    return new MikroOrmReadinessProbe((await getAsync(TOKENS.Database)).orm);
  });
  port(c, TOKENS.TokenVerifier, overrides.verifier, async (context) => {
    const { algorithm, issuer, audience, maxAgeSeconds, sessionRequired } = config.auth;
    const key = await verificationKey(context);
    return new JoseTokenVerifier({
      key,
      algorithm,
      issuer,
      audience,
      maxAgeSeconds,
      sessionRequired,
      clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
      clock: context.get(TOKENS.Clock),
      onAccepted: metrics?.tokenAccepted,
      tracer: context.get(TOKENS.Tracer),
    });
  });
  if (overrides.rateLimiter) {
    c.bind(TOKENS.RateLimiter).toConstantValue(overrides.rateLimiter);
  } else if (overrides.rateLimiter === undefined && config.taskApiRateLimit > 0) {
    const store = config.rateLimitStore;
    if (store.kind === 'redis') {
      c.bind(TOKENS.Redis)
        .toDynamicValue(({ get }) => createRedisClient(store.url, get(TOKENS.Logger)))
        .onDeactivation((client) => client.disconnect());
    }
    c.bind(TOKENS.RateLimiter).toDynamicValue(async ({ get, getAsync }) => {
      let client: RateLimitStoreClient = { kind: 'memory' };
      if (store.kind === 'database') {
        client = { kind: 'postgresql', knex: knexOf(await getAsync(TOKENS.Database)) };
      } else if (store.kind === 'redis') {
        client = { kind: 'redis', client: get(TOKENS.Redis) };
      }
      return perUserRateLimiter({
        limit: config.taskApiRateLimit,
        windowSeconds: PER_USER_WINDOW_SECONDS,
        store: client,
        events: { logger: get(TOKENS.Logger), fellBack: metrics?.rateLimitFellBack },
      });
    });
  }
  c.bind(TOKENS.Ports).toDynamicValue(async ({ get, getAsync }) => ({
    // Every committed change is announced, so that the owner's event streams read it.
    tasks: new AnnouncingTaskRepository(
      await getAsync(TOKENS.TaskRepository),
      await getAsync(TOKENS.LiveSignals),
      get(TOKENS.Logger),
    ),
    changeFeed: await getAsync(TOKENS.TaskChangeFeed),
    idempotency: await getAsync(TOKENS.IdempotencyStore),
    revocations: await getAsync(TOKENS.TokenRevocations),
    verifier: await getAsync(TOKENS.TokenVerifier),
    clock: get(TOKENS.Clock),
    ids: get(TOKENS.IdGenerator),
    readiness: await getAsync(TOKENS.ReadinessProbe),
    live: await getAsync(TOKENS.LiveSignals),
    telemetry: overrides.telemetry ?? metrics ?? undefined,
  }));
  c.bind(TOKENS.UseCases).toDynamicValue(async ({ getAsync }) =>
    createUseCases(await getAsync(TOKENS.Ports), {
      maxTasksPerUser: config.maxTasksPerUser,
      maxIdempotencyKeysPerUser: config.maxIdempotencyKeysPerUser,
      // Only the embedded issuer's hooks revoke tokens, so only its lifetime matters.
      tokenLifetimeSeconds: config.auth.embedded?.lifetimeSeconds,
      clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS,
      changeRetentionDays: config.changeRetentionDays,
    }),
  );
  return c;
}

/** What the service runs on, once the container has built it. */
export interface Services {
  readonly container: Container;
  readonly logger: Logger;
  readonly ports: AppPorts;
  /** Every use case, on those ports: what the HTTP app runs. */
  readonly useCases: UseCases;
  /** The embedded Better Auth; null when tokens come from another service only. */
  readonly betterAuth: EmbeddedBetterAuth | null;
  /** The per-user request limit; null when it is off (TASK_API_RATE_LIMIT=0). */
  readonly rateLimiter: RateLimiter | null;
  /** The Prometheus metrics; null when they are off (neither METRICS_PORT nor METRICS_TOKEN). */
  readonly metrics: PrometheusMetrics | null;
  /** Creates or updates the tables of the chosen adapters (Better Auth's and the tasks'). */
  migrate(): Promise<void>;
  /** Starts the background work that needs the tables: revocations kept current, rows purged. */
  start(): Promise<void>;
  /** Closes every connection that was opened. */
  close(): Promise<void>;
}

/** Builds the configured adapters (and only those) and hands back the ports. */
export async function openServices(
  config: AppConfig,
  overrides: ContainerOverrides = {},
): Promise<Services> {
  const c = buildContainer(config, overrides);
  let purges: PeriodicJob | null = null;
  let rateLimitPurges: PeriodicJob | null = null;
  let prunes: PeriodicJob | null = null;
  const countsInDatabase =
    overrides.rateLimiter === undefined &&
    config.taskApiRateLimit > 0 &&
    config.rateLimitStore.kind === 'database';
  const close = async () => {
    await purges?.stop();
    await rateLimitPurges?.stop();
    await prunes?.stop();
    await c.unbindAllAsync();
  };
  try {
    const ports = await c.getAsync(TOKENS.Ports);
    const useCases = await c.getAsync(TOKENS.UseCases);
    const betterAuth = c.isBound(TOKENS.BetterAuth) ? await c.getAsync(TOKENS.BetterAuth) : null;
    const logger = c.get(TOKENS.Logger);
    // MikroORM's tables are this service's to migrate when it keeps tasks, keys or revocations.
    const ownTasks =
      overrides.tasks === undefined ||
      overrides.idempotency === undefined ||
      overrides.revocations === undefined;
    return {
      container: c,
      logger,
      ports,
      useCases,
      betterAuth,
      rateLimiter: c.isBound(TOKENS.RateLimiter) ? await c.getAsync(TOKENS.RateLimiter) : null,
      metrics: c.isBound(TOKENS.Metrics) ? c.get(TOKENS.Metrics) : null,
      migrate: async () => {
        if (!betterAuth && !ownTasks) return;
        const database = await c.getAsync(TOKENS.Database);
        await migrateDatabase(database.config, {
          auth: betterAuth?.migrate ?? null,
          tasks: ownTasks ? () => migrateTasks(database.orm) : null,
        });
      },
      start: async () => {
        // The one listening connection, when revocations or live signals use it.
        const listens =
          c.isBound(TOKENS.ListenConnection) &&
          (overrides.revocations === undefined ||
            (overrides.live === undefined && overrides.tasks === undefined));
        if (listens) await (await c.getAsync(TOKENS.ListenConnection)).start();
        if (c.isBound(TOKENS.Revocations)) await (await c.getAsync(TOKENS.Revocations)).start();
        purges ??= startPeriodicJob(
          { name: 'purge expired idempotency keys', ...PURGES, logger },
          () => useCases.purgeExpiredKeys.execute(),
        );
        prunes ??= startPeriodicJob({ name: 'prune old task deletions', ...PURGES, logger }, () =>
          useCases.pruneDeletedChanges.execute(),
        );
        if (countsInDatabase) {
          const knex = knexOf(await c.getAsync(TOKENS.Database));
          rateLimitPurges ??= startPeriodicJob(
            { name: 'purge expired rate-limit counts', ...PURGES, logger },
            () => purgeExpiredRateLimits(knex),
          );
        }
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The Better Auth mount for the HTTP app, or null. After `migrate`. */
export async function authMountOf(betterAuth: EmbeddedBetterAuth | null) {
  if (!betterAuth) return null;
  return {
    basePath: AUTH_BASE_PATH,
    routes: betterAuthRoutes(betterAuth.auth.options),
    handler: (request: Request) => betterAuth.auth.handler(request),
    operations: await betterAuth.operations(),
  };
}

/** What Better Auth's hooks do: end a session's tokens, cut off a user's tokens, erase a user. */
function sessionEvents(useCases: () => Promise<UseCases>): SessionEvents {
  return {
    sessionEnded: async (sessionId) => (await useCases()).endSession.execute({ sessionId }),
    userTokensEnded: async (userId) => (await useCases()).endUserTokens.execute({ userId }),
    userDeleted: async (userId) => (await useCases()).eraseUser.execute({ userId }),
  };
}

/** Binds a port to its override when one is given, otherwise to the configured adapter. */
function port<T>(
  c: Container,
  token: Token<T>,
  override: T | undefined,
  build: (context: ResolutionContext) => T | Promise<T>,
): void {
  if (override !== undefined) c.bind(token).toConstantValue(override);
  else c.bind(token).toDynamicValue(build);
}

/**
 * What signatures are checked with, per auth mode: the embedded Better Auth's key set (read
 * in-process through its own JWKS handler, with the same caching as a remote set), another
 * issuer's key set over HTTP, or the shared secret.
 */
async function verificationKey({ get, getAsync }: ResolutionContext): Promise<VerificationKey> {
  const auth = get(TOKENS.Config).auth;
  const clock = get(TOKENS.Clock);
  const onFetch = get(TOKENS.Metrics, { optional: true })?.keySetFetched;
  const tracer = get(TOKENS.Tracer);
  switch (auth.mode) {
    case 'embedded-key-set': {
      const { auth: betterAuth } = await getAsync(TOKENS.BetterAuth);
      return new JwksKeySource(new URL(`${AUTH_BASE_PATH}/jwks`, auth.embedded.url), {
        fetch: (url, init) => betterAuth.handler(new Request(url, init)),
        clock,
        onFetch,
        tracer,
      }).getKey;
    }
    case 'embedded-hs256':
      return hmacKey(get(TOKENS.AuthSecret));
    case 'external-key-set':
      return new JwksKeySource(new URL(auth.jwksUrl), { clock, onFetch, tracer }).getKey;
    case 'external-hs256':
      return hmacKey(auth.secret);
  }
}

/** BETTER_AUTH_SECRET, or outside production a development secret kept in the data folder. */
function secretOf(embedded: EmbeddedIssuer, config: AppConfig, logger: Logger): string {
  if (embedded.secret.source === 'environment') return embedded.secret.value;
  const { secret, created } = loadOrCreateDevelopmentSecret(config.dataDir);
  logger.warn(
    { dataDir: config.dataDir },
    `BETTER_AUTH_SECRET is not set: using a development secret ${created ? 'generated now and ' : ''}kept in the data folder. Set BETTER_AUTH_SECRET in production.`,
  );
  return secret;
}

/** Imported once: handing jose raw bytes would re-import the key on every verification. */
function hmacKey(secret: string): Promise<CryptoKey> {
  const bytes = new TextEncoder().encode(secret);
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ]);
}

/** The query builder of the database's pool: the shared rate limit counts through it. */
function knexOf(database: Database) {
  if (database.config.kind !== 'postgres') {
    throw new Error('RATE_LIMIT_STORE=database needs PostgreSQL (DATABASE_URL)');
  }
  return (database.orm.em as EntityManager).getKnex();
}

function ormLog(logger: Logger) {
  return {
    debug: (message: string) => logger.debug({ component: 'mikro-orm' }, message),
    warn: (message: string) => logger.warn({ component: 'mikro-orm' }, message),
  };
}
