import type { Clock } from '../shared/clock.port.js';
import type { TaskChangeFeed } from './task-change-feed.port.js';

const BATCH = 1_000;
const MOST_BATCHES_PER_RUN = 10;
/** Instances' clocks differ a little: a deletion is kept this much longer than its token lives. */
const CLOCK_MARGIN_MS = 60 * 60 * 1000;

/**
 * Forgets deletions no valid sync token can still need (older than the tokens' lifetime), in
 * bounded batches, so one run never holds the database for long. Answers how many it forgot.
 */
export class PruneDeletedChangesUseCase {
  constructor(
    private readonly feed: TaskChangeFeed,
    private readonly clock: Clock,
    private readonly retentionMs: number,
  ) {}

  async execute(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.retentionMs - CLOCK_MARGIN_MS);
    let pruned = 0;
    for (let batch = 0; batch < MOST_BATCHES_PER_RUN; batch++) {
      const deleted = await this.feed.pruneDeleted(before, BATCH);
      pruned += deleted;
      if (deleted < BATCH) break;
    }
    return pruned;
  }
}
