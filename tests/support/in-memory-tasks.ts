import { pino } from 'pino';
import type { TaskChangeFeed } from '../../src/application/tasks/task-change-feed.port.js';
import type { TaskRepository } from '../../src/domain/task/task-repository.port.js';
import { AnnouncingTaskRepository } from '../../src/infrastructure/live/announcing-task-repository.js';
import { InProcessLiveSignals } from '../../src/infrastructure/live/in-process-live-signals.js';
import { InMemoryTaskRepository } from '../../src/infrastructure/persistence/in-memory/in-memory-task-repository.js';

/**
 * The task ports of an in-memory app, as the composition root wires them: the repository's
 * writes announced in-process, its own change feed. A repository without a feed of its own (a
 * wrapper in a test) gets an empty one.
 */
export function inMemoryTasks(tasks: TaskRepository = new InMemoryTaskRepository()) {
  const live = new InProcessLiveSignals();
  const own = (tasks as { changeFeed?: TaskChangeFeed }).changeFeed;
  return {
    tasks: new AnnouncingTaskRepository(tasks, live, pino({ level: 'silent' })),
    changeFeed: own ?? new InMemoryTaskRepository().changeFeed,
    live,
  };
}
