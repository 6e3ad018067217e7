import type { Clock } from '../shared/clock.port.js';
import type { LiveSignals } from '../shared/live-signals.port.js';
import type { OwnTaskList } from './own-task-list.js';
import { decodeSyncToken, encodeSyncToken, ownerKeyOf, SyncExpiredError } from './sync-token.js';
import type { TaskChangeFeed } from './task-change-feed.port.js';
import { toTaskView, type TaskView } from './task.view.js';

/**
 * A change as a watcher is told it: the task as it is now, or the id of one deleted; `token` is
 * the sync token after it (resume from there, on the stream or with GET /tasks/changes).
 */
export type WatchedChange = { readonly seq: number; readonly token: string } & (
  { readonly task: TaskView } | { readonly deletedId: string }
);

/** Who is told: changes in order, never two calls at once; or why the watch cannot go on. */
export interface TaskWatcher {
  deliver(changes: readonly WatchedChange[]): void;
  fail(error: unknown): void;
}

export interface WatchTasksInput {
  readonly list: OwnTaskList;
  /**
   * A sync token (an event's id, or a `next` of GET /tasks/changes): deliver every change after
   * it. Null: only those from now on. An expired one is SyncExpiredError (sync from scratch); one
   * that is not this user's, InvalidSyncTokenError.
   */
  readonly since: string | null;
  readonly watcher: TaskWatcher;
}

/** A watch under way. */
export interface TaskWatch {
  /** The token the watch started from (for a watch from now on, the owner's latest change). */
  readonly startedFrom: string;
  stop(): void;
}

/** Changes read from the feed at once; a watch far behind reads page after page. */
const PAGE = 100;

interface Watch {
  readonly ownerId: string;
  readonly watcher: TaskWatcher;
  lastSeq: number;
  /** Reading now (then a signal asks for one more read once it ends), or not yet started. */
  busy: boolean;
  again: boolean;
  stopped: boolean;
}

/**
 * Tells a watcher each change of the caller's tasks, in the order they committed, from the change
 * feed: one subscription per instance to `task-changes` (payload: an owner key) wakes the watches
 * of that owner, each reads the feed from the last number it delivered, so a signal heard twice
 * or late costs a read and loses nothing; after the live signals reconnect every watch reads again.
 */
export class WatchTasksUseCase {
  private readonly byOwnerKey = new Map<string, Set<Watch>>();
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly feed: TaskChangeFeed,
    private readonly live: LiveSignals,
    private readonly clock: Clock,
    private readonly retentionMs: number,
  ) {}

  async execute({ list, since, watcher }: WatchTasksInput): Promise<TaskWatch> {
    const afterSeq =
      since === null
        ? null
        : decodeSyncToken(since, list.ownerId, this.clock.now(), this.retentionMs).seq;
    const watch: Watch = {
      ownerId: list.ownerId,
      watcher,
      lastSeq: 0,
      busy: true,
      again: false,
      stopped: false,
    };
    // Listening before reading where to start: a change committed in between is read either way.
    const key = ownerKeyOf(list.ownerId);
    const watches = this.byOwnerKey.get(key) ?? new Set<Watch>();
    this.byOwnerKey.set(key, watches);
    watches.add(watch);
    this.unsubscribe ??= this.live.subscribe('task-changes', {
      onSignal: (payload) => this.byOwnerKey.get(payload)?.forEach((each) => this.read(each)),
      onResume: () => this.byOwnerKey.forEach((each) => each.forEach((w) => this.read(w))),
    });
    const stop = () => {
      watch.stopped = true;
      watches.delete(watch);
      if (watches.size === 0) this.byOwnerKey.delete(key);
    };
    try {
      const latest = await this.feed.latestSeq(list.ownerId);
      // A number this owner never reached: the changes were lost (a restored backup).
      if (afterSeq !== null && afterSeq > latest) throw new SyncExpiredError();
      watch.lastSeq = afterSeq ?? latest;
    } catch (error) {
      stop();
      throw error;
    }
    const startedFrom = this.tokenAfter(list.ownerId, watch.lastSeq, this.clock.now());
    watch.busy = false;
    // The changes after `since` (a resume), or any committed since the latest was read.
    this.read(watch);
    return { startedFrom, stop };
  }

  /** How many watches are open on this instance (all owners). */
  get open(): number {
    let count = 0;
    for (const watches of this.byOwnerKey.values()) count += watches.size;
    return count;
  }

  private tokenAfter(ownerId: string, seq: number, at: Date): string {
    return encodeSyncToken(ownerId, { seq, floor: 0, issuedAt: at.getTime() });
  }

  private read(watch: Watch): void {
    if (watch.stopped) return;
    if (watch.busy) {
      watch.again = true;
      return;
    }
    watch.busy = true;
    void this.readAll(watch)
      .catch((error: unknown) => {
        if (!watch.stopped) watch.watcher.fail(error);
      })
      .finally(() => {
        watch.busy = false;
        // A signal heard after the last read ended.
        if (watch.again) this.read(watch);
      });
  }

  private async readAll(watch: Watch): Promise<void> {
    for (;;) {
      watch.again = false;
      // Every change not shown yet commits after this: the tokens may say it.
      const readAt = this.clock.now();
      const changes = await this.feed.changesSince(watch.ownerId, watch.lastSeq, PAGE);
      if (watch.stopped) return;
      if (changes.length > 0) {
        watch.lastSeq = changes[changes.length - 1]?.seq ?? watch.lastSeq;
        watch.watcher.deliver(
          changes.map((change) => {
            const { seq } = change;
            const token = this.tokenAfter(watch.ownerId, seq, readAt);
            return 'task' in change
              ? { seq, token, task: toTaskView(change.task) }
              : { seq, token, deletedId: change.deletedId };
          }),
        );
      }
      if (changes.length < PAGE && !watch.again) return;
    }
  }
}
