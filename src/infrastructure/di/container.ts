import { Container } from 'inversify';
import type { MikroORM } from '@mikro-orm/core';
import type { CryptoKey } from 'jose';
import type { Logger } from 'pino';
import { AuthenticateUseCase } from '../../application/auth/authenticate.use-case.js';
import type { TokenVerifier } from '../../application/auth/token-verifier.port.js';
import { CheckReadinessUseCase } from '../../application/shared/check-readiness.use-case.js';
import type { Clock } from '../../application/shared/clock.port.js';
import type { IdGenerator } from '../../application/shared/id-generator.port.js';
import type { ReadinessProbe } from '../../application/shared/readiness-probe.port.js';
import { CreateTaskUseCase } from '../../application/tasks/create-task.use-case.js';
import { DeleteTaskUseCase } from '../../application/tasks/delete-task.use-case.js';
import { GetTaskUseCase } from '../../application/tasks/get-task.use-case.js';
import { ListTasksUseCase } from '../../application/tasks/list-tasks.use-case.js';
import { ToggleTaskCompletionUseCase } from '../../application/tasks/toggle-task-completion.use-case.js';
import { UpdateTaskUseCase } from '../../application/tasks/update-task.use-case.js';
import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import { AUTH_BASE_PATH, createBetterAuth, type BetterAuthInstance } from '../auth/better-auth.js';
import { betterAuthRoutes } from '../auth/better-auth-routes.js';
import { JoseTokenVerifier } from '../auth/jose-token-verifier.js';
import { JwksKeySource } from '../auth/jwks-key-source.js';
import type { AppConfig } from '../config/env.js';
import { createLogger } from '../observability/logger.js';
import { migrateDatabase } from '../persistence/migrate-database.js';
import { createOrm } from '../persistence/mikro-orm/mikro-orm.js';
import { MikroOrmReadinessProbe } from '../persistence/mikro-orm/mikro-orm-readiness-probe.js';
import { MikroOrmTaskRepository } from '../persistence/mikro-orm/mikro-orm-task-repository.js';
import { CryptoIdGenerator } from '../system/crypto-id-generator.js';
import { SystemClock } from '../system/system-clock.js';
import { TOKENS } from './tokens.js';

/**
 * Configuration with the Better Auth secret settled (generated in development when unset). Null
 * only without an embedded Better Auth and with tokens checked against a key set.
 */
export interface ServiceConfig extends Omit<AppConfig, 'authSecret'> {
  readonly authSecret: string | null;
}

/** Adapters a test or a benchmark can swap in; everything else stays real. */
export interface ContainerOverrides {
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly idGenerator?: IdGenerator;
  readonly taskRepository?: TaskRepository;
  readonly tokenVerifier?: TokenVerifier;
  readonly readinessProbe?: ReadinessProbe;
}

export interface ServiceContainer {
  readonly container: Container;
  /** Creates or updates every table (Better Auth's and the tasks'). */
  migrate(): Promise<void>;
  /** Closes every database connection. */
  close(): Promise<void>;
}

/** The composition root: opens connections and binds every port to its adapter. */
export async function buildContainer(
  config: ServiceConfig,
  overrides: ContainerOverrides = {},
): Promise<ServiceContainer> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const orm = await createOrm(config.database, {
    debug: (message) => logger.debug({ component: 'mikro-orm' }, message),
    warn: (message) => logger.warn({ component: 'mikro-orm' }, message),
  });
  const betterAuth = config.embeddedAuth
    ? createBetterAuth(
        {
          secret: requireSecret(config),
          baseUrl: config.authUrl,
          trustedOrigins: config.corsOrigins,
          trustedProxies: config.trustedProxies,
          production: config.production,
          database: config.database,
          algorithm: config.tokens.algorithm,
          jwtLifetimeSeconds: config.tokens.lifetimeSeconds,
        },
        logger,
      )
    : null;

  const c = new Container({ defaultScope: 'Singleton' });
  c.bind<Logger>(TOKENS.Logger).toConstantValue(logger);
  c.bind<MikroORM>(TOKENS.Orm).toConstantValue(orm);
  if (betterAuth) c.bind<BetterAuthInstance>(TOKENS.BetterAuth).toConstantValue(betterAuth.auth);
  c.bind<Clock>(TOKENS.Clock).toConstantValue(overrides.clock ?? new SystemClock());
  c.bind<IdGenerator>(TOKENS.IdGenerator).toConstantValue(
    overrides.idGenerator ?? new CryptoIdGenerator(),
  );
  c.bind<TaskRepository>(TOKENS.TaskRepository).toConstantValue(
    overrides.taskRepository ?? new MikroOrmTaskRepository(orm),
  );
  c.bind<ReadinessProbe>(TOKENS.ReadinessProbe).toConstantValue(
    overrides.readinessProbe ?? new MikroOrmReadinessProbe(orm),
  );
  c.bind<TokenVerifier>(TOKENS.TokenVerifier).toConstantValue(
    overrides.tokenVerifier ?? (await tokenVerifierFor(config, betterAuth?.auth ?? null)),
  );
  bindUseCases(c);

  return {
    container: c,
    migrate: () => migrateDatabase(config.database, orm, betterAuth?.migrate ?? null),
    close: async () => {
      await Promise.allSettled([orm.close(), betterAuth?.close()]);
    },
  };
}

/** The embedded Better Auth's handler for the HTTP layer; null when none runs here. */
export function resolveAuthHandler(c: Container) {
  if (!c.isBound(TOKENS.BetterAuth)) return null;
  const auth = c.get<BetterAuthInstance>(TOKENS.BetterAuth);
  return {
    basePath: AUTH_BASE_PATH,
    routes: betterAuthRoutes(auth.options),
    handler: (request: Request) => auth.handler(request),
  };
}

/**
 * HS256: the shared BETTER_AUTH_SECRET. AUTH_JWKS_URL: an external issuer's key set over HTTP.
 * Otherwise the embedded Better Auth's key set, read in-process through its own JWKS handler:
 * no network hop, the same caching as a remote set.
 */
async function tokenVerifierFor(
  config: ServiceConfig,
  auth: BetterAuthInstance | null,
): Promise<TokenVerifier> {
  const { algorithm, jwksUrl, issuer, audience } = config.tokens;
  const key =
    algorithm === 'HS256'
      ? await hmacKey(requireSecret(config))
      : jwksUrl
        ? new JwksKeySource(new URL(jwksUrl)).getKey
        : embeddedKeySet(config, auth);
  return new JoseTokenVerifier({ key, algorithm, issuer, audience });
}

function embeddedKeySet(config: ServiceConfig, auth: BetterAuthInstance | null) {
  if (!auth) throw new Error('no key set to verify tokens with: set AUTH_JWKS_URL');
  return new JwksKeySource(new URL(`${AUTH_BASE_PATH}/jwks`, config.authUrl), {
    fetch: (url, init) => auth.handler(new Request(url, init)),
  }).getKey;
}

/** loadConfig guarantees a secret wherever one is used; this states it for the compiler. */
function requireSecret(config: ServiceConfig): string {
  if (config.authSecret === null) throw new Error('BETTER_AUTH_SECRET is needed here');
  return config.authSecret;
}

/** Imported once: handing jose raw bytes would re-import the key on every verification. */
function hmacKey(secret: string): Promise<CryptoKey> {
  const bytes = new TextEncoder().encode(secret);
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ]);
}

function bindUseCases(c: Container): void {
  const { TaskRepository: repo, Clock: clock, IdGenerator: ids } = TOKENS;
  c.bind(TOKENS.AuthenticateUseCase).toResolvedValue(
    (v: TokenVerifier) => new AuthenticateUseCase(v),
    [TOKENS.TokenVerifier],
  );
  c.bind(TOKENS.CheckReadinessUseCase).toResolvedValue(
    (p: ReadinessProbe) => new CheckReadinessUseCase(p),
    [TOKENS.ReadinessProbe],
  );
  c.bind(TOKENS.CreateTaskUseCase).toResolvedValue(
    (r: TaskRepository, k: Clock, i: IdGenerator) => new CreateTaskUseCase(r, k, i),
    [repo, clock, ids],
  );
  c.bind(TOKENS.ListTasksUseCase).toResolvedValue(
    (r: TaskRepository) => new ListTasksUseCase(r),
    [repo],
  );
  c.bind(TOKENS.GetTaskUseCase).toResolvedValue(
    (r: TaskRepository) => new GetTaskUseCase(r),
    [repo],
  );
  c.bind(TOKENS.UpdateTaskUseCase).toResolvedValue(
    (r: TaskRepository, k: Clock) => new UpdateTaskUseCase(r, k),
    [repo, clock],
  );
  c.bind(TOKENS.ToggleTaskCompletionUseCase).toResolvedValue(
    (r: TaskRepository, k: Clock) => new ToggleTaskCompletionUseCase(r, k),
    [repo, clock],
  );
  c.bind(TOKENS.DeleteTaskUseCase).toResolvedValue(
    (r: TaskRepository) => new DeleteTaskUseCase(r),
    [repo],
  );
}
