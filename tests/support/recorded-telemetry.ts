import type {
  TaskApiTelemetry,
  TokenRefusalReason,
} from '../../src/application/shared/task-api-telemetry.port.js';

/** Telemetry that remembers what it was told, for tests to read. */
export class RecordedTelemetry implements TaskApiTelemetry {
  readonly refusals: TokenRefusalReason[] = [];
  retries = 0;
  conflicts = 0;
  replays = 0;

  tokenRefused(reason: TokenRefusalReason): void {
    this.refusals.push(reason);
  }

  taskWriteRetried(): void {
    this.retries += 1;
  }

  taskWriteConflicted(): void {
    this.conflicts += 1;
  }

  idempotentReplay(): void {
    this.replays += 1;
  }
}
