import { Container, type ResolutionContext } from 'inversify';
import type { CryptoKey } from 'jose';
import type { Logger } from 'pino';
import type { AppPorts } from '../../application/app-ports.js';
import { EndSessionUseCase } from '../../application/auth/end-session.use-case.js';
import { EndUserTokensUseCase } from '../../application/auth/end-user-tokens.use-case.js';
import { EraseUserUseCase } from '../../application/users/erase-user.use-case.js';
import { purgeExpiredKeys } from '../../application/tasks/purge-expired-keys.js';
import { AUTH_BASE_PATH, createBetterAuth, type EmbeddedBetterAuth } from '../auth/better-auth.js';
import { betterAuthRoutes } from '../auth/better-auth-routes.js';
import type { SessionEvents } from '../auth/revocation-plugin.js';
import { JoseTokenVerifier, type VerificationKey } from '../auth/jose-token-verifier.js';
import { JwksKeySource } from '../auth/jwks-key-source.js';
import { databaseTimeoutsWithin } from '../config/database-config.js';
import { loadOrCreateDevelopmentSecret } from '../config/development-secret.js';
import type { AppConfig, EmbeddedIssuer } from '../config/env.js';
import { createLogger } from '../observability/logger.js';
import { openDatabase } from '../persistence/database.js';
import { migrateDatabase } from '../persistence/migrate-database.js';
import { databaseRevocations } from '../persistence/token-revocations.js';
import { migrateTasks } from '../persistence/mikro-orm/mikro-orm.js';
import { MikroOrmIdempotencyStore } from '../persistence/mikro-orm/mikro-orm-idempotency-store.js';
import { MikroOrmReadinessProbe } from '../persistence/mikro-orm/mikro-orm-readiness-probe.js';
import { MikroOrmTaskRepository } from '../persistence/mikro-orm/mikro-orm-task-repository.js';
import { CryptoIdGenerator } from '../system/crypto-id-generator.js';
import { startPeriodicJob } from '../system/periodic-job.js';
import { SystemClock } from '../system/system-clock.js';
import { TOKENS, type Token } from './tokens.js';

/** The slack JoseTokenVerifier allows on exp, nbf and iat. */
const CLOCK_TOLERANCE_SECONDS = 5;

/** How often expired Idempotency-Keys are deleted (they live 24 hours). */
const PURGE_EVERY_MS = 10 * 60 * 1000;

/** Ports a test or a benchmark puts in place of the configured adapters; and the logger. */
export interface ContainerOverrides extends Partial<AppPorts> {
  readonly logger?: Logger;
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
  c.bind(TOKENS.Database)
    .toDynamicValue(({ get }) =>
      openDatabase(
        config.database,
        ormLog(get(TOKENS.Logger)),
        databaseTimeoutsWithin(config.requestTimeoutSeconds),
      ),
    )
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
          await sessionEvents(c, embedded),
        ),
      )
      .onDeactivation((betterAuth) => betterAuth.close());
  }

  port(c, TOKENS.Clock, overrides.clock, () => new SystemClock());
  port(c, TOKENS.IdGenerator, overrides.ids, () => new CryptoIdGenerator());
  port(c, TOKENS.TaskRepository, overrides.tasks, async ({ getAsync }) => {
    return new MikroOrmTaskRepository((await getAsync(TOKENS.Database)).orm);
  });
  port(c, TOKENS.IdempotencyStore, overrides.idempotency, async ({ getAsync }) => {
    return new MikroOrmIdempotencyStore((await getAsync(TOKENS.Database)).orm);
  });
  if (overrides.revocations === undefined) {
    c.bind(TOKENS.Revocations)
      .toDynamicValue(async ({ get, getAsync }) =>
        databaseRevocations(
          await getAsync(TOKENS.Database),
          get(TOKENS.Clock),
          get(TOKENS.Logger),
          config.revocationMaxStalenessSeconds,
        ),
      )
      .onDeactivation((service) => service.stop());
  }
  port(c, TOKENS.TokenRevocations, overrides.revocations, async ({ getAsync }) => {
    return (await getAsync(TOKENS.Revocations)).revocations;
  });
  port(c, TOKENS.ReadinessProbe, overrides.readiness, async ({ getAsync }) => {
    return new MikroOrmReadinessProbe((await getAsync(TOKENS.Database)).orm);
  });
  port(c, TOKENS.TokenVerifier, overrides.verifier, async (context) => {
    const { algorithm, issuer, audience } = config.auth;
    const key = await verificationKey(context);
    return new JoseTokenVerifier({
      key,
      algorithm,
      issuer,
      audience,
      clock: context.get(TOKENS.Clock),
    });
  });
  return c;
}

/** What the service runs on, once the container has built it. */
export interface Services {
  readonly container: Container;
  readonly logger: Logger;
  readonly ports: AppPorts;
  /** The embedded Better Auth; null when tokens come from another service only. */
  readonly betterAuth: EmbeddedBetterAuth | null;
  /** Creates or updates the tables of the chosen adapters (Better Auth's and the tasks'). */
  migrate(): Promise<void>;
  /** Starts the background work that needs the tables: keeping revocations current. */
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
  const close = () => c.unbindAllAsync();
  try {
    const ports: AppPorts = {
      tasks: await c.getAsync(TOKENS.TaskRepository),
      idempotency: await c.getAsync(TOKENS.IdempotencyStore),
      revocations: await c.getAsync(TOKENS.TokenRevocations),
      verifier: await c.getAsync(TOKENS.TokenVerifier),
      clock: c.get(TOKENS.Clock),
      ids: c.get(TOKENS.IdGenerator),
      readiness: await c.getAsync(TOKENS.ReadinessProbe),
    };
    const betterAuth = c.isBound(TOKENS.BetterAuth) ? await c.getAsync(TOKENS.BetterAuth) : null;
    const logger = c.get(TOKENS.Logger);
    const purge = startPeriodicJob(
      'purge expired idempotency keys',
      PURGE_EVERY_MS,
      () => purgeExpiredKeys(ports.idempotency, ports.clock),
      logger,
    );
    // MikroORM's tables are this service's to migrate when it keeps tasks, keys or revocations.
    const ownTasks =
      overrides.tasks === undefined ||
      overrides.idempotency === undefined ||
      overrides.revocations === undefined;
    return {
      container: c,
      logger,
      ports,
      betterAuth,
      migrate: async () => {
        if (!betterAuth && !ownTasks) return;
        const database = await c.getAsync(TOKENS.Database);
        await migrateDatabase(database.config, {
          auth: betterAuth?.migrate ?? null,
          tasks: ownTasks ? () => migrateTasks(database.orm) : null,
        });
      },
      start: async () => {
        if (c.isBound(TOKENS.Revocations)) await (await c.getAsync(TOKENS.Revocations)).start();
      },
      close: async () => {
        purge.stop();
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The Better Auth mount for the HTTP app, or null. */
export function authMountOf(betterAuth: EmbeddedBetterAuth | null) {
  if (!betterAuth) return null;
  return {
    basePath: AUTH_BASE_PATH,
    routes: betterAuthRoutes(betterAuth.auth.options),
    handler: (request: Request) => betterAuth.auth.handler(request),
  };
}

/**
 * What Better Auth's hooks do: end a session's tokens, cut off a user's tokens, erase a user.
 * Revocations are kept until every token they could cover has expired.
 */
async function sessionEvents(c: Container, embedded: EmbeddedIssuer): Promise<SessionEvents> {
  const revocations = await c.getAsync(TOKENS.TokenRevocations);
  const clock = c.get(TOKENS.Clock);
  const settings = {
    tokenLifetimeSeconds: embedded.lifetimeSeconds,
    toleranceSeconds: CLOCK_TOLERANCE_SECONDS,
  };
  const endSession = new EndSessionUseCase(revocations, clock, settings);
  const endUserTokens = new EndUserTokensUseCase(revocations, clock, settings);
  const eraseUser = new EraseUserUseCase(
    await c.getAsync(TOKENS.TaskRepository),
    await c.getAsync(TOKENS.IdempotencyStore),
    endUserTokens,
    clock,
    embedded.lifetimeSeconds + CLOCK_TOLERANCE_SECONDS,
  );
  return {
    sessionEnded: (sessionId) => endSession.execute({ sessionId }),
    userTokensEnded: (userId) => endUserTokens.execute({ userId }),
    userDeleted: (userId) => eraseUser.execute({ userId }),
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
  switch (auth.mode) {
    case 'embedded-key-set': {
      const { auth: betterAuth } = await getAsync(TOKENS.BetterAuth);
      return new JwksKeySource(new URL(`${AUTH_BASE_PATH}/jwks`, auth.embedded.url), {
        fetch: (url, init) => betterAuth.handler(new Request(url, init)),
        clock,
      }).getKey;
    }
    case 'embedded-hs256':
      return hmacKey(get(TOKENS.AuthSecret));
    case 'external-key-set':
      return new JwksKeySource(new URL(auth.jwksUrl), { clock }).getKey;
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

function ormLog(logger: Logger) {
  return {
    debug: (message: string) => logger.debug({ component: 'mikro-orm' }, message),
    warn: (message: string) => logger.warn({ component: 'mikro-orm' }, message),
  };
}
