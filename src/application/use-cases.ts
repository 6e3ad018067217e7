import type { AppPorts } from './app-ports.js';
import { AuthenticateUseCase } from './auth/authenticate.use-case.js';
import { EndSessionUseCase } from './auth/end-session.use-case.js';
import { EndUserTokensUseCase } from './auth/end-user-tokens.use-case.js';
import { CLOCK_TOLERANCE_SECONDS, DEFAULT_TOKEN_LIFETIME_SECONDS } from './auth/token-lifetime.js';
import { CheckReadinessUseCase } from './shared/check-readiness.use-case.js';
import { NO_TELEMETRY } from './shared/task-api-telemetry.port.js';
import {
  CreateTaskUseCase,
  DEFAULT_MAX_IDEMPOTENCY_KEYS_PER_OWNER,
} from './tasks/create-task.use-case.js';
import { DeleteTaskUseCase } from './tasks/delete-task.use-case.js';
import { GetTaskUseCase } from './tasks/get-task.use-case.js';
import { ListTasksUseCase } from './tasks/list-tasks.use-case.js';
import { PruneDeletedChangesUseCase } from './tasks/prune-deleted-changes.use-case.js';
import { PurgeExpiredKeysUseCase } from './tasks/purge-expired-keys.use-case.js';
import { DEFAULT_CHANGE_RETENTION_DAYS, retentionMsOf } from './tasks/sync-token.js';
import { SyncTasksUseCase } from './tasks/sync-tasks.use-case.js';
import { ToggleTaskCompletionUseCase } from './tasks/toggle-task-completion.use-case.js';
import { UpdateTaskUseCase } from './tasks/update-task.use-case.js';
import { WatchTasksUseCase } from './tasks/watch-tasks.use-case.js';
import { EraseUserUseCase } from './users/erase-user.use-case.js';

/** Limits and times the use cases work with, from the configuration; each has a default. */
export interface UseCaseSettings {
  /** Most tasks one user may keep; null: no limit (the default). */
  readonly maxTasksPerUser?: number | null;
  /** Most Idempotency-Keys one user holds (default 1000); a new one drops the oldest. */
  readonly maxIdempotencyKeysPerUser?: number;
  /** How long the tokens this service issues live (default DEFAULT_TOKEN_LIFETIME_SECONDS). */
  readonly tokenLifetimeSeconds?: number;
  /** The slack the token verifier is given (default CLOCK_TOLERANCE_SECONDS). */
  readonly clockToleranceSeconds?: number;
  /** How long a sync token stays valid, and deletions are kept (default 30 days). */
  readonly changeRetentionDays?: number;
}

/**
 * Every use case, wired to the ports: the HTTP routes', Better Auth's hooks' and the background
 * jobs'. A new use case is one line here.
 */
export function createUseCases(
  {
    tasks,
    changeFeed,
    live,
    idempotency,
    verifier,
    revocations,
    clock,
    ids,
    readiness,
    telemetry,
  }: AppPorts,
  settings: UseCaseSettings = {},
) {
  const maxPerOwner = settings.maxTasksPerUser ?? null;
  const reports = telemetry ?? NO_TELEMETRY;
  const changes = { tasks, clock, ids, maxPerOwner, telemetry: reports };
  // A revocation, and an erased user's closed list, last as long as any token they cover.
  const tokens = {
    tokenLifetimeSeconds: settings.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
    toleranceSeconds: settings.clockToleranceSeconds ?? CLOCK_TOLERANCE_SECONDS,
  };
  const endUserTokens = new EndUserTokensUseCase(revocations, clock, tokens);
  const retentionMs = retentionMsOf(settings.changeRetentionDays ?? DEFAULT_CHANGE_RETENTION_DAYS);
  return {
    authenticate: new AuthenticateUseCase(verifier, revocations, reports),
    checkReadiness: new CheckReadinessUseCase(readiness),
    createTask: new CreateTaskUseCase(tasks, idempotency, clock, ids, {
      maxPerOwner,
      maxKeysPerOwner: settings.maxIdempotencyKeysPerUser ?? DEFAULT_MAX_IDEMPOTENCY_KEYS_PER_OWNER,
      telemetry: reports,
    }),
    listTasks: new ListTasksUseCase(tasks, clock),
    getTask: new GetTaskUseCase(tasks),
    updateTask: new UpdateTaskUseCase(changes),
    toggleTaskCompletion: new ToggleTaskCompletionUseCase(changes),
    deleteTask: new DeleteTaskUseCase(tasks),
    syncTasks: new SyncTasksUseCase(changeFeed, clock, retentionMs),
    endSession: new EndSessionUseCase(revocations, clock, tokens),
    endUserTokens,
    eraseUser: new EraseUserUseCase(tasks, idempotency, endUserTokens, clock, tokens),
    purgeExpiredKeys: new PurgeExpiredKeysUseCase(idempotency, clock),
    pruneDeletedChanges: new PruneDeletedChangesUseCase(changeFeed, clock, retentionMs),
    watchTasks: new WatchTasksUseCase(changeFeed, live, clock, retentionMs),
  };
}

export type UseCases = ReturnType<typeof createUseCases>;
