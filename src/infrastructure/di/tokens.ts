import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AppPorts } from '../../application/app-ports.js';
import type { TokenRevocations } from '../../application/auth/token-revocations.port.js';
import type { TokenVerifier } from '../../application/auth/token-verifier.port.js';
import type { Clock } from '../../application/shared/clock.port.js';
import type { IdGenerator } from '../../application/shared/id-generator.port.js';
import type { LiveSignals } from '../../application/shared/live-signals.port.js';
import type { RateLimiter } from '../../application/shared/rate-limiter.port.js';
import type { ReadinessProbe } from '../../application/shared/readiness-probe.port.js';
import type { Tracer } from '../../application/shared/tracer.port.js';
import type { IdempotencyStore } from '../../application/tasks/idempotency-store.port.js';
import type { TaskChangeFeed } from '../../application/tasks/task-change-feed.port.js';
import type { UseCases } from '../../application/use-cases.js';
import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { EmbeddedBetterAuth } from '../auth/better-auth.js';
import type { AppConfig } from '../config/env.js';
import type { PrometheusMetrics } from '../observability/prometheus-metrics.js';
import type { Database } from '../persistence/database.js';
import type { PostgresLiveSignals } from '../persistence/postgres/postgres-live-signals.js';
import type { RevocationsService } from '../persistence/token-revocations.js';

/**
 * A container key that carries the type bound to it: `container.get(TOKENS.Clock)` is a Clock,
 * and binding anything else to it does not compile. (Inversify infers the type of a class used
 * as a key; this phantom constructor type lends that inference to a symbol.)
 */
export type Token<T> = symbol & (abstract new (...args: never[]) => T);

const token = <T>(name: string): Token<T> => Symbol(name) as Token<T>;

/**
 * One key per port, per resource an adapter may need (opened only if one does), and the use cases
 * built on the ports.
 */
export const TOKENS = {
  Config: token<AppConfig>('Config'),
  Logger: token<Logger>('Logger'),
  /** Bound only when metrics are configured (METRICS_PORT or METRICS_TOKEN). */
  Metrics: token<PrometheusMetrics>('Metrics'),
  /** OpenTelemetry's when tracing is configured (OTEL_*), otherwise one that traces nothing. */
  Tracer: token<Tracer>('Tracer'),
  Database: token<Database>('Database'),
  AuthSecret: token<string>('AuthSecret'),
  BetterAuth: token<EmbeddedBetterAuth>('BetterAuth'),
  Clock: token<Clock>('Clock'),
  IdGenerator: token<IdGenerator>('IdGenerator'),
  TaskRepository: token<TaskRepository>('TaskRepository'),
  TaskChangeFeed: token<TaskChangeFeed>('TaskChangeFeed'),
  IdempotencyStore: token<IdempotencyStore>('IdempotencyStore'),
  TokenVerifier: token<TokenVerifier>('TokenVerifier'),
  TokenRevocations: token<TokenRevocations>('TokenRevocations'),
  Revocations: token<RevocationsService>('Revocations'),
  ReadinessProbe: token<ReadinessProbe>('ReadinessProbe'),
  /** Bound only on PostgreSQL: the one LISTEN connection (revocations and task changes). */
  ListenConnection: token<PostgresLiveSignals>('ListenConnection'),
  LiveSignals: token<LiveSignals>('LiveSignals'),
  /** Bound only when the per-user limit is on (TASK_API_RATE_LIMIT > 0). */
  RateLimiter: token<RateLimiter>('RateLimiter'),
  /** The client of REDIS_URL, opened only when the rate limit is counted there. */
  Redis: token<Redis>('Redis'),
  /** Every port above, as the use cases take them. */
  Ports: token<AppPorts>('Ports'),
  UseCases: token<UseCases>('UseCases'),
};
