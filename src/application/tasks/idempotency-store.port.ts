import type { TaskView } from './task.view.js';

/** A create remembered under its Idempotency-Key. */
export interface IdempotentCreate {
  /** Of the request's parsed body: a retry must send the same. */
  readonly fingerprint: string;
  /** The id the create gives its task, chosen when the key is claimed. */
  readonly taskId: string;
  readonly startedAt: Date;
  /** The first answer, once the create has finished; null while it runs. */
  readonly result: TaskView | null;
}

export interface NewIdempotentCreate {
  readonly fingerprint: string;
  readonly taskId: string;
  readonly startedAt: Date;
  readonly expiresAt: Date;
}

/**
 * Idempotency keys of task creates, per owner: two owners' equal keys never meet. Every instance
 * sees the same keys, and they survive restarts. An entry past its expiry counts as absent.
 * An owner holds a bounded number of keys: past the bound, the oldest go, and no claim is refused.
 */
export interface IdempotencyStore {
  /**
   * Claims `key` for `entry` in one step, unless a live entry holds it: `claimed` says which,
   * `entry` is the one that holds the key now. A successful claim then drops the owner's oldest
   * keys (the first to expire) beyond the `maxPerOwner` newest; once concurrent claims have all
   * answered, the owner holds at most `maxPerOwner` keys, the newest ones.
   */
  claim(
    ownerId: string,
    key: string,
    entry: NewIdempotentCreate,
    maxPerOwner: number,
  ): Promise<{ readonly claimed: boolean; readonly entry: IdempotentCreate }>;
  /** Records the answer of the create that holds the key for `result.id`, if it still does. */
  complete(ownerId: string, key: string, result: TaskView): Promise<void>;
  /**
   * Marks a failed create as abandoned, if the key is still held for `taskId`, so that a retry
   * takes it over at once (and first looks for the task: the failure may have come after its
   * insert). The key is never freed: a second create under it would make a second task.
   */
  abandon(ownerId: string, key: string, taskId: string): Promise<void>;
  /**
   * Takes over an entry still unfinished since before `staleBefore` (its request died), restarting
   * its clock at `now`; false when it is finished, fresh, gone, or another request took it first.
   */
  takeOver(ownerId: string, key: string, staleBefore: Date, now: Date): Promise<boolean>;
  /** Deletes every key of the owner (their account is gone). */
  removeAllOwned(ownerId: string): Promise<void>;
  /** Deletes at most `limit` entries expired at `now`; answers how many it deleted. */
  purgeExpired(now: Date, limit: number): Promise<number>;
}
