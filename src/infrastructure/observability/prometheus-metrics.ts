import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type {
  TaskApiTelemetry,
  TokenRefusalReason,
} from '../../application/shared/task-api-telemetry.port.js';

/** How a token the verifier accepted was accepted. */
export type TokenAcceptance = 'memo_hit' | 'verified';

/** The connection pool's state at one moment. */
export interface PoolState {
  readonly inUse: number;
  readonly idle: number;
  /** Requests waiting for a connection. */
  readonly waiting: number;
}

/** The revocation list's state at one moment (PostgreSQL; SQLite has no listener). */
export interface RevocationState {
  /** Since the list was last confirmed current. */
  readonly stalenessSeconds: number;
  /** Whether the LISTEN connection is up. */
  readonly listening: boolean;
}

/** One duration series: a method, a route and a status class, bound once. */
interface DurationSeries {
  observe(seconds: number): void;
}

const LINT_FAILING_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/** Request durations: the list answers in a few ms; a deadline answers at 10 s. */
const REQUEST_BUCKETS = [
  0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
const ACQUIRE_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5];
const GC_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * The service's Prometheus metrics (prom-client), in a registry of their own: Node's and the
 * process's standard set (event-loop lag, heap, GC), and what the service does. Every label value
 * comes from a fixed list or a route template, never from a request: no user id, task id, email,
 * token or raw path, so the number of series is bounded by the code. The HTTP recorder, the
 * use cases' telemetry and the adapters' hooks are its methods; the composition root hands each
 * part the one it needs.
 */
export class PrometheusMetrics implements TaskApiTelemetry {
  readonly registry = new Registry();
  private readonly durations: Histogram<'method' | 'route' | 'status_class'>;
  /** route → method → status class (index 0–4) → the series, created on first use. */
  private readonly series = new Map<string, Map<string, DurationSeries[]>>();
  private readonly rateLimitRefusals: Counter<'limiter'>;
  private readonly rateLimitFallbacks: Counter;
  private readonly eventStreams: Gauge;
  private readonly tokenAcceptances: Counter<'result'>;
  private readonly tokenRefusals: Counter<'reason'>;
  private readonly keySetFetches: Counter<'result'>;
  private readonly writeRetries: Counter;
  private readonly writeConflicts: Counter;
  private readonly replays: Counter;
  private readonly acquireTimes: Histogram;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, gcDurationBuckets: GC_BUCKETS });
    // Gauges named like counters (promtool's lint refuses them); each is the sum of the
    // same-named gauge by type, which stays.
    for (const sum of LINT_FAILING_DEFAULTS) this.registry.removeSingleMetric(sum);
    this.durations = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Requests answered, by method, route template and status class, and how long each took (its _count is the number of requests).',
      labelNames: ['method', 'route', 'status_class'],
      buckets: REQUEST_BUCKETS,
      registers,
    });
    this.rateLimitRefusals = new Counter({
      name: 'task_api_rate_limit_refusals_total',
      help: 'Requests refused with 429, by limit: per_user (TASK_API_RATE_LIMIT) or better_auth (sign-in and sign-up limits).',
      labelNames: ['limiter'],
      registers,
    });
    this.rateLimitFallbacks = new Counter({
      name: 'task_api_rate_limit_fallbacks_total',
      help: 'Requests counted in this instance’s memory because the shared rate-limit store could not be reached.',
      registers,
    });
    this.eventStreams = new Gauge({
      name: 'task_api_event_streams_open',
      help: 'Event streams open on this instance.',
      registers,
    });
    this.tokenAcceptances = new Counter({
      name: 'task_api_token_acceptances_total',
      help: 'Tokens the verifier accepted: memo_hit (seen in the last minute, no signature check) or verified (signature and claims checked).',
      labelNames: ['result'],
      registers,
    });
    this.tokenRefusals = new Counter({
      name: 'task_api_token_refusals_total',
      help: 'Requests whose token was refused, by reason (missing, expired, bad_signature, session_ended, key_set_unavailable, …).',
      labelNames: ['reason'],
      registers,
    });
    this.keySetFetches = new Counter({
      name: 'task_api_jwks_fetches_total',
      help: 'Fetches of the issuer’s key set (JWKS), by result: ok or failed.',
      labelNames: ['result'],
      registers,
    });
    this.writeRetries = new Counter({
      name: 'task_api_task_write_retries_total',
      help: 'Task writes that lost to a concurrent write and started again from a fresh read.',
      registers,
    });
    this.writeConflicts = new Counter({
      name: 'task_api_task_write_conflicts_total',
      help: 'Task writes that lost every attempt to concurrent writes and were answered 409.',
      registers,
    });
    this.replays = new Counter({
      name: 'task_api_idempotent_replays_total',
      help: 'Creates repeated with their Idempotency-Key that got the first answer again.',
      registers,
    });
    this.acquireTimes = new Histogram({
      name: 'task_api_db_pool_acquire_seconds',
      help: 'Time a request waited for a database connection from the pool.',
      buckets: ACQUIRE_BUCKETS,
      registers,
    });
    // Always exported, so a dashboard sees zeros rather than gaps.
    for (const result of ['memo_hit', 'verified'] as const)
      this.tokenAcceptances.inc({ result }, 0);
    for (const result of ['ok', 'failed']) this.keySetFetches.inc({ result }, 0);
    for (const limiter of ['per_user', 'better_auth']) this.rateLimitRefusals.inc({ limiter }, 0);
  }

  /** The exposition: what GET /metrics serves. */
  get contentType(): string {
    return this.registry.contentType;
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  // The HTTP layer's recorder.

  requestHandled(method: string, route: string, status: number, seconds: number): void {
    let byMethod = this.series.get(route);
    if (byMethod === undefined) this.series.set(route, (byMethod = new Map()));
    let byClass = byMethod.get(method);
    if (byClass === undefined) byMethod.set(method, (byClass = []));
    const index = Math.min(Math.max(Math.floor(status / 100), 1), 5) - 1;
    let series = byClass[index];
    if (series === undefined) {
      series = this.durations.labels(method, route, STATUS_CLASSES[index] ?? '5xx');
      byClass[index] = series;
    }
    series.observe(seconds);
  }

  rateLimited(limiter: 'per_user' | 'better_auth'): void {
    this.rateLimitRefusals.inc({ limiter });
  }

  eventStreamOpened(): void {
    this.eventStreams.inc();
  }

  eventStreamClosed(): void {
    this.eventStreams.dec();
  }

  // The use cases' telemetry.

  tokenRefused(reason: TokenRefusalReason): void {
    this.tokenRefusals.inc({ reason });
  }

  taskWriteRetried(): void {
    this.writeRetries.inc();
  }

  taskWriteConflicted(): void {
    this.writeConflicts.inc();
  }

  idempotentReplay(): void {
    this.replays.inc();
  }

  // The adapters' hooks.

  readonly tokenAccepted = (result: TokenAcceptance): void => {
    this.tokenAcceptances.inc({ result });
  };

  readonly keySetFetched = (result: 'ok' | 'failed'): void => {
    this.keySetFetches.inc({ result });
  };

  readonly connectionAcquired = (seconds: number): void => {
    this.acquireTimes.observe(seconds);
  };

  /** A shared rate-limit store was unreachable: a request was counted in memory instead. */
  readonly rateLimitFellBack = (): void => {
    this.rateLimitFallbacks.inc();
  };

  /** The pool's gauges, read at each scrape. */
  watchPool(state: () => PoolState): void {
    const gauge = (name: string, help: string, read: (pool: PoolState) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read(state()));
        },
      });
    gauge('task_api_db_pool_connections_in_use', 'Database connections lent out.', (p) => p.inUse);
    gauge(
      'task_api_db_pool_connections_idle',
      'Database connections open and free.',
      (p) => p.idle,
    );
    gauge(
      'task_api_db_pool_waiting',
      'Requests waiting for a database connection.',
      (p) => p.waiting,
    );
  }

  /** The revocation list's gauges, read at each scrape. */
  watchRevocations(state: () => RevocationState): void {
    new Gauge({
      name: 'task_api_revocations_staleness_seconds',
      help: 'Seconds since this instance last confirmed its revocation list current (past REVOCATION_MAX_STALENESS_SECONDS it answers 503).',
      registers: [this.registry],
      collect() {
        this.set(state().stalenessSeconds);
      },
    });
    new Gauge({
      name: 'task_api_revocations_listen_connected',
      help: '1 while the connection that LISTENs for revocations is up, 0 otherwise.',
      registers: [this.registry],
      collect() {
        this.set(state().listening ? 1 : 0);
      },
    });
  }
}
