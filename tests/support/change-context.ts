import type { Clock } from '../../src/application/shared/clock.port.js';
import type { TaskChangeContext } from '../../src/application/tasks/task-store.js';
import type { TaskRepository } from '../../src/domain/task/task-repository.port.js';
import { SequentialIdGenerator } from './sequential-id-generator.js';

/** What the update and toggle use cases need: the repository, a clock, ids; no task limit. */
export function changeContext(
  tasks: TaskRepository,
  clock: Clock,
  maxPerOwner: number | null = null,
): TaskChangeContext {
  return { tasks, clock, ids: new SequentialIdGenerator(), maxPerOwner };
}
