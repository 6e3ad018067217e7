import type { Clock } from '../shared/clock.port.js';
import type { OwnTaskList } from './own-task-list.js';
import {
  decodeSyncToken,
  encodeSyncToken,
  SyncExpiredError,
  type SyncPosition,
} from './sync-token.js';
import type { TaskChangeFeed } from './task-change-feed.port.js';
import { toTaskView, type TaskSyncPage } from './task.view.js';

export interface SyncTasksInput {
  readonly list: OwnTaskList;
  /** A `next` of an earlier page; null: a full sync of the current tasks. */
  readonly since: string | null;
  readonly limit: number;
}

/**
 * What changed in the caller's tasks since a token, oldest first, each task at most once per page
 * in its latest state; without a token, every current task. Pages end with a token to continue
 * from, valid `retentionMs`: deletions older than that are pruned, so an older one is refused
 * (SyncExpiredError) and the client syncs from scratch.
 */
export class SyncTasksUseCase {
  constructor(
    private readonly feed: TaskChangeFeed,
    private readonly clock: Clock,
    private readonly retentionMs: number,
  ) {}

  async execute({ list, since, limit }: SyncTasksInput): Promise<TaskSyncPage> {
    const { ownerId } = list;
    const now = this.clock.now();
    // Read before the changes: a deletion numbered after it is always shown.
    const latest = await this.feed.latestSeq(ownerId);
    const from: SyncPosition =
      since === null
        ? { seq: 0, floor: latest, issuedAt: now.getTime() }
        : decodeSyncToken(since, ownerId, now, this.retentionMs);
    // A number this owner never reached: the changes were lost (a restored backup).
    if (from.seq > latest) throw new SyncExpiredError();
    const found = await this.feed.changesSince(
      ownerId,
      from.seq,
      limit + 1,
      from.floor > from.seq ? { deletionsAbove: from.floor } : {},
    );
    const page = found.slice(0, limit);
    const more = found.length > limit;
    const last = page.at(-1)?.seq ?? from.seq;
    // Mid-way, the token keeps the age of the oldest change not yet shown; at the end, nothing
    // older than now is left unshown.
    const next: SyncPosition = more
      ? { ...from, seq: last }
      : { seq: Math.max(last, from.floor), floor: 0, issuedAt: now.getTime() };
    return {
      changes: page.map((change) =>
        'task' in change ? { task: toTaskView(change.task) } : { deleted: change.deletedId },
      ),
      next: encodeSyncToken(ownerId, next),
      more,
    };
  }
}
