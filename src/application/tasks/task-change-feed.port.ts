import type { Task } from '../../domain/task/task.js';

/** One entry of an owner's change feed: a task as it is now, or the id of one deleted. */
export type TaskChange =
  | { readonly seq: number; readonly task: Task }
  | { readonly seq: number; readonly deletedId: string };

/**
 * What changed in an owner's tasks, in the order it committed. Every write of the TaskRepository
 * records its change in the same transaction, numbered by a per-owner sequence that only grows:
 * a write that rolls back records nothing, two writes never share a number, and a reader that
 * saw number N has seen every change up to N.
 */
export interface TaskChangeFeed {
  /**
   * The owner's changes numbered above `afterSeq`, oldest first, each task at most once (in its
   * latest state), at most `limit`. With `deletionsAbove`, deletions numbered at or below it are
   * left out: a full sync that started when the latest number was that never showed those tasks.
   */
  changesSince(
    ownerId: string,
    afterSeq: number,
    limit: number,
    options?: { readonly deletionsAbove?: number },
  ): Promise<TaskChange[]>;
  /** The owner's latest sequence number; 0 before their first change. */
  latestSeq(ownerId: string): Promise<number>;
  /** Forgets at most `batch` deletions recorded before `before`; answers how many it forgot. */
  pruneDeleted(before: Date, batch: number): Promise<number>;
}
