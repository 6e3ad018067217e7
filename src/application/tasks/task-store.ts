import type { Task } from '../../domain/task/task.js';
import { TaskNotFoundError } from '../../domain/task/task.errors.js';
import type { TaskRepository } from '../../domain/task/task-repository.port.js';
import type { Clock } from '../shared/clock.port.js';
import type { IdGenerator } from '../shared/id-generator.port.js';
import { NO_TELEMETRY, type TaskApiTelemetry } from '../shared/task-api-telemetry.port.js';
import type { OwnTask } from './own-task-list.js';
import { TaskChangedError, TaskLimitReachedError, WriteConflictError } from './task.errors.js';
import { allows, type VersionCondition } from './version-condition.js';

/** Tries before a write that keeps losing to concurrent writes gives up (409). */
const MAX_WRITE_ATTEMPTS = 10;

/** Loads a task of the caller's list, or throws TaskNotFoundError. */
export async function loadTask(
  repository: TaskRepository,
  { list, taskId }: OwnTask,
): Promise<Task> {
  const task = await repository.findOwned(list.ownerId, taskId);
  if (task === null) throw new TaskNotFoundError(taskId);
  return task;
}

/** What a change needs besides the repository: the time, and ids for next occurrences. */
export interface TaskChangeContext {
  readonly tasks: TaskRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The owner's task limit, which a next occurrence counts against (null: no limit). */
  readonly maxPerOwner: number | null;
  /** Told of every lost race and of a write that gave up (default: nobody). */
  readonly telemetry?: TaskApiTelemetry;
}

/**
 * Reads the task, applies `change` and saves it only if nobody wrote it in between; when someone
 * did, starts again from a fresh read, so concurrent writes end as if they ran one after another.
 * A `condition` (If-Match) is checked against each fresh read: a task that changed is refused.
 * A recurring task that the change completes gets its next occurrence in the same write.
 */
export async function changeTask(
  context: TaskChangeContext,
  target: OwnTask,
  condition: VersionCondition | undefined,
  change: (task: Task, now: Date) => void,
): Promise<Task> {
  const { tasks, clock, ids, maxPerOwner, telemetry = NO_TELEMETRY } = context;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const task = await loadTask(tasks, target);
    if (!allows(condition, task.version)) throw new TaskChangedError(target.taskId);
    const read = task.version;
    const now = clock.now();
    change(task, now);
    if (task.version === read) return task; // nothing changed, nothing to save
    const next = task.nextOccurrence(ids.next(), now);
    const outcome = await tasks.update(task, read, next ? { task: next, maxPerOwner } : undefined);
    if (outcome === 'done') return task;
    if (outcome === 'missing') throw new TaskNotFoundError(target.taskId);
    if (outcome === 'limit-reached') throw new TaskLimitReachedError(maxPerOwner ?? 0);
    if (attempt === MAX_WRITE_ATTEMPTS) break;
    telemetry.taskWriteRetried();
    await pause(attempt);
  }
  telemetry.taskWriteConflicted();
  throw new WriteConflictError(target.taskId);
}

/** A short random wait that grows with each attempt, so racing writers stop colliding. */
function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 2 ** Math.min(attempt, 7)));
}
