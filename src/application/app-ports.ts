import type { TaskRepository } from '../domain/task/task-repository.port.js';
import type { TokenRevocations } from './auth/token-revocations.port.js';
import type { TokenVerifier } from './auth/token-verifier.port.js';
import type { Clock } from './shared/clock.port.js';
import type { IdGenerator } from './shared/id-generator.port.js';
import type { LiveSignals } from './shared/live-signals.port.js';
import type { ReadinessProbe } from './shared/readiness-probe.port.js';
import type { TaskApiTelemetry } from './shared/task-api-telemetry.port.js';
import type { IdempotencyStore } from './tasks/idempotency-store.port.js';
import type { TaskChangeFeed } from './tasks/task-change-feed.port.js';

/** Everything the use cases need from the outside world: swap any one to swap a technology. */
export interface AppPorts {
  readonly tasks: TaskRepository;
  /** What changed in an owner's tasks, as `tasks` records it: the same storage. */
  readonly changeFeed: TaskChangeFeed;
  /** Idempotency-Keys of task creates. */
  readonly idempotency: IdempotencyStore;
  readonly verifier: TokenVerifier;
  /** Sessions ended and tokens cut off before they expire. */
  readonly revocations: TokenRevocations;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly readiness: ReadinessProbe;
  /** What instances tell each other (task changes, revocations). */
  readonly live: LiveSignals;
  /** What the use cases report for metrics (default: nothing is counted). */
  readonly telemetry?: TaskApiTelemetry;
}
