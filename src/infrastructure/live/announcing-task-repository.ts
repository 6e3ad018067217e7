import type { Logger } from 'pino';
import type { LiveSignals } from '../../application/shared/live-signals.port.js';
import { ownerKeyOf } from '../../application/tasks/sync-token.js';
import type { Task } from '../../domain/task/task.js';
import type {
  AddOutcome,
  FollowUp,
  TaskListQuery,
  TaskRepository,
  UpdateOutcome,
  WriteOutcome,
} from '../../domain/task/task-repository.port.js';

/**
 * A TaskRepository that announces, on topic `task-changes`, each write that committed a change:
 * the payload is the owner's key (`ownerKeyOf`), never the user id in clear nor any task content,
 * so whoever hears it reads the owner's change feed. The write's answer never waits for the
 * announcement nor fails with it: a lost one is caught up when the listeners resume.
 */
export class AnnouncingTaskRepository implements TaskRepository {
  constructor(
    private readonly tasks: TaskRepository,
    private readonly signals: LiveSignals,
    private readonly logger: Logger,
  ) {}

  async add(task: Task, maxPerOwner?: number | null): Promise<AddOutcome> {
    const outcome = await this.tasks.add(task, maxPerOwner);
    if (outcome === 'added') this.announce(task.ownerId);
    return outcome;
  }

  findOwned(ownerId: string, taskId: string): Promise<Task | null> {
    return this.tasks.findOwned(ownerId, taskId);
  }

  async update(task: Task, expectedVersion: number, followUp?: FollowUp): Promise<UpdateOutcome> {
    const outcome = await this.tasks.update(task, expectedVersion, followUp);
    if (outcome === 'done') this.announce(task.ownerId);
    return outcome;
  }

  async removeOwned(
    ownerId: string,
    taskId: string,
    versions?: readonly number[],
  ): Promise<WriteOutcome> {
    const outcome = await this.tasks.removeOwned(ownerId, taskId, versions);
    if (outcome === 'done') this.announce(ownerId);
    return outcome;
  }

  async eraseOwner(ownerId: string, closedUntil: Date): Promise<void> {
    await this.tasks.eraseOwner(ownerId, closedUntil);
    this.announce(ownerId);
  }

  list(query: TaskListQuery): Promise<Task[]> {
    return this.tasks.list(query);
  }

  private announce(ownerId: string): void {
    this.signals.publish('task-changes', ownerKeyOf(ownerId)).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'task changes: a change could not be announced');
    });
  }
}
