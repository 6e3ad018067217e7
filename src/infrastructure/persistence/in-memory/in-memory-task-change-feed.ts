import type { Clock } from '../../../application/shared/clock.port.js';
import type {
  TaskChange,
  TaskChangeFeed,
} from '../../../application/tasks/task-change-feed.port.js';
import type { Task } from '../../../domain/task/task.js';

interface RecordedChange {
  readonly ownerId: string;
  readonly taskId: string;
  readonly seq: number;
  readonly deleted: boolean;
  readonly changedAt: number;
}

/**
 * The change feed of InMemoryTaskRepository, which records each write here in the same
 * synchronous step as the write itself: the latest change of each task, numbered per owner.
 */
export class InMemoryTaskChangeFeed implements TaskChangeFeed {
  /** By owner and task id: only a task's latest change is kept. */
  private readonly changes = new Map<string, RecordedChange>();
  private readonly latest = new Map<string, number>();

  constructor(
    /** The owner's task as it is now, or null. */
    private readonly taskOf: (ownerId: string, taskId: string) => Task | null,
    private readonly clock: Clock,
  ) {}

  /** Numbers and keeps a change; called by the repository, within the write. */
  record(ownerId: string, taskId: string, deleted: boolean): void {
    const seq = (this.latest.get(ownerId) ?? 0) + 1;
    this.latest.set(ownerId, seq);
    const changedAt = this.clock.now().getTime();
    this.changes.set(keyOf(ownerId, taskId), { ownerId, taskId, seq, deleted, changedAt });
  }

  async changesSince(
    ownerId: string,
    afterSeq: number,
    limit: number,
    options: { readonly deletionsAbove?: number } = {},
  ): Promise<TaskChange[]> {
    const { deletionsAbove = 0 } = options;
    return [...this.changes.values()]
      .filter((change) => change.ownerId === ownerId && change.seq > afterSeq)
      .filter((change) => !change.deleted || change.seq > deletionsAbove)
      .sort((a, b) => a.seq - b.seq)
      .slice(0, limit)
      .map(({ seq, taskId, deleted }): TaskChange => {
        const task = deleted ? null : this.taskOf(ownerId, taskId);
        return task ? { seq, task } : { seq, deletedId: taskId };
      });
  }

  async latestSeq(ownerId: string): Promise<number> {
    return this.latest.get(ownerId) ?? 0;
  }

  async pruneDeleted(before: Date, batch: number): Promise<number> {
    const old = [...this.changes.entries()]
      .filter(([, change]) => change.deleted && change.changedAt < before.getTime())
      .sort(([, a], [, b]) => a.changedAt - b.changedAt)
      .slice(0, batch);
    for (const [key] of old) this.changes.delete(key);
    return old.length;
  }
}

function keyOf(ownerId: string, taskId: string): string {
  return `${ownerId}\u0000${taskId}`;
}
