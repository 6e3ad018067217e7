import type { AppPorts } from './app-ports.js';
import { AuthenticateUseCase } from './auth/authenticate.use-case.js';
import { CheckReadinessUseCase } from './shared/check-readiness.use-case.js';
import {
  CreateTaskUseCase,
  DEFAULT_MAX_IDEMPOTENCY_KEYS_PER_OWNER,
} from './tasks/create-task.use-case.js';
import { DeleteTaskUseCase } from './tasks/delete-task.use-case.js';
import { GetTaskUseCase } from './tasks/get-task.use-case.js';
import { ListTasksUseCase } from './tasks/list-tasks.use-case.js';
import { ToggleTaskCompletionUseCase } from './tasks/toggle-task-completion.use-case.js';
import { UpdateTaskUseCase } from './tasks/update-task.use-case.js';

/** Limits the use cases enforce, from the configuration. */
export interface UseCaseSettings {
  /** Most tasks one user may keep; null: no limit. */
  readonly maxTasksPerUser: number | null;
  /** Most Idempotency-Keys one user holds; a new one drops the oldest. */
  readonly maxIdempotencyKeysPerUser: number;
}

/** Every use case, wired to the ports. A new use case is one line here. */
export function createUseCases(
  { tasks, idempotency, verifier, revocations, clock, ids, readiness }: AppPorts,
  settings: UseCaseSettings = {
    maxTasksPerUser: null,
    maxIdempotencyKeysPerUser: DEFAULT_MAX_IDEMPOTENCY_KEYS_PER_OWNER,
  },
) {
  const changes = { tasks, clock, ids, maxPerOwner: settings.maxTasksPerUser };
  return {
    authenticate: new AuthenticateUseCase(verifier, revocations),
    checkReadiness: new CheckReadinessUseCase(readiness),
    createTask: new CreateTaskUseCase(tasks, idempotency, clock, ids, {
      maxPerOwner: settings.maxTasksPerUser,
      maxKeysPerOwner: settings.maxIdempotencyKeysPerUser,
    }),
    listTasks: new ListTasksUseCase(tasks, clock),
    getTask: new GetTaskUseCase(tasks),
    updateTask: new UpdateTaskUseCase(changes),
    toggleTaskCompletion: new ToggleTaskCompletionUseCase(changes),
    deleteTask: new DeleteTaskUseCase(tasks),
  };
}

export type UseCases = ReturnType<typeof createUseCases>;
