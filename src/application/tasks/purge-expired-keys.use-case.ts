import type { Clock } from '../shared/clock.port.js';
import type { IdempotencyStore } from './idempotency-store.port.js';

const BATCH = 1_000;
const MOST_BATCHES_PER_RUN = 10;

/**
 * Deletes expired Idempotency-Keys in bounded batches, so one run never holds the database for
 * long; a backlog is worked off over several runs. Answers how many it deleted.
 */
export class PurgeExpiredKeysUseCase {
  constructor(
    private readonly keys: IdempotencyStore,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<number> {
    let purged = 0;
    for (let batch = 0; batch < MOST_BATCHES_PER_RUN; batch++) {
      const deleted = await this.keys.purgeExpired(this.clock.now(), BATCH);
      purged += deleted;
      if (deleted < BATCH) break;
    }
    return purged;
  }
}
